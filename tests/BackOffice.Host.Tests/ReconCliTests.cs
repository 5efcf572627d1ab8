namespace BackOffice.Host.Tests;

/// <summary>
/// The reconciliation verbs as operations scripts use them: recon import, recon run --date
/// [--source], recon breaks [--status] [--older-than N], and the actions on a break; and the end of
/// day's reconcile step, which runs the statements of its day that have arrived.
/// </summary>
public sealed class ReconCliTests
{
    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    private const string TradeHeader = "source_trade_id,action,ref_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date";
    private const string BreakHeader = "id,source,account,kind,type,subject,ours,theirs,difference,date,first_seen,last_seen,age_days,status,owner,cause,note,detail";

    // A day of trades: 100 Apple bought and 40 sold for C-1001, pending settlement with the broker (60 net to receive).
    private static async Task<Workspace> DayAsync(string store)
    {
        Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string trades = workspace.File("day.csv", TradeHeader + "\n" +
            "T1,NEW,,BUY,US0378331005,ISIN,XNAS,100,200,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n" +
            "T2,NEW,,SELL,US0378331005,ISIN,XNAS,40,210,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades)).Exit);
        string accounts = Path.Combine(AppContext.BaseDirectory, "samples", "statement-accounts.csv");
        CliResult loaded = await workspace.RunAsync("refdata", "import", "--kind", "statement-accounts", "--file", accounts);
        Assert.True(loaded.Exit == 0, loaded.Error);
        return workspace;
    }

    // A trade-date custody statement of the firm's safekeeping account.
    private static string Custody(Workspace workspace, string name, string date, decimal apple) =>
        workspace.File(name, "statement_id,account,date,basis,isin,quantity\n" +
            $"GC-{date},DEMO-SAFE-1,{date},trade,US0378331005,{apple.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n");

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Import_run_and_work_the_break_queue_from_the_command_line(string store)
    {
        await using Workspace workspace = await DayAsync(store);
        string day1 = Custody(workspace, "gc-24.csv", "2026-11-24", 55m);

        CliResult imported = await workspace.RunAsync("recon", "import", day1);
        Assert.True(imported.Exit == 0, imported.Error);
        Assert.Equal("imported gc-24.csv (custody-csv) as file 1: statement 1 (custody DEMO-SAFE-1 2026-11-24, 1 holdings)", imported.Output.Trim());
        Assert.StartsWith("already imported: ", (await workspace.RunAsync("recon", "import", day1)).Output, StringComparison.Ordinal);

        CliResult run = await workspace.RunAsync("recon", "run", "--date", "2026-11-24");
        Assert.True(run.Exit == 0, run.Error);
        Assert.Equal("statement,source,account,kind,date,compared,matched,breaks,outcome,result", run.Lines[0]);
        Assert.StartsWith("1,GLOBAL-CUSTODIAN,DEMO-SAFE-1,custody,2026-11-24,1,0,1,run,", run.Lines[1], StringComparison.Ordinal);
        Assert.Equal(2, run.Lines.Length);
        Assert.StartsWith("1,GLOBAL-CUSTODIAN,DEMO-SAFE-1,custody,2026-11-24,1,0,1,unchanged,",
            (await workspace.RunAsync("recon", "run", "--date", "2026-11-24")).Lines[1], StringComparison.Ordinal);
        // Another source has no statement that day.
        Assert.Single((await workspace.RunAsync("recon", "run", "--date", "2026-11-24", "--source", "SETTLEMENT-BANK")).Lines);

        // Trade-date basis: the 60 pending receipt counts as held; the custodian says 55.
        CliResult breaks = await workspace.RunAsync("recon", "breaks");
        Assert.Equal(BreakHeader, breaks.Lines[0]);
        Assert.Equal("1,GLOBAL-CUSTODIAN,DEMO-SAFE-1,custody,quantity-difference,US0378331005,60,55,-5,2026-11-24,2026-11-24,2026-11-24,0,open,,,,\"books 60, statement GC-2026-11-24 55\"",
            breaks.Lines[1]);

        // Three days later it is still short: the same break, three days old.
        Assert.Equal(0, (await workspace.RunAsync("recon", "import", Custody(workspace, "gc-27.csv", "2026-11-27", 58m))).Exit);
        Assert.Equal(0, (await workspace.RunAsync("recon", "run", "--date", "2026-11-27")).Exit);
        string[] aged = (await workspace.RunAsync("recon", "breaks", "--older-than", "2")).Lines;
        Assert.Equal(2, aged.Length);
        Assert.Equal(["1", "58", "-2", "2026-11-24", "2026-11-27", "3"], aged[1].Split(',').Select((f, i) => (f, i)).Where(p => p.i is 0 or 7 or 8 or 10 or 11 or 12).Select(p => p.f));
        Assert.Single((await workspace.RunAsync("recon", "breaks", "--older-than", "3")).Lines);

        Assert.Equal(0, (await workspace.RunAsync("recon", "assign", "1", "--owner", "alice")).Exit);
        Assert.Equal(0, (await workspace.RunAsync("recon", "assign", "1", "--owner", "bob")).Exit);
        Assert.Equal(0, (await workspace.RunAsync("recon", "assign", "1", "--owner", "alice")).Exit);
        Assert.Equal(0, (await workspace.RunAsync("recon", "explain", "1", "--note", "custodian has not booked the broker's late delivery")).Exit);
        Assert.Equal("1,explained,alice,custodian has not booked the broker's late delivery", string.Join(',', (await workspace.RunAsync("recon", "breaks",
            "--status", "explained")).Lines[1].Split(',').Where((_, i) => i is 0 or 13 or 14 or 16)));
        CliResult resolved = await workspace.RunAsync("recon", "resolve", "1", "--note", "delivered on the 30th");
        Assert.Equal("break 1 resolved", resolved.Output.Trim());
        Assert.Single((await workspace.RunAsync("recon", "breaks")).Lines);
        Assert.Equal(2, (await workspace.RunAsync("recon", "breaks", "--status", "resolved")).Lines.Length);
        string[] history = (await workspace.RunAsync("recon", "history", "1")).Lines;
        Assert.Equal("at,actor,action,note,run", history[0]);
        Assert.Equal(["found", "seen-again", "assigned", "assigned", "assigned", "explained", "resolved"], history[1..].Select(l => l.Split(',')[2]));
        Assert.EndsWith(",resolved,delivered on the 30th,", history[^1], StringComparison.Ordinal);
        Assert.Equal(1, (await workspace.RunAsync("recon", "history", "99")).Exit);
        CliResult again = await workspace.RunAsync("recon", "resolve", "1", "--note", "twice");
        Assert.Equal(1, again.Exit);
        Assert.Contains("break.resolved", again.Error, StringComparison.Ordinal);

        Assert.Equal(2, (await workspace.RunAsync("recon", "breaks", "--status", "closed")).Exit);
        Assert.Equal(2, (await workspace.RunAsync("recon", "run")).Exit);
        Assert.Equal(3, (await workspace.RunAsync("recon", "statements")).Lines.Length);
        Assert.True((await workspace.RunAsync("audit", "verify")).Exit == 0);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_statement_for_an_unknown_account_is_refused_and_recorded_nowhere(string store)
    {
        await using Workspace workspace = await DayAsync(store);
        string file = workspace.File("other.csv", "statement_id,account,date,basis,isin,quantity\nX,NOT-OURS,2026-11-24,trade,US0378331005,1\n");

        CliResult refused = await workspace.RunAsync("recon", "import", file);

        Assert.Equal(1, refused.Exit);
        Assert.Contains("statement.unknown-account", refused.Error, StringComparison.Ordinal);
        Assert.Contains("other.csv", refused.Error, StringComparison.Ordinal);
        Assert.Single((await workspace.RunAsync("recon", "statements")).Lines);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_end_of_day_reconciles_the_statements_of_its_day(string store)
    {
        await using Workspace workspace = await DayAsync(store);
        string prices = workspace.File("prices.csv", "date,instrument,price,currency,source\n2026-11-24,US0378331005,205.00,USD,NASDAQ official close\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "prices", "--file", prices)).Exit);
        Assert.Equal(0, (await workspace.RunAsync("recon", "import", Custody(workspace, "gc-24.csv", "2026-11-24", 55m))).Exit);

        CliResult eod = await workspace.RunAsync("eod", "run", "--date", "2026-11-24");

        Assert.True(eod.Exit == 0, eod.Error);
        Assert.Contains("2026-11-24,reconcile,done,", eod.Output, StringComparison.Ordinal);
        Assert.Contains("1 statements reconciled, 1 breaks", eod.Output, StringComparison.Ordinal);
        Assert.Equal(2, (await workspace.RunAsync("recon", "breaks")).Lines.Length);
        // A rerun of the day changes nothing.
        string head = (await workspace.RunAsync("audit", "verify")).Output;
        Assert.Equal(eod.Output, (await workspace.RunAsync("eod", "run", "--date", "2026-11-24")).Output);
        Assert.Equal(head, (await workspace.RunAsync("audit", "verify")).Output);
    }
}
