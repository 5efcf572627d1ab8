
namespace BackOffice.Host.Tests;

/// <summary>The CLI's interfaces as operations scripts use them: arguments, CSV columns, messages and exit statuses.</summary>
public sealed class CliTests
{
    private const string Accounts = "code,name,type,control_account,open\n1010,Cash,asset,,true\n2010,Client money,liability,,true\n2010.C1,Client C1,liability,2010,true\n";

    private static string Entry(string key, string debit, string credit, string amount, string asset = "USD") =>
        $"{{\"key\":\"{key}\",\"effective_date\":\"2026-11-27\",\"reason\":\"test\",\"postings\":[" +
        $"{{\"account\":\"{debit}\",\"asset\":\"{asset}\",\"direction\":\"debit\",\"amount\":\"{amount}\"}}," +
        $"{{\"account\":\"{credit}\",\"asset\":\"{asset}\",\"direction\":\"credit\",\"amount\":\"{amount}\"}}]}}";

    private static async Task<Workspace> ReadyAsync()
    {
        Workspace workspace = await Workspace.SqliteAsync();
        Assert.Equal(0, (await workspace.RunAsync("init")).Exit);
        CliResult load = await workspace.RunAsync("refdata", "import", "--kind", "ledger-accounts", "--file", workspace.File("accounts.csv", Accounts));
        Assert.True(load.Exit == 0, load.Error);
        return workspace;
    }

    /// <summary>Everything stored, as the CLI shows it: balances and the audit head.</summary>
    private static async Task<string> StateAsync(Workspace workspace) =>
        (await workspace.RunAsync("balances")).Output + (await workspace.RunAsync("audit", "verify")).Output;

    [Fact]
    public async Task Post_prints_one_row_per_entry_and_a_second_post_replays()
    {
        await using Workspace workspace = await ReadyAsync();
        string file = workspace.File("e.json", "[" + Entry("k1", "1010", "2010.C1", "100.50") + "," + Entry("k2", "2010.C1", "1010", "0.50") + "]");
        CliResult first = await workspace.RunAsync("post", "--file", file);
        Assert.Equal(0, first.Exit);
        Assert.Equal(["key,entry_id,status", "k1,1,booked", "k2,2,booked"], first.Lines);
        CliResult second = await workspace.RunAsync("post", "--file", file);
        Assert.Equal(["key,entry_id,status", "k1,1,replayed", "k2,2,replayed"], second.Lines);
        CliResult balances = await workspace.RunAsync("balances");
        Assert.Equal(["ledger_account,asset,amount", "1010,USD,100.00", "2010.C1,USD,-100.00"], balances.Lines);
        CliResult verify = await workspace.RunAsync("audit", "verify");
        Assert.Equal(0, verify.Exit);
        Assert.Equal("audit trail intact: 3 audit records, 2 journal entries", verify.Lines[0]);
        Assert.Matches("^head: 3:[0-9a-f]{64}$", verify.Lines[1]);
        Assert.Equal(0, (await workspace.RunAsync("audit", "verify", "--anchor", verify.Lines[1][6..])).Exit);
        CliResult log = await workspace.RunAsync("audit", "log");
        Assert.Equal("sequence,recorded_at,actor,command_type,idempotency_key,payload_hash,result,entry_count,hash", log.Lines[0]);
        Assert.Equal(["refdata.import", "refdata.import", "journal.post"], log.Lines.Skip(1).Select(l => l.Split(',')[3]));
        Assert.StartsWith("3,", log.Lines[3], StringComparison.Ordinal);
        Assert.EndsWith(verify.Lines[1][8..], log.Lines[3], StringComparison.Ordinal);
        Assert.Contains(",booked 2 entries 1-2; replayed 0,2,", log.Lines[3], StringComparison.Ordinal);
        Assert.Equal(2, (await workspace.RunAsync("audit", "log", "--from", "3")).Lines.Length);
    }

