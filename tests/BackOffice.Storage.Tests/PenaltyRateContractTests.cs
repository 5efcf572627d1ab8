using System.Globalization;
using BackOffice.Application.WritePath;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Settlement;
using NodaTime;

namespace BackOffice.Storage.Tests;

/// <summary>
/// CSDR penalty rates kept as reference data, on both stores: they upsert on category and date,
/// read back by category then date, keep their scale, arrive with migration 0017 on books
/// created before it, and the production role may upsert them.
/// </summary>
public sealed class PenaltyRateContractTests
{
    public static TheoryData<Backend> Backends => Harness.Backends;

    private static async Task<CommandOutcome> ImportAsync(Books books, ReferenceChanges changes)
    {
        CommandOutcome outcome = await books.ReferenceData.ImportAsync(changes, null, Books.Actor, null, CancellationToken.None);
        Assert.True(outcome.Rejection is null, outcome.Rejection?.ToString());
        return outcome;
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Penalty_rates_upsert_by_category_and_date_and_read_back_by_category_then_date(Backend backend)
    {
        await using Books books = await Books.CreateAsync(backend);
        Assert.Empty(await books.Store.ReadPenaltyRatesAsync(CancellationToken.None));
        PenaltyRate[] rates =
        [
            new(PenaltyAssetClass.Other, new LocalDate(2027, 1, 4), 0.000060m),
            new(PenaltyAssetClass.ShareLiquid, new LocalDate(2027, 1, 4), 0.00013m),
            new(PenaltyAssetClass.SovereignDebt, CsdrPenalties.RegimeStart, 0.00001m),
            new(PenaltyAssetClass.ShareLiquid, new LocalDate(2026, 6, 1), 0.00012m),
            new(PenaltyAssetClass.SmeDebt, new LocalDate(2026, 6, 1), 0m),
        ];
        CommandOutcome loaded = await ImportAsync(books, new ReferenceChanges { PenaltyRates = rates });
        Assert.Equal(CommandStatus.Accepted, loaded.Status);
        Assert.Equal("loaded 5 penalty rates", loaded.Result);
        Assert.Equal(CommandStatus.Replayed, (await ImportAsync(books, new ReferenceChanges { PenaltyRates = rates })).Status);

        IReadOnlyList<PenaltyRate> read = await books.Store.ReadPenaltyRatesAsync(CancellationToken.None);
        Assert.Equal(rates.OrderBy(r => r.AssetClass).ThenBy(r => r.EffectiveFrom), read);
        Assert.Equal(["0.00012", "0.00013", "0.00001", "0", "0.000060"], read.Select(r => r.Rate.ToString(CultureInfo.InvariantCulture)));

        // The same category and date replaces the rate; another date adds a row.
        await ImportAsync(books, new ReferenceChanges
        {
            PenaltyRates = [new(PenaltyAssetClass.ShareLiquid, new LocalDate(2026, 6, 1), 0.00011m), new(PenaltyAssetClass.ShareLiquid, new LocalDate(2028, 1, 3), 0.0002m)],
        });
        read = await books.Store.ReadPenaltyRatesAsync(CancellationToken.None);
        Assert.Equal(6, read.Count);
        Assert.Equal(
        [
            new PenaltyRate(PenaltyAssetClass.ShareLiquid, new LocalDate(2026, 6, 1), 0.00011m),
            new PenaltyRate(PenaltyAssetClass.ShareLiquid, new LocalDate(2027, 1, 4), 0.00013m),
            new PenaltyRate(PenaltyAssetClass.ShareLiquid, new LocalDate(2028, 1, 3), 0.0002m),
        ], read.Take(3));
        Assert.True((await books.Audit.VerifyAsync(null, CancellationToken.None)).IsIntact);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Books_created_before_0017_get_an_empty_table(Backend backend)
    {
        await using IStoreHarness harness = await Harness.CreateAsync(backend, migrateThrough: 16);
        Assert.Equal(["0017_penalty_rates"], await ((AdoStore)harness.Store).MigrateAsync(17, CancellationToken.None));
        Assert.Empty(await harness.Store.ReadPenaltyRatesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_application_role_may_upsert_penalty_rates()
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
                    "INSERT INTO penalty_rates (category, effective_from, rate) VALUES (1, '2026-06-01', 0.00012) " +
                    "ON CONFLICT (category, effective_from) DO UPDATE SET rate = excluded.rate; RESET ROLE;");
            }
        }
        finally
        {
            await books.Harness.ExecuteRawAsync($"RESET ROLE; DROP OWNED BY {role}; DROP ROLE {role};");
        }
        Assert.Equal(new PenaltyRate(PenaltyAssetClass.ShareLiquid, new LocalDate(2026, 6, 1), 0.00012m),
            Assert.Single(await books.Store.ReadPenaltyRatesAsync(CancellationToken.None)));
    }
}
