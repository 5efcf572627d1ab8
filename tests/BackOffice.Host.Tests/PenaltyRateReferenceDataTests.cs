using BackOffice.Application.Ports;
using BackOffice.Domain.Settlement;
using BackOffice.Storage.Postgres;
using BackOffice.Storage.Sqlite;
using NodaTime;

namespace BackOffice.Host.Tests;

/// <summary>
/// CSDR penalty rates loaded by <c>refdata import --kind penalty-rates</c> on both stores: they
/// load once, through the audit trail, read back by category then date, upsert on category and
/// date, and amend the Annex from their date on; a bad row is refused whole, naming file, line,
/// field and rule, and leaves nothing behind.
/// </summary>
public sealed class PenaltyRateReferenceDataTests
{
    private const string Header = "category,effective_from,rate";

    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    private static IBackOfficeStore Open(Workspace workspace) =>
        workspace.StoreArgs[0] == "--db" ? SqliteStore.Open(workspace.StoreArgs[1]) : PostgresStore.Open(workspace.StoreArgs[1]);

    private static async Task<CliResult> ImportAsync(Workspace workspace, string name, string content)
    {
        CliResult result = await workspace.RunAsync("refdata", "import", "--kind", "penalty-rates", "--file", workspace.File(name, content));
        Assert.True(result.Exit == 0, result.Error);
        return result;
    }

