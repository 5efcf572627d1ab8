using System.Globalization;
using BackOffice.Application.WritePath;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Settlement;
using NodaTime;

namespace BackOffice.Storage.Tests;

/// <summary>
/// The settlement parameters kept as reference data, on both stores: close-out rules and central
/// bank rates upsert on their keys and read back in one order whatever the database's collation,
/// decimals keep their sign and scale, and an instrument's CSDR category is written, read back and
/// cleared by a row without one.
/// </summary>
public sealed class SettlementReferenceContractTests
{
    public static TheoryData<Backend> Backends => Harness.Backends;

    private const string Bond = "FR0010070060";

    private static Instrument Oat(PenaltyAssetClass? category) =>
        new(Bond, "France OAT 4.75% 2035", AssetClass.Debt, "EUR", "XPAR", null, null, null, null, 0) { CsdrCategory = category };

    private static async Task<CommandOutcome> ImportAsync(Books books, ReferenceChanges changes)
    {
        CommandOutcome outcome = await books.ReferenceData.ImportAsync(changes, null, Books.Actor, null, CancellationToken.None);
        Assert.True(outcome.Rejection is null, outcome.Rejection?.ToString());
        return outcome;
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Close_out_rules_upsert_by_name_and_read_back_in_ordinal_order(Backend backend)
    {
        await using Books books = await Books.CreateAsync(backend);
        Assert.Empty(await books.Store.ReadCloseOutRulesAsync(CancellationToken.None));
        CloseOutRule[] rules =
        [
            new("regional", "FR", PenaltyAssetClass.SovereignDebt, AssetClass.Debt, 5),
            new("reg-sho-204", "US", null, null, 1),
            new("csdr-art7", null, null, null, 4),
            new("csdr-art7-illiquid", null, PenaltyAssetClass.ShareIlliquid, AssetClass.Equity, 7),
        ];
        CommandOutcome loaded = await ImportAsync(books, new ReferenceChanges { CloseOutRules = rules });
        Assert.Equal("loaded 4 close-out rules", loaded.Result);
        Assert.Equal(CommandStatus.Replayed, (await ImportAsync(books, new ReferenceChanges { CloseOutRules = rules })).Status);

        // Ordinal: the hyphen sorts before letters (a linguistic collation would put "regional" first).
        Assert.Equal(rules.OrderBy(r => r.Name, StringComparer.Ordinal), await books.Store.ReadCloseOutRulesAsync(CancellationToken.None));

        // The same name replaces the row, every column of it.
        await ImportAsync(books, new ReferenceChanges { CloseOutRules = [new CloseOutRule("regional", null, null, AssetClass.Fund, 9)] });
        IReadOnlyList<CloseOutRule> read = await books.Store.ReadCloseOutRulesAsync(CancellationToken.None);
        Assert.Equal(4, read.Count);
        Assert.Equal(new CloseOutRule("regional", null, null, AssetClass.Fund, 9), read[^1]);
        Assert.True((await books.Audit.VerifyAsync(null, CancellationToken.None)).IsIntact);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Central_bank_rates_upsert_by_currency_and_date_and_keep_sign_and_scale(Backend backend)
    {
        await using Books books = await Books.CreateAsync(backend);
        Assert.Empty(await books.Store.ReadCentralBankRatesAsync(CancellationToken.None));
        CentralBankRate[] rates =
        [
            new("USD", new LocalDate(2025, 12, 11), 0.0400m, "Federal Reserve primary credit rate"),
            new("EUR", new LocalDate(2025, 6, 11), 0.0240m, "ECB marginal lending facility"),
            new("JPY", new LocalDate(2016, 2, 16), -0.00100m, "a negative rate, kept as published"),
            new("EUR", new LocalDate(2025, 4, 23), 0.0265m, "ECB marginal lending facility"),
        ];
        Assert.Equal("loaded 4 central bank rates", (await ImportAsync(books, new ReferenceChanges { CentralBankRates = rates })).Result);

        IReadOnlyList<CentralBankRate> read = await books.Store.ReadCentralBankRatesAsync(CancellationToken.None);
        Assert.Equal(rates.OrderBy(r => r.Currency, StringComparer.Ordinal).ThenBy(r => r.EffectiveFrom), read);
        Assert.Equal(["0.0265", "0.0240", "-0.00100", "0.0400"], read.Select(r => r.Rate.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(0.0265m, CentralBankRates.RateOn(read, "EUR", new LocalDate(2025, 6, 10)));
        Assert.Equal(0.0240m, CentralBankRates.RateOn(read, "EUR", new LocalDate(2025, 6, 11)));

        // The same currency and date replaces rate and source; another date adds a row.
        await ImportAsync(books, new ReferenceChanges { CentralBankRates = [new("EUR", new LocalDate(2025, 6, 11), 0.0241m, "corrected")] });
        read = await books.Store.ReadCentralBankRatesAsync(CancellationToken.None);
        Assert.Equal(4, read.Count);
        Assert.Equal(new CentralBankRate("EUR", new LocalDate(2025, 6, 11), 0.0241m, "corrected"), read[1]);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task An_instruments_csdr_category_round_trips_and_a_row_without_one_clears_it(Backend backend)
    {
        await using Books books = await Books.CreateAsync(backend);
        var markets = new ReferenceChanges { Markets = [new Market("XPAR", "Euronext Paris", "FR")], Instruments = [Oat(PenaltyAssetClass.SovereignDebt)] };
        await ImportAsync(books, markets);
        Domain.Trading.TradeReferenceData reference = await books.Store.ReadTradeReferenceAsync(CancellationToken.None);
        Assert.Equal(PenaltyAssetClass.SovereignDebt, reference.FindByIsin(Bond)!.CsdrCategory);
        // Loaded without a category: none of its own.
        Assert.Null(reference.FindByIsin("US0378331005")!.CsdrCategory);

        await ImportAsync(books, new ReferenceChanges { Instruments = [Oat(null)] });
        reference = await books.Store.ReadTradeReferenceAsync(CancellationToken.None);
        Assert.Null(reference.FindByIsin(Bond)!.CsdrCategory);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Instruments_loaded_before_0016_read_back_without_a_category(Backend backend)
    {
        await using IStoreHarness harness = await Harness.CreateAsync(backend, migrateThrough: 15);
        await harness.ExecuteRawAsync("INSERT INTO currencies (code, numeric_code, minor_units, name) VALUES ('USD', 840, 2, 'US Dollar'); " +
            "INSERT INTO markets (mic, name, country_code) VALUES ('XNAS', 'Nasdaq', 'US'); " +
            "INSERT INTO instruments (isin, name, asset_class, currency, listing_mic, quantity_scale) VALUES ('US0378331005', 'Apple Inc.', 1, 'USD', 'XNAS', 0)");
        Assert.Equal(["0016_settlement_parameters"], await ((AdoStore)harness.Store).MigrateAsync(16, CancellationToken.None));
        // Read with the current schema (the reads know every later column too).
        await harness.Store.MigrateAsync(CancellationToken.None);
        Instrument apple = (await harness.Store.ReadTradeReferenceAsync(CancellationToken.None)).FindByIsin("US0378331005")!;
        Assert.Equal(AssetClass.Equity, apple.AssetClass);
        Assert.Null(apple.CsdrCategory);
        Assert.Empty(await harness.Store.ReadCloseOutRulesAsync(CancellationToken.None));
        Assert.Empty(await harness.Store.ReadCentralBankRatesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_application_role_may_upsert_the_new_reference_tables()
    {
        await using Books books = await Books.CreateAsync(Backend.Postgres);
        string role = "app_" + Guid.NewGuid().ToString("N")[..12];
        string schema = (string)(await books.Harness.ScalarRawAsync("SELECT current_schema()"))!;
        await books.Harness.ExecuteRawAsync($"CREATE ROLE {role} NOLOGIN; " + Postgres.PostgresStore.ApplicationRoleGrants(schema, role));
        try
        {
            for (int i = 0; i < 2; i++)
            {
                await books.Harness.ExecuteRawAsync($"SET ROLE {role}; " +
                    "INSERT INTO close_out_rules (name, business_days) VALUES ('csdr-art7', 4) ON CONFLICT (name) DO UPDATE SET business_days = excluded.business_days; " +
                    "INSERT INTO central_bank_rates (currency, effective_from, rate, source) VALUES ('EUR', '2025-06-11', 0.024, 'ECB') " +
                    "ON CONFLICT (currency, effective_from) DO UPDATE SET rate = excluded.rate, source = excluded.source; " +
                    "UPDATE instruments SET csdr_category = 1; RESET ROLE;");
            }
        }
        finally
        {
            await books.Harness.ExecuteRawAsync($"RESET ROLE; DROP OWNED BY {role}; DROP ROLE {role};");
        }
        Assert.Single(await books.Store.ReadCloseOutRulesAsync(CancellationToken.None));
    }
}
