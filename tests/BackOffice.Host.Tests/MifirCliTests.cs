using System.Xml.Linq;
using BackOffice.Domain.Primitives;
using BackOffice.Intake.Iso20022;

namespace BackOffice.Host.Tests;

/// <summary>
/// MiFIR transaction reporting as operations run it: compliance mifir --date D --out FILE over
/// booked trades, the regulator's feedback recorded with compliance mifir-feedback, a rejected
/// report sent again, corrections and busts reported as cancellations and new reports, and
/// compliance mifir-reports listing where each record stands.
/// </summary>
public sealed class MifirCliTests
{
    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    private const string Broker = "5493000DEMO0BROKER41";
    private const string TradeHeader = "source_trade_id,action,ref_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty," +
        "trade_date,executed_at,venue_transaction_id";
    private static readonly XNamespace Ns = Auth016.Namespace;

    private static string Row(string id, string side, string quantity, string account, string action = "NEW", string refId = "", string isin = "FR0000120271",
        string market = "XPAR", string currency = "EUR", string date = "2026-11-25", string executedAt = "2026-11-25T09:30:01.123456Z") =>
        $"{id},{action},{refId},{side},{isin},ISIN,{market},{quantity},55.20,{currency},{account},{Broker},{date},{executedAt},{(market == "XPAR" ? "XPAR-" + id : "")}";

    private static async Task<Workspace> ReadyAsync(string store)
    {
        Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string firm = workspace.File("mifir-firm.csv", "executing_entity_lei,submitting_entity_lei,branch_country,investment_decision,execution,reporting_from\n" +
            "5493000DEMO0FIRM0097,,FR,CONCAT:FR19750312MARIEDUPON@FR,ALGO:SOR-EU-7,2026-11-01\n");
        string clients = workspace.File("mifir-clients.csv", "account,id_type,id,first_name,surname,birth_date,branch_country,decision_maker_lei,discretionary\n" +
            "C-1002,CONCAT,FR19800101MARIEMARTI,Marie,Martin,1980-01-01,,,false\n");
        foreach ((string kind, string file) in new[] { ("mifir-firm", firm), ("mifir-clients", clients) })
        {
            CliResult loaded = await workspace.RunAsync("refdata", "import", "--kind", kind, "--file", file);
            Assert.True(loaded.Exit == 0, loaded.Error);
        }
        return workspace;
    }

    private static async Task<CliResult> ImportAsync(Workspace workspace, string name, params string[] rows)
    {
        CliResult imported = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", workspace.File(name, TradeHeader + "\n" + string.Join("\n", rows) + "\n"));
        Assert.True(imported.Exit == 0, imported.Error + imported.Output);
        return imported;
    }

    private static XElement[] Records(string path, string kind) =>
        XDocument.Load(path).Root!.Element(Ns + "FinInstrmRptgTxRpt")!.Elements(Ns + "Tx").Select(t => t.Element(Ns + kind)).OfType<XElement>().ToArray();