    private static async Task<IReadOnlyList<PenaltyRate>> ReadAsync(Workspace workspace)
    {
        await using IBackOfficeStore books = Open(workspace);
        return await books.ReadPenaltyRatesAsync(CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Penalty_rates_load_once_and_read_back_by_category_then_date(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        Assert.Empty(await ReadAsync(workspace));
        string csv = Header + "\n" +
            "SOVEREIGN_DEBT,2027-01-04,0.000015\n" +
            "share-liquid,2027-01-04,0.00012\n" +
            "SHARE_LIQUID,2022-02-01,0.0001\n" +
            "sme_debt,2026-06-01,0\n";
        Assert.StartsWith("accepted: loaded 4 penalty rates", (await ImportAsync(workspace, "rates.csv", csv)).Output, StringComparison.Ordinal);
        Assert.StartsWith("replayed: loaded 4 penalty rates", (await ImportAsync(workspace, "rates.csv", csv)).Output, StringComparison.Ordinal);

        IReadOnlyList<PenaltyRate> rates = await ReadAsync(workspace);
        Assert.Equal(
        [
            new PenaltyRate(PenaltyAssetClass.ShareLiquid, new LocalDate(2022, 2, 1), 0.0001m),
            new PenaltyRate(PenaltyAssetClass.ShareLiquid, new LocalDate(2027, 1, 4), 0.00012m),
            new PenaltyRate(PenaltyAssetClass.SovereignDebt, new LocalDate(2027, 1, 4), 0.000015m),
            new PenaltyRate(PenaltyAssetClass.SmeDebt, new LocalDate(2026, 6, 1), 0m),
        ], rates);

        // With the Annex: the amendment applies from its date on, the Annex before it.
        IReadOnlyList<PenaltyRate> inForce = CsdrPenalties.WithAnnex(rates);
        decimal Rate(PenaltyAssetClass category, LocalDate day) => CsdrPenalties.Daily(
            new PenaltyDay(FailType.LackOfSecurities, category, QuantityKind.Units, 1m, "EUR", day, 1m, null), 10, inForce).Value;
        Assert.Equal(0.0001m, Rate(PenaltyAssetClass.ShareLiquid, new LocalDate(2026, 12, 31)));
        Assert.Equal(0.00012m, Rate(PenaltyAssetClass.ShareLiquid, new LocalDate(2027, 1, 4)));
        Assert.Equal(0.00001m, Rate(PenaltyAssetClass.SovereignDebt, new LocalDate(2026, 12, 31)));
        Assert.Equal(0.000015m, Rate(PenaltyAssetClass.SovereignDebt, new LocalDate(2027, 1, 5)));
        Assert.Equal(0m, Rate(PenaltyAssetClass.SmeDebt, new LocalDate(2026, 6, 1)));

        CliResult verify = await workspace.RunAsync("audit", "verify");
        Assert.True(verify.Exit == 0, verify.Output + verify.Error);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_row_for_a_loaded_category_and_date_replaces_its_rate_and_the_others_stay(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        await ImportAsync(workspace, "rates.csv", Header + "\nSHARE_LIQUID,2027-01-04,0.00012\nOTHER,2027-01-04,0.00006\n");

        // JSON, keyed by category and date: one rate corrected, one added.
        string json = """[{"category": "SHARE_LIQUID", "effective_from": "2027-01-04", "rate": 0.00011}, {"category": "OTHER", "effective_from": "2028-01-03", "rate": "0.00007"}]""";
        Assert.StartsWith("accepted: loaded 2 penalty rates", (await ImportAsync(workspace, "fix.json", json)).Output, StringComparison.Ordinal);
        Assert.Equal(
        [
            new PenaltyRate(PenaltyAssetClass.ShareLiquid, new LocalDate(2027, 1, 4), 0.00011m),
            new PenaltyRate(PenaltyAssetClass.Other, new LocalDate(2027, 1, 4), 0.00006m),
            new PenaltyRate(PenaltyAssetClass.Other, new LocalDate(2028, 1, 3), 0.00007m),
        ], await ReadAsync(workspace));

        // Each import is its own audit record, and the chain holds.
        CliResult log = await workspace.RunAsync("audit", "log");
        Assert.Equal(2, log.Lines.Count(l => l.Contains("penalty rates", StringComparison.Ordinal)));
        CliResult verify = await workspace.RunAsync("audit", "verify");
        Assert.True(verify.Exit == 0, verify.Output + verify.Error);
    }

    public static TheoryData<string, string, string, string> BadFiles
    {
        get
        {
            (string Content, string Where, string Says)[] cases =
            [
                (Header + "\nSHARE_LIQUID,2027-01-04,0.00012\nSHARE_LIQUID,2022-01-31,0.0001\n", "c.csv:3: penalty-rate.date",
                    "effective_from 2022-01-31 is before the penalty regime applied (2022-02-01)"),
                (Header + "\nSHARE_LIQUID,2027-01-04,0.01\n", "c.csv:2: penalty-rate.rate", "rate is a fraction a day from 0 to below 0.01 (0.0001 is 1 basis point), not 0.01"),
                (Header + "\nSHARE_LIQUID,2027-01-04,-0.0001\n", "c.csv:2: penalty-rate.rate", "not -0.0001"),
                (Header + "\nLIQUID,2027-01-04,0.0001\n", "c.csv:2: field.enumeration",
                    "category must be one of SHARE_LIQUID, SHARE_ILLIQUID, SME_NON_DEBT, SOVEREIGN_DEBT, OTHER_DEBT, SME_DEBT, OTHER, not 'LIQUID'"),
                (Header + "\n4,2027-01-04,0.0001\n", "c.csv:2: field.enumeration", "category must be one of SHARE_LIQUID"),
                (Header + "\nSHARE_LIQUID,2027-01-04,1bp\n", "c.csv:2: field.decimal", "rate must be a decimal number"),
                (Header + "\nSHARE_LIQUID,04/01/2027,0.0001\n", "c.csv:2: field.date", "effective_from must be a date as yyyy-MM-dd"),
                (Header + "\nSHARE_LIQUID,2027-01-04,\n", "c.csv:2: field.required", "rate is required"),
                (Header + "\nSHARE_LIQUID,2027-01-04,0.0001\nshare-liquid,2027-01-04,0.0002\n", "c.csv:3: reference.duplicate",
                    "'SHARE_LIQUID 2027-01-04' appears more than once"),
                ("category,effective_from\nSHARE_LIQUID,2027-01-04\n", "c.csv:1: csv.column-missing", "rate"),
                ("""[{"category": "OTHER", "effective_from": "2027-01-04", "rate": 0.02}]""", "c.json: item 1: penalty-rate.rate", "not 0.02"),
            ];
            var data = new TheoryData<string, string, string, string>();
            foreach (string store in new[] { "sqlite", "postgres" })
            {
                foreach ((string content, string where, string says) in cases)
                {
                    data.Add(store, content, where, says);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_row_is_refused_whole_naming_file_line_field_and_rule_and_records_nothing(string store, string content, string where, string says)
    {
        await using Workspace workspace = store == "postgres" ? await Workspace.PostgresAsync() : await Workspace.SqliteAsync();
        Assert.Equal(0, (await workspace.RunAsync("init")).Exit);
        await ImportAsync(workspace, "r.csv", Header + "\nSHARE_LIQUID,2027-01-04,0.00012\n");
        string before = await StateAsync(workspace);

        CliResult result = await workspace.RunAsync("refdata", "import", "--kind", "penalty-rates", "--file",
            workspace.File(content.StartsWith('[') ? "c.json" : "c.csv", content));
        Assert.Equal(1, result.Exit);
        Assert.StartsWith("error: " + where, result.Error, StringComparison.Ordinal);
        Assert.Contains(says, result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync(workspace));
    }

    /// <summary>The audit trail and the penalty rates as stored.</summary>
    private static async Task<string> StateAsync(Workspace workspace) =>
        (await workspace.RunAsync("audit", "log")).Output + (await workspace.RunAsync("audit", "verify")).Output + string.Join(";", await ReadAsync(workspace));
}
