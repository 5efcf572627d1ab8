using BackOffice.Application.Ports;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Settlement;
using BackOffice.Storage.Postgres;
using BackOffice.Storage.Sqlite;
using NodaTime;

namespace BackOffice.Host.Tests;

/// <summary>
/// The settlement parameters loaded by <c>refdata import</c> on both stores: close-out rules,
/// central bank rates and an instrument's CSDR category load once, through the audit trail, and
/// read back as loaded; a bad row is refused whole, naming file, line, field and rule, and leaves
/// nothing behind.
/// </summary>
public sealed class SettlementReferenceDataTests
{
    private const string CloseOutHeader = "name,market,category,asset_class,business_days";
    private const string RateHeader = "currency,effective_from,rate,source";
    private const string InstrumentHeader = "isin,name,asset_class,currency,listing_mic,csdr_category";

    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    private static IBackOfficeStore Open(Workspace workspace) =>
        workspace.StoreArgs[0] == "--db" ? SqliteStore.Open(workspace.StoreArgs[1]) : PostgresStore.Open(workspace.StoreArgs[1]);

    private static async Task<CliResult> ImportAsync(Workspace workspace, string kind, string name, string content)
    {
        CliResult result = await workspace.RunAsync("refdata", "import", "--kind", kind, "--file", workspace.File(name, content));
        Assert.True(result.Exit == 0, kind + ": " + result.Error);
        return result;
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Close_out_rules_load_once_and_read_back_by_name(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string csv = CloseOutHeader + "\n" +
            "csdr-art7,,,,4\n" +
            "csdr-art7-illiquid,,SHARE_ILLIQUID,,7\n" +
            "csdr-art7-sme,,sme-non-debt,,15\n" +
            "reg-sho-204,US,,equity,1\n" +
            "fr-sovereign,FR,SOVEREIGN_DEBT,debt,5\n";
        Assert.StartsWith("accepted: loaded 5 close-out rules", (await ImportAsync(workspace, "close-out-rules", "rules.csv", csv)).Output, StringComparison.Ordinal);
        Assert.StartsWith("replayed: loaded 5 close-out rules", (await ImportAsync(workspace, "close-out-rules", "rules.csv", csv)).Output, StringComparison.Ordinal);

        CloseOutRule[] expected =
        [
            new("csdr-art7", null, null, null, 4),
            new("csdr-art7-illiquid", null, PenaltyAssetClass.ShareIlliquid, null, 7),
            new("csdr-art7-sme", null, PenaltyAssetClass.SmeNonDebt, null, 15),
            new("fr-sovereign", "FR", PenaltyAssetClass.SovereignDebt, AssetClass.Debt, 5),
            new("reg-sho-204", "US", null, AssetClass.Equity, 1),
        ];
        await using (IBackOfficeStore books = Open(workspace))
        {
            Assert.Equal(expected, await books.ReadCloseOutRulesAsync(CancellationToken.None));
        }

        // JSON, keyed by name: one rule changed, one added; the others stay.
        string json = """[{"name": "reg-sho-204", "market": "US", "business_days": 3}, {"name": "gb", "market": "GB", "category": null, "business_days": 2}]""";
        Assert.StartsWith("accepted: loaded 2 close-out rules", (await ImportAsync(workspace, "close-out-rules", "rules.json", json)).Output, StringComparison.Ordinal);
        await using (IBackOfficeStore books = Open(workspace))
        {
            IReadOnlyList<CloseOutRule> rules = await books.ReadCloseOutRulesAsync(CancellationToken.None);
            Assert.Equal(["csdr-art7", "csdr-art7-illiquid", "csdr-art7-sme", "fr-sovereign", "gb", "reg-sho-204"], rules.Select(r => r.Name));
            Assert.Equal(new CloseOutRule("reg-sho-204", "US", null, null, 3), rules[^1]);
            Assert.Equal(new CloseOutRule("gb", "GB", null, null, 2), rules[4]);
        }
        CliResult verify = await workspace.RunAsync("audit", "verify");
        Assert.True(verify.Exit == 0, verify.Output + verify.Error);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Central_bank_rates_load_once_and_give_the_rate_in_force_on_a_day(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string csv = RateHeader + "\n" +
            "EUR,2025-06-11,0.0240,ECB marginal lending facility\n" +
            "EUR,2025-04-23,0.0265,ECB marginal lending facility\n" +
            "CHF,2024-01-01,-0.0025,test rate below zero\n";
        Assert.StartsWith("accepted: loaded 3 central bank rates", (await ImportAsync(workspace, "central-bank-rates", "rates.csv", csv)).Output, StringComparison.Ordinal);
        Assert.StartsWith("replayed: loaded 3 central bank rates", (await ImportAsync(workspace, "central-bank-rates", "rates.csv", csv)).Output, StringComparison.Ordinal);

        await using (IBackOfficeStore books = Open(workspace))
        {
            IReadOnlyList<CentralBankRate> rates = await books.ReadCentralBankRatesAsync(CancellationToken.None);
            Assert.Equal(
            [
                new CentralBankRate("CHF", new LocalDate(2024, 1, 1), -0.0025m, "test rate below zero"),
                new CentralBankRate("EUR", new LocalDate(2025, 4, 23), 0.0265m, "ECB marginal lending facility"),
                new CentralBankRate("EUR", new LocalDate(2025, 6, 11), 0.0240m, "ECB marginal lending facility"),
            ], rates);
            Assert.Equal(0.0265m, CentralBankRates.RateOn(rates, "EUR", new LocalDate(2025, 6, 10)));
            Assert.Equal(0.0240m, CentralBankRates.RateOn(rates, "EUR", new LocalDate(2026, 1, 5)));
            Assert.Null(CentralBankRates.RateOn(rates, "EUR", new LocalDate(2025, 4, 22)));
            Assert.Equal(-0.0025m, CentralBankRates.RateOn(rates, "CHF", new LocalDate(2025, 1, 1)));
        }

        // Keyed by currency and date: a correction replaces that day's rate and source only.
        string json = """[{"currency": "EUR", "effective_from": "2025-06-11", "rate": 0.0241, "source": "corrected"}]""";
        Assert.StartsWith("accepted: loaded 1 central bank rates", (await ImportAsync(workspace, "central-bank-rates", "fix.json", json)).Output, StringComparison.Ordinal);
        await using (IBackOfficeStore books = Open(workspace))
        {
            IReadOnlyList<CentralBankRate> rates = await books.ReadCentralBankRatesAsync(CancellationToken.None);
            Assert.Equal(3, rates.Count);
            Assert.Equal(new CentralBankRate("EUR", new LocalDate(2025, 6, 11), 0.0241m, "corrected"), rates[^1]);
        }
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task An_instruments_csdr_category_round_trips_and_a_file_without_the_column_still_loads(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        const string Total = "FR0000120271";
        static async Task<PenaltyAssetClass?> CategoryAsync(Workspace workspace, string isin)
        {
            await using IBackOfficeStore books = Open(workspace);
            return (await books.ReadTradeReferenceAsync(CancellationToken.None)).FindByIsin(isin)!.CsdrCategory;
        }

        // The demo's instruments file has no csdr_category column: none of them has a category of its own.
        Assert.Null(await CategoryAsync(workspace, Total));

        await ImportAsync(workspace, "instruments", "total.csv", InstrumentHeader + "\n" + Total + ",TotalEnergies SE shares,equity,EUR,XPAR,SHARE_ILLIQUID\n");
        Assert.Equal(PenaltyAssetClass.ShareIlliquid, await CategoryAsync(workspace, Total));
        // JSON too, and in lower case with hyphens.
        string json = "[{\"isin\": \"" + Total + "\", \"name\": \"TotalEnergies SE shares\", \"asset_class\": \"equity\", \"currency\": \"EUR\", " +
            "\"listing_mic\": \"XPAR\", \"csdr_category\": \"share-liquid\"}]";
        await ImportAsync(workspace, "instruments", "total.json", json);
        Assert.Equal(PenaltyAssetClass.ShareLiquid, await CategoryAsync(workspace, Total));

        // The same file as before the column existed is a replay (its content is its key): it changes nothing.
        string samples = Path.Combine(AppContext.BaseDirectory, "samples", "instruments.csv");
        CliResult replay = await workspace.RunAsync("refdata", "import", "--kind", "instruments", "--file", samples);
        Assert.StartsWith("replayed:", replay.Output, StringComparison.Ordinal);
        Assert.Equal(PenaltyAssetClass.ShareLiquid, await CategoryAsync(workspace, Total));
        // A new row without the column is accepted and replaces the instrument whole: the category is cleared.
        CliResult cleared = await ImportAsync(workspace, "instruments", "plain.csv",
            "isin,name,asset_class,currency,listing_mic\n" + Total + ",TotalEnergies SE shares,equity,EUR,XPAR\n");
        Assert.StartsWith("accepted: loaded 1 instruments", cleared.Output, StringComparison.Ordinal);
        Assert.Null(await CategoryAsync(workspace, Total));
    }

    public static TheoryData<string, string, string, string, string> BadFiles
    {
        get
        {
            (string Kind, string Content, string Where, string Says)[] cases =
            [
                ("close-out-rules", CloseOutHeader + "\ncsdr-art7,,,,4\nslow,,,,0\n", "c.csv:3: close-out.business-days", "business_days must be 1 to 250, not 0"),
                ("close-out-rules", CloseOutHeader + "\nslow,,,,251\n", "c.csv:2: close-out.business-days", "business_days must be 1 to 250, not 251"),
                ("close-out-rules", "name,market,business_days\nparis,fr,3\n", "c.csv:2: close-out.market", "market 'fr' is not an ISO 3166-1 alpha-2 country code"),
                ("close-out-rules", "name,market,business_days\nlondon,UK,3\n", "c.csv:2: close-out.market", "market 'UK'"),
                ("close-out-rules", "name,category,business_days\nilliquid,ILLIQUID,7\n", "c.csv:2: field.enumeration",
                    "category must be one of SHARE_LIQUID, SHARE_ILLIQUID, SME_NON_DEBT, SOVEREIGN_DEBT, OTHER_DEBT, SME_DEBT, OTHER, not 'ILLIQUID'"),
                ("close-out-rules", "name,asset_class,business_days\nshares,shares,7\n", "c.csv:2: field.enumeration", "asset_class must be one of equity, debt, fund, derivative"),
                ("close-out-rules", "name,business_days\ncsdr-art7,4\ncsdr-art7,5\n", "c.csv:3: reference.duplicate", "'csdr-art7' appears more than once"),
                ("close-out-rules", "name,business_days\n,4\n", "c.csv:2: field.required", "name is required"),
                ("close-out-rules", "name,business_days\nsoon,four\n", "c.csv:2: field.integer", "business_days must be a whole number"),
                ("close-out-rules", "name,market\ncsdr-art7,\n", "c.csv:1: csv.column-missing", "business_days"),
                ("close-out-rules", """[{"name": "csdr-art7", "business_days": 0}]""", "c.json: item 1: close-out.business-days", "business_days must be 1 to 250"),
                ("central-bank-rates", RateHeader + "\nEUR,2025-06-11,0.024,ECB\nEUX,2025-06-11,0.024,ECB\n", "c.csv:3: reference.unknown", "currency 'EUX' is not a known currency"),
                ("central-bank-rates", RateHeader + "\nEUR,2025-06-11,1.5,ECB\n", "c.csv:2: central-bank-rate.rate", "not 1.5"),
                ("central-bank-rates", RateHeader + "\nEUR,2025-06-11,-1,ECB\n", "c.csv:2: central-bank-rate.rate", "rate is a fraction a year between -1 and 1"),
                ("central-bank-rates", RateHeader + "\nEUR,2025-06-11,2.4%,ECB\n", "c.csv:2: field.decimal", "rate must be a decimal number"),
                ("central-bank-rates", RateHeader + "\nEUR,11/06/2025,0.024,ECB\n", "c.csv:2: field.date", "effective_from must be a date as yyyy-MM-dd"),
                ("central-bank-rates", RateHeader + "\nEUR,2025-06-11,0.024,\n", "c.csv:2: field.required", "source is required"),
                ("central-bank-rates", RateHeader + "\nEUR,2025-06-11,0.024,ECB\nEUR,2025-06-11,0.025,ECB\n", "c.csv:3: reference.duplicate", "'EUR 2025-06-11' appears more than once"),
                ("central-bank-rates", "currency,effective_from,rate\nEUR,2025-06-11,0.024\n", "c.csv:1: csv.column-missing", "source"),
                ("instruments", InstrumentHeader + "\nFR0000120271,TotalEnergies SE shares,equity,EUR,XPAR,LIQUID\n", "c.csv:2: field.enumeration",
                    "csdr_category must be one of SHARE_LIQUID"),
            ];
            var data = new TheoryData<string, string, string, string, string>();
            foreach (string store in new[] { "sqlite", "postgres" })
            {
                foreach ((string kind, string content, string where, string says) in cases)
                {
                    data.Add(store, kind, content, where, says);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_row_is_refused_whole_naming_file_line_field_and_rule_and_records_nothing(string store, string kind, string content, string where, string says)
    {
        await using Workspace workspace = store == "postgres" ? await Workspace.PostgresAsync() : await Workspace.SqliteAsync();
        Assert.Equal(0, (await workspace.RunAsync("init")).Exit);
        await ImportAsync(workspace, "markets", "m.csv", "mic,name,country\nXPAR,Euronext Paris,FR\n");
        await ImportAsync(workspace, "close-out-rules", "r.csv", CloseOutHeader + "\ncsdr-art7,,,,4\n");
        await ImportAsync(workspace, "central-bank-rates", "b.csv", RateHeader + "\nEUR,2025-04-23,0.0265,ECB\n");
        string before = await StateAsync(workspace);

        CliResult result = await workspace.RunAsync("refdata", "import", "--kind", kind, "--file", workspace.File(content.StartsWith('[') ? "c.json" : "c.csv", content));
        Assert.Equal(1, result.Exit);
        Assert.StartsWith("error: " + where, result.Error, StringComparison.Ordinal);
        Assert.Contains(says, result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync(workspace));
    }

    /// <summary>The audit trail and the settlement reference data as stored.</summary>
    private static async Task<string> StateAsync(Workspace workspace)
    {
        await using IBackOfficeStore books = Open(workspace);
        IReadOnlyList<CloseOutRule> rules = await books.ReadCloseOutRulesAsync(CancellationToken.None);
        IReadOnlyList<CentralBankRate> rates = await books.ReadCentralBankRatesAsync(CancellationToken.None);
        Instrument? total = (await books.ReadTradeReferenceAsync(CancellationToken.None)).FindByIsin("FR0000120271");
        return (await workspace.RunAsync("audit", "log")).Output + (await workspace.RunAsync("audit", "verify")).Output
            + string.Join(";", rules) + string.Join(";", rates) + total;
    }
}
