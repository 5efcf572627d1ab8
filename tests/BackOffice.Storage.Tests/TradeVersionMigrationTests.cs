using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Storage.Tests;

/// <summary>
/// Migration 0005 moves a trade version's economics out of its JSON document into columns. Rows
/// booked before it must read back exactly as they were booked: every field, decimals with their
/// scale, charges in order, the SSI as it was.
/// </summary>
public sealed class TradeVersionMigrationTests
{
    public static TheoryData<Backend> Backends => Harness.Backends;

    private const string Document =
        """{"Side":2,"Market":"XPAR","Quantity":1500,"Price":101.2500,"Currency":"EUR","Counterparty":"5493000DEMO0BROKER41","ExecutedAtTicks":17956170000000000,"Gross":151875.00,"Charges":[{"Code":"COMMISSION","Kind":1,"Amount":75.94,"LedgerAccount":null},{"Code":"FR-FTT","Kind":2,"Amount":455.63,"LedgerAccount":"2410"}],"AccruedInterest":1234.567890,"Net":153564.44,"Ssi":{"Id":"SSI-7","Counterparty":"5493000DEMO0BROKER41","Market":"XPAR","AssetClass":2,"PlaceOfSettlement":"SICVFRPPXXX","DepositoryAccount":"EOC-123","AgentBic":"BNPAFRPPXXX","EffectiveFrom":"2024-03-01"}}""";

    private const string BareDocument =
        """{"Side":1,"Market":"XNAS","Quantity":1.00,"Price":200,"Currency":"USD","Counterparty":"5493000DEMO0BROKER41","ExecutedAtTicks":null,"Gross":200.00,"Charges":[],"AccruedInterest":0,"Net":200.00,"Ssi":null}""";

    [Theory, MemberData(nameof(Backends))]
    public async Task Versions_booked_before_0005_read_back_field_for_field(Backend backend)
    {
        await using IStoreHarness harness = await Harness.CreateAsync(backend, migrateThrough: 4);
        string hash = backend == Backend.Sqlite ? "zeroblob(32)" : "decode(repeat('00', 32), 'hex')";
        await harness.ExecuteRawAsync(
            "INSERT INTO trade_versions (trade_id, version, audit_sequence, action, status, source, source_id, payload_hash, account, isin, trade_date, settlement_date, entry_id, reversal_entry_id, document, source_message) VALUES " +
            $"(1, 1, 3, 1, 1, 'OMS', 'T-1', {hash}, 'C-0001', 'FR0000131104', '2026-11-25', '2026-11-27', 10, NULL, '{Document}', 'raw one'), " +
            $"(2, 1, 3, 1, 1, 'OMS', 'T-2', {hash}, 'C-0002', 'US0378331005', '2026-11-25', '2026-11-26', 11, NULL, '{BareDocument}', 'raw two')");

        Assert.Equal(["0005_trade_columns"], await ((AdoStore)harness.Store).MigrateAsync(5, CancellationToken.None));
        // The later migrations leave these rows as they are (0012 adds lot_ids, null for them).
        await harness.Store.MigrateAsync(CancellationToken.None);

        TradeVersion full = Assert.Single(await harness.Store.ReadTradeAsync(1, CancellationToken.None));
        Assert.Equal(TradeSide.Sell, full.Side);
        Assert.Equal("XPAR", full.Market);
        Assert.Equal("1500", full.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("101.2500", full.Price.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("EUR", full.Currency);
        Assert.Equal(Instant.FromUnixTimeTicks(17956170000000000), full.ExecutedAt);
        Assert.Equal("151875.00", full.Gross.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("1234.567890", full.AccruedInterest.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("153564.44", full.Net.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([new TradeCharge("COMMISSION", FeeKind.Commission, 75.94m, null), new TradeCharge("FR-FTT", FeeKind.Fee, 455.63m, "2410")], full.Charges);
        Assert.Equal(new StandingSettlementInstruction("SSI-7", "5493000DEMO0BROKER41", "XPAR", AssetClass.Debt, "SICVFRPPXXX", "EOC-123", "BNPAFRPPXXX",
            new LocalDate(2024, 3, 1)), full.Ssi);
        Assert.Equal(new LocalDate(2026, 11, 27), full.SettlementDate);
        Assert.Equal("raw one", full.SourceMessage);

        TradeVersion bare = Assert.Single(await harness.Store.ReadTradeAsync(2, CancellationToken.None));
        Assert.Equal("1.00", bare.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(bare.ExecutedAt);
        Assert.Empty(bare.Charges);
        Assert.Null(bare.Ssi);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Migrated_versions_stay_immutable(Backend backend)
    {
        await using IStoreHarness harness = await Harness.CreateAsync(backend);
        string hash = backend == Backend.Sqlite ? "zeroblob(32)" : "decode(repeat('00', 32), 'hex')";
        await harness.ExecuteRawAsync(
            "INSERT INTO trade_versions (trade_id, version, audit_sequence, action, status, source, source_id, payload_hash, account, isin, trade_date, settlement_date, " +
            "side, market, quantity, price, currency, counterparty, gross, accrued_interest, net, charges, source_message) VALUES " +
            $"(1, 1, 3, 1, 1, 'OMS', 'T-1', {hash}, 'C-0001', 'US0378331005', '2026-11-25', '2026-11-26', 1, 'XNAS', 1, 200, 'USD', 'X', 200, 0, 200, '[]', 'raw')");
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => harness.ExecuteRawAsync("UPDATE trade_versions SET price = 201"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => harness.ExecuteRawAsync("DELETE FROM trade_versions"));
        Assert.Equal(1L, Convert.ToInt64(await harness.ScalarRawAsync("SELECT count(*) FROM trade_versions"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