    private static string[] Ids(string path, string kind) => Records(path, kind).Select(r => r.Element(Ns + "TxId")!.Value).ToArray();

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Reports_feedback_resends_corrections_and_busts_from_the_command_line(string store)
    {
        await using Workspace workspace = await ReadyAsync(store);
        await ImportAsync(workspace, "day1.csv",
            Row("T1", "BUY", "300", "C-1001"),
            Row("T2", "SELL", "100", "PROP-EQ"),
            Row("T3", "BUY", "10", "C-1001", isin: "US0378331005", market: "XNAS", currency: "USD"),
            Row("T4", "BUY", "50", "C-1002"));

        string first = Path.Combine(workspace.Directory, "first.xml");
        CliResult report = await workspace.RunAsync("compliance", "mifir", "--date", "2026-11-25", "--out", first);
        Assert.True(report.Exit == 0, report.Error);
        Assert.Equal("wrote MIFIR_20261125_000001 for 2026-11-25: 3 new, 0 cancelled (written to first.xml)", report.Output.Trim());
        string xml = await File.ReadAllTextAsync(first);
        Assert.Null(Auth016.Validate(xml));
        // Trade 3 is Apple on Nasdaq: not reportable. The firm sold what it did not hold: short.
        Assert.Equal(["T1V1", "T2V1", "T4V1"], Ids(first, "New"));
        XElement[] news = Records(first, "New");
        Assert.Equal("SESH", news[1].Element(Ns + "AddtlAttrbts")!.Element(Ns + "ShrtSellgInd")!.Value);
        Assert.Equal("DEAL", news[1].Element(Ns + "Tx")!.Element(Ns + "TradgCpcty")!.Value);
        Assert.Equal("2026-11-25T09:30:01.123456Z", news[0].Element(Ns + "Tx")!.Element(Ns + "TradDt")!.Value);
        Assert.Equal("XPAR-T1", news[0].Element(Ns + "Tx")!.Element(Ns + "TradPlcMtchgId")!.Value);
        Assert.Equal("Martin", news[2].Descendants(Ns + "Prsn").First().Element(Ns + "Nm")!.Value);

        // Run again: nothing new is due; the date's file is written again, byte for byte.
        string again = Path.Combine(workspace.Directory, "again.xml");
        CliResult rerun = await workspace.RunAsync("compliance", "mifir", "--date", "2026-11-25", "--out", again);
        Assert.Equal(0, rerun.Exit);
        Assert.StartsWith("nothing new to report through 2026-11-25; the last file of the date is MIFIR_20261125_000001", rerun.Output, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(again));

        // The regulator accepts the file but rejects Marie Martin's record.
        string advice = workspace.File("feedback-1.xml", Auth031.Write("MIFIR_20261125_000001", "PART",
            [("T4V1", "RJCT", [("CON-071", "The buyer's national identifier does not follow the CONCAT rules")])]).Value);
        CliResult feedback = await workspace.RunAsync("compliance", "mifir-feedback", advice);
        Assert.True(feedback.Exit == 0, feedback.Error);
        Assert.Equal(["feedback feedback-1.xml: 2 accepted, 1 rejected",
            "  rejected T4V1 (trade 4): CON-071 The buyer's national identifier does not follow the CONCAT rules"], feedback.Lines);
        Assert.StartsWith("already recorded: ", (await workspace.RunAsync("compliance", "mifir-feedback", advice)).Output, StringComparison.Ordinal);
        CliResult rejected = await workspace.RunAsync("compliance", "mifir-reports", "--status", "rejected");
        Assert.Equal(["file,business_date,transaction_id,action,trade_id,version,status,reason",
            "MIFIR_20261125_000001,2026-11-25,T4V1,new,4,1,rejected,CON-071 The buyer's national identifier does not follow the CONCAT rules"], rejected.Lines);

        // Next day: trade 1 is corrected, trade 2 busted, and a trade arrives without its execution time.
        await ImportAsync(workspace, "day2.csv",
            Row("T1-C", "BUY", "250", "C-1001", action: "CORRECT", refId: "T1"),
            Row("T2-X", "SELL", "100", "PROP-EQ", action: "BUST", refId: "T2"),
            Row("T5", "BUY", "20", "C-1001", date: "2026-11-26", executedAt: ""));
        string second = Path.Combine(workspace.Directory, "second.xml");
        CliResult next = await workspace.RunAsync("compliance", "mifir", "--date", "2026-11-26", "--out", second);
        Assert.Equal(1, next.Exit);
        Assert.Equal("wrote MIFIR_20261126_000002 for 2026-11-26: 2 new, 2 cancelled; 1 trades not reportable (see the exceptions) (written to second.xml)",
            next.Output.Trim());
        Assert.Equal("error: trade 5 version 1, field 28: mifir.trading-time: the trade has no execution time; field 28 needs the date and time in UTC", next.Error.Trim());
        Assert.Null(Auth016.Validate(await File.ReadAllTextAsync(second)));
        // The correction cancels T1V1 and reports T1V2; the bust cancels T2V1; the rejected T4V1 goes again.
        Assert.Equal(["T1V1", "T2V1"], Ids(second, "Cxl"));
        Assert.Equal(["T1V2", "T4V1"], Ids(second, "New"));
        Assert.Equal("250", Records(second, "New")[0].Element(Ns + "Tx")!.Element(Ns + "Qty")!.Element(Ns + "Unit")!.Value);

        CliResult trade1 = await workspace.RunAsync("compliance", "mifir-reports", "--trade", "1");
        Assert.Equal(["MIFIR_20261126_000002,2026-11-26,T1V2,new,1,2,sent,", "MIFIR_20261126_000002,2026-11-26,T1V1,cancel,1,1,sent,",
            "MIFIR_20261125_000001,2026-11-25,T1V1,new,1,1,accepted,"], trade1.Lines.Skip(1));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Feedback_naming_a_record_never_sent_is_refused_whole_and_records_nothing(string store)
    {
        await using Workspace workspace = await ReadyAsync(store);
        await ImportAsync(workspace, "day1.csv", Row("T1", "BUY", "300", "C-1001"), Row("T2", "BUY", "10", "C-1001"));
        Assert.Equal(0, (await workspace.RunAsync("compliance", "mifir", "--date", "2026-11-25", "--out", Path.Combine(workspace.Directory, "r.xml"))).Exit);

        Result<string> advice = Auth031.Write("MIFIR_20261125_000001", "PART", [("T1V1", "RJCT", [("CON-023", "duplicate")]), ("T9V1", "RJCT", [])]);
        CliResult refused = await workspace.RunAsync("compliance", "mifir-feedback", workspace.File("bad.xml", advice.Value));
        Assert.Equal(1, refused.Exit);
        Assert.Equal("error: bad.xml: mifir.unknown-record: the feedback names transaction reference 'T9V1', which is not in MIFIR_20261125_000001", refused.Error.Trim());
        Assert.All((await workspace.RunAsync("compliance", "mifir-reports")).Lines.Skip(1), line => Assert.EndsWith(",sent,", line, StringComparison.Ordinal));

        string unknownFile = workspace.File("other.xml", Auth031.Write("MIFIR_20991231_000009", "ACPT", []).Value);
        Assert.Contains("mifir.unknown-file", (await workspace.RunAsync("compliance", "mifir-feedback", unknownFile)).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_firms_settings_a_run_is_refused_with_the_command_that_loads_them()
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync("sqlite");
        CliResult refused = await workspace.RunAsync("compliance", "mifir", "--date", "2026-11-25", "--out", Path.Combine(workspace.Directory, "r.xml"));
        Assert.Equal(1, refused.Exit);
        Assert.Contains("mifir.settings", refused.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(workspace.Directory, "r.xml")));

        CliResult badLei = await workspace.RunAsync("refdata", "import", "--kind", "mifir-firm", "--file", workspace.File("f.csv",
            "executing_entity_lei,branch_country,execution,reporting_from\n5493000DEMO0FIRM0098,FR,ALGO:X,2026-11-01\n"));
        Assert.Equal(1, badLei.Exit);
        Assert.Contains("identifier.lei", badLei.Error, StringComparison.Ordinal);
    }
}