    [Fact]
    public async Task Balances_as_of_and_known_at_and_a_reversal()
    {
        await using Workspace workspace = await ReadyAsync();
        string early = workspace.File("a.json", "[" + Entry("a", "1010", "2010", "10").Replace("2026-11-27", "2026-11-20", StringComparison.Ordinal) + "]");
        Assert.Equal(0, (await workspace.RunAsync("post", "--file", early)).Exit);
        Assert.Equal(0, (await workspace.RunAsync("post", "--file", workspace.File("b.json", "[" + Entry("b", "1010", "2010", "5") + "]"))).Exit);
        Assert.Equal(["ledger_account,asset,amount", "1010,USD,10.00", "2010,USD,-10.00"], (await workspace.RunAsync("balances", "--as-of", "2026-11-21")).Lines);
        Assert.Equal(["ledger_account,asset,amount"], (await workspace.RunAsync("balances", "--known-at", "2001-01-01T00:00:00Z")).Lines);
        CliResult reverse = await workspace.RunAsync("reverse", "--entry", "2", "--key", "rev-b", "--date", "2026-11-27", "--reason", "duplicate wire");
        Assert.Equal(0, reverse.Exit);
        Assert.Equal("accepted: reversed entry 2 as entry 3", reverse.Lines[0]);
        Assert.Equal(["ledger_account,asset,amount", "1010,USD,10.00", "2010,USD,-10.00"], (await workspace.RunAsync("balances")).Lines);
        CliResult twice = await workspace.RunAsync("reverse", "--entry", "2", "--key", "rev-b2", "--date", "2026-11-27", "--reason", "again");
        Assert.Equal(1, twice.Exit);
        Assert.Contains("reversal.already-reversed", twice.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await workspace.RunAsync("balances", "rebuild", "--check")).Exit);
    }

    public static TheoryData<string, string, string> BadEntryFiles => new()
    {
        { "{\"entries\": [" + Entry("x", "1010", "2010", "1") + ",\n{\"key\": }]}", "json.syntax", "e.json:2" },
        { "[" + Entry("x", "1010", "2010", "1") + ",\n" + Entry("y", "1010", "9999", "1") + "]", "posting.ledger-account-unknown", "e.json:2: entry 2, posting 2" },
        { "[" + Entry("x", "1010", "2010", "1") + ",\n" + Entry("y", "1010", "2010", "1", "XAU") + "]", "posting.asset-unknown", "e.json:2: entry 2, posting 1" },
        { "[" + Entry("x", "1010", "2010", "1.001") + "]", "posting.amount-precision", "e.json:1: entry 1, posting 1" },
        { "[" + Entry("x", "1010", "2010", "1").Replace("\"credit\",\"amount\":\"1\"", "\"credit\",\"amount\":\"2\"", StringComparison.Ordinal) + "]", "entry.unbalanced", "e.json:1: entry 1" },
        { "[" + Entry("x", "1010", "2010", "1") + ",\n" + Entry("x", "1010", "2010", "2") + "]", "entry.key-conflict", "e.json:2: entry 2" },
        { "[" + Entry("k-booked", "1010", "2010", "7") + "]", "entry.key-conflict", "e.json:1: entry 1" },
    };

    [Theory, MemberData(nameof(BadEntryFiles))]
    public async Task A_bad_entry_file_is_refused_whole_naming_rule_and_line_and_changes_nothing(string json, string rule, string location)
    {
        await using Workspace workspace = await ReadyAsync();
        Assert.Equal(0, (await workspace.RunAsync("post", "--file", workspace.File("booked.json", "[" + Entry("k-booked", "1010", "2010", "3") + "]"))).Exit);
        string before = await StateAsync(workspace);
        CliResult result = await workspace.RunAsync("post", "--file", workspace.File("e.json", json));
        Assert.Equal(1, result.Exit);
        Assert.StartsWith($"error: {location}: {rule}: ", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync(workspace));
    }

    public static TheoryData<string, string, string, string> BadReferenceFiles => new()
    {
        { "instruments", "isin,name,asset_class,currency,listing_mic\nUS0378331005,Apple,equity,USD,XNAS\nUS0378331006,Typo,equity,USD,XNAS\n", "i.csv:3: instrument.isin", "ISO 6166" },
        { "instruments", "isin,name,asset_class,currency,listing_mic\nUS0378331005,Apple,equity,USD,XLON\n", "i.csv:2: reference.unknown", "listing_mic 'XLON'" },
        { "instruments", "isin,name,asset_class,currency,listing_mic\nUS0378331005,Apple,shares,USD,XNAS\n", "i.csv:2: field.enumeration", "asset_class must be one of equity, debt, fund, derivative" },
        { "instruments", "isin,name,currency,listing_mic\nUS0378331005,Apple,USD,XNAS\n", "i.csv:1: csv.column-missing", "asset_class" },
        { "markets", "mic,name,country\nZZZQ,Nowhere,US\n", "i.csv:2: market.mic", "ISO 10383" },
        { "parties", "lei,name,role,bic\n5493001KJTIIGC8Y1R13,Bad check,client,\n", "i.csv:2: party.lei", "ISO 17442" },
        { "currencies", "code,numeric_code,minor_units,name\nJPY,392,2,Yen\n", "i.csv:2: currency.minor-units", "ISO 4217 gives JPY 0 minor units" },
        { "markets", "mic,name,country\nXNAS,\"Nasdaq,US\n", "i.csv:2: csv.quote", "not closed" },
        { "markets", "[{\"mic\": \"XNAS\", \"name\": }]", "i.json: json.syntax", "" },
    };

    [Theory, MemberData(nameof(BadReferenceFiles))]
    public async Task A_bad_reference_file_is_refused_whole_naming_rule_and_line_and_changes_nothing(string kind, string csv, string where, string says)
    {
        await using Workspace workspace = await ReadyAsync();
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "markets", "--file", workspace.File("m.csv", "mic,name,country\nXNAS,Nasdaq,US\n"))).Exit);
        string before = await StateAsync(workspace);
        string name = csv.StartsWith('[') ? "i.json" : "i.csv";
        CliResult result = await workspace.RunAsync("refdata", "import", "--kind", kind, "--file", workspace.File(name, csv));
        Assert.Equal(1, result.Exit);
        Assert.StartsWith("error: " + where, result.Error, StringComparison.Ordinal);
        Assert.Contains(says, result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync(workspace));
    }

    [Fact]
    public async Task Reference_data_loads_once_and_a_booked_asset_keeps_its_scale()
    {
        await using Workspace workspace = await ReadyAsync();
        string markets = workspace.File("m.json", "[{\"mic\":\"XNAS\",\"name\":\"Nasdaq\",\"country\":\"US\"}]");
        Assert.StartsWith("accepted: loaded 1 markets", (await workspace.RunAsync("refdata", "import", "--kind", "markets", "--file", markets)).Output, StringComparison.Ordinal);
        Assert.StartsWith("replayed: loaded 1 markets", (await workspace.RunAsync("refdata", "import", "--kind", "markets", "--file", markets)).Output, StringComparison.Ordinal);
        string instrument = "isin,name,asset_class,currency,listing_mic,quantity_scale\nUS0378331005,Apple,equity,USD,XNAS,0\n";
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "instruments", "--file", workspace.File("i.csv", instrument))).Exit);
        CliResult rescale = await workspace.RunAsync("refdata", "import", "--kind", "instruments", "--file", workspace.File("i2.csv", instrument.Replace(",0\n", ",2\n", StringComparison.Ordinal)));
        Assert.Equal(1, rescale.Exit);
        Assert.Contains("asset.scale-change", rescale.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Identifiers_validate_prints_csv_and_exits_zero_only_when_all_are_valid()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        CliResult valid = await workspace.RunAsync("identifiers", "validate", "--type", "isin", "US0378331005", "GB0002634946");
        Assert.Equal(0, valid.Exit);
        Assert.Equal(["type,value,valid,reason", "isin,US0378331005,true,", "isin,GB0002634946,true,"], valid.Lines);
        CliResult mixed = await workspace.RunAsync("identifiers", "validate", "--type", "cusip", "037833100", "037833101");
        Assert.Equal(1, mixed.Exit);
        Assert.StartsWith("cusip,037833101,false,", mixed.Lines[2], StringComparison.Ordinal);
        string file = workspace.File("ids.csv", "type,value\nsedol,0263494\nlei,5493001KJTIIGC8Y1R12\nbic,DEUTDEFF\nmic,XNYS\nmic,QQQQ\nfoo,bar\n");
        CliResult fromFile = await workspace.RunAsync("identifiers", "validate", "--file", file);
        Assert.Equal(1, fromFile.Exit);
        Assert.Equal(["true", "true", "true", "true", "false", "false"], fromFile.Lines.Skip(1).Select(l => l.Split(',')[2]));
        Assert.Contains("unknown identifier type 'foo'", fromFile.Lines[6], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calendar_commands_answer_for_one_value_or_a_file()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.Equal(["2025-10-14"], (await workspace.RunAsync("calendar", "settlement-date", "--market", "XNYS", "--trade-date", "2025-10-10")).Lines);
        Assert.Equal(["2024-05-29"], (await workspace.RunAsync("calendar", "settlement-date", "--market", "XNYS", "--trade-date", "2024-05-24")).Lines);
        Assert.Equal(["2025-10-16"], (await workspace.RunAsync("calendar", "settlement-date", "--market", "XNYS", "--trade-date", "2025-10-10", "--cycle", "3")).Lines);
        CliResult holiday = await workspace.RunAsync("calendar", "settlement-date", "--market", "XNYS", "--trade-date", "2025-12-25");
        Assert.Equal(1, holiday.Exit);
        Assert.Contains("trade date 2025-12-25 is not a business day of XNYS", holiday.Error, StringComparison.Ordinal);
        Assert.Equal(["false"], (await workspace.RunAsync("calendar", "is-business-day", "--market", "XNYS", "--date", "2025-01-09")).Lines);
        Assert.Equal(["true"], (await workspace.RunAsync("calendar", "is-business-day", "--market", "XNYS", "--date", "2025-10-13")).Lines);
        Assert.Equal(["false"], (await workspace.RunAsync("calendar", "is-business-day", "--market", "DTC", "--date", "2025-10-13")).Lines);
        string trades = workspace.File("t.csv", "market,trade_date,cycle\nXNYS,2025-10-10,\nXETR,2026-12-23,\nXLON,2027-12-23,\nXNYS,2025-12-25,\n");
        CliResult batch = await workspace.RunAsync("calendar", "settlement-date", "--file", trades);
        Assert.Equal(1, batch.Exit);
        Assert.Equal(["market,trade_date,cycle,settlement_date", "XNYS,2025-10-10,,2025-10-14", "XETR,2026-12-23,,2026-12-28", "XLON,2027-12-23,,2027-12-29", "XNYS,2025-12-25,,"], batch.Lines);
        Assert.Contains("t.csv:5", batch.Error, StringComparison.Ordinal);
        CliResult days = await workspace.RunAsync("calendar", "is-business-day", "--file", workspace.File("d.csv", "market,date\nTARGET2,2026-05-01\nXTKS,2026-09-22\n"));
        Assert.Equal(["market,date,is_business_day", "TARGET2,2026-05-01,false", "XTKS,2026-09-22,false"], days.Lines);
    }

    [Fact]
    public async Task Usage_errors_and_missing_databases_are_reported()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.Equal(2, (await workspace.RunAsync("post")).Exit);
        Assert.Equal(2, (await workspace.RunAsync("no-such-verb")).Exit);
        CliResult missing = await workspace.RunAsync("balances");
        Assert.Equal(3, missing.Exit);
        Assert.Contains("run 'backoffice init", missing.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(workspace.Directory, "books.db")));
    }

    [Fact]
    public async Task The_demo_runs_and_ends_with_an_intact_audit_trail()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        CliResult demo = await workspace.RunAsync("demo");
        Assert.True(demo.Exit == 0, demo.Error);
        Assert.Contains("settle T+1 on 2026-11-27", demo.Output, StringComparison.Ordinal);
        // Four trades from the CSV file, then a correction of one and a bust of another.
        Assert.Contains("trades: trades.csv: 4 booked, 0 corrected, 0 busted, 0 replayed", demo.Output, StringComparison.Ordinal);
        Assert.Contains("trades: trade-amendments.csv: 0 booked, 1 corrected, 1 busted, 0 replayed", demo.Output, StringComparison.Ordinal);
        // The drop copy: two fills, a correction, a bust, and a fill for an unknown account that waits as an exception.
        Assert.Contains("trades: dropcopy.fix (FIX 4.4 drop copy, streamed): 2 booked, 1 corrected, 1 busted, 1 to the exceptions queue", demo.Output, StringComparison.Ordinal);
        Assert.Contains("trade.account-unknown", demo.Output, StringComparison.Ordinal);
        // C-1001 bought 500 AAPL; its CSV sale of 100 was busted and it sold 50 by FIX, so it holds 450.
        Assert.Contains("C-1001,US0378331005,450", demo.Output, StringComparison.Ordinal);
        // The close: 450 Apple at 233.10 against FIFO lots costing 104,154.75; TotalEnergies in EUR and in the account's USD.
        Assert.Contains("C-1001,US0378331005,450,104154.75,233.1,104895.00,740.25,USD,740.25,", demo.Output, StringComparison.Ordinal);
        Assert.Contains("C-1001,FR0000120271,300,16642.80,55.62,16686.00,43.20,USD,45.35,", demo.Output, StringComparison.Ordinal);
        Assert.Contains("C-1001,US0378331005,USD,50,11599.49,11572.75,26.74", demo.Output, StringComparison.Ordinal);
        // The realized 26.74 is booked to C-1001's memo account at the close (both sides of the USD total).
        Assert.Contains("9200.C-1001,USD,-26.74", demo.Output, StringComparison.Ordinal);
        Assert.Contains("total,,,USD,1163540.24,1163540.24", demo.Output, StringComparison.Ordinal);
        Assert.Contains("accruals,done,\"3 interest accruals on client cash, 2 days to 2026-11-27; 0 bond interest accruals\"", demo.Output, StringComparison.Ordinal);
        Assert.Contains("close,done,books closed through 2026-11-25", demo.Output, StringComparison.Ordinal);
        Assert.Contains("roll,done,business date is now 2026-11-27 (XNYS)", demo.Output, StringComparison.Ordinal);
        // Settlement on the 27th: Apple settles in two parts, TotalEnergies fails at Euroclear France and accrues its CSDR penalty.
        Assert.Contains("BO1-1: matched -> partially-settled, 300 of 500 settled", demo.Output, StringComparison.Ordinal);
        Assert.Contains("BO4-1: sent -> failed (CLAC)", demo.Output, StringComparison.Ordinal);
        Assert.Contains("penalty BO4-1 2026-11-27: receive 1.67 EUR", demo.Output, StringComparison.Ordinal);
        Assert.Contains("BO4-1,failed,300,0,16560.00,0,CLAC", demo.Output, StringComparison.Ordinal);
        Assert.Contains("1100,US0378331005,450", demo.Output, StringComparison.Ordinal);
        Assert.Contains("1300.5493000DEMO0BROKER41,FR0000120271,300", demo.Output, StringComparison.Ordinal);
        Assert.Matches(@"# audit trail intact: \d+ audit records, 28 journal entries", demo.Output);
        Assert.Equal(1, (await workspace.RunAsync("demo")).Exit);
        Assert.Equal(0, (await workspace.RunAsync("demo", "--force")).Exit);
    }
}
