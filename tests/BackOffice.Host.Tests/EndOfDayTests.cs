using BackOffice.Application.EndOfDay;
using BackOffice.Application.WritePath;
using BackOffice.Storage.Postgres;
using BackOffice.Storage.Sqlite;
using NodaTime;

namespace BackOffice.Host.Tests;

/// <summary>
/// The end of day: ordered audited steps; a rerun changes nothing; a run interrupted after any
/// step resumes with the next one and ends exactly as an uninterrupted run; a failed step (no
/// price, a direct posting to a client control account) stops the run until fixed; the closed day
/// then refuses postings.
/// </summary>
public sealed class EndOfDayTests
{
    private const string Header = "source_trade_id,action,ref_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date";
    private static readonly LocalDate Day = new(2026, 11, 24);

    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    private static async Task<Workspace> DayAsync(string store)
    {
        Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string trades = workspace.File("day.csv", Header + "\n" +
            "T1,NEW,,BUY,US0378331005,ISIN,XNAS,100,200,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n" +
            "T2,NEW,,SELL,US0378331005,ISIN,XNAS,40,210,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades)).Exit);
        string prices = workspace.File("prices.csv", "date,instrument,price,currency,source\n2026-11-24,US0378331005,205.00,USD,NASDAQ official close\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "prices", "--file", prices)).Exit);
        return workspace;
    }

    private static Application.Ports.IBackOfficeStore Open(Workspace workspace) =>
        workspace.StoreArgs[0] == "--db" ? SqliteStore.Open(workspace.StoreArgs[1]) : PostgresStore.Open(workspace.StoreArgs[1]);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_day_closes_in_order_and_a_rerun_changes_nothing(string store)
    {
        await using Workspace workspace = await DayAsync(store);
        CliResult run = await workspace.RunAsync("eod", "run", "--date", "2026-11-24");
        Assert.True(run.Exit == 0, run.Error);
        Assert.Equal(["prices", "accruals", "pnl", "checks", "close", "roll"], run.Lines[1..].Select(l => l.Split(',')[1]));
        Assert.All(run.Lines[1..], l => Assert.Equal("done", l.Split(',')[2]));
        // 40 sold at 210 (net of 1.00 commission and 0.01 TAF) against 40 of the lot bought at 200 (plus 1.00 commission).
        Assert.Contains("realized today: 398.59 USD", run.Output, StringComparison.Ordinal);
        Assert.Contains("business date is now 2026-11-25 (XNYS)", run.Output, StringComparison.Ordinal);

        string head = (await workspace.RunAsync("audit", "verify")).Output;
        CliResult again = await workspace.RunAsync("eod", "run", "--date", "2026-11-24");
        Assert.Equal(0, again.Exit);
        Assert.Equal(run.Output, again.Output);
        Assert.Equal(head, (await workspace.RunAsync("audit", "verify")).Output);
        Assert.Equal(["closed_through", "2026-11-24"], (await workspace.RunAsync("period", "status")).Lines);
        // The current business date moved on: eod status without --date shows the 25th, pending.
        Assert.StartsWith("2026-11-25,prices,pending", (await workspace.RunAsync("eod", "status")).Lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_run_interrupted_after_any_step_resumes_with_the_next_and_ends_the_same(string store)
    {
        string? reference = null;
        for (int stop = 0; stop < EodService.Steps.Length; stop++)
        {
            await using Workspace workspace = await DayAsync(store);
            await using (Application.Ports.IBackOfficeStore books = Open(workspace))
            {
                var eod = new EodService(books, new CommandProcessor(books, SystemClock.Instance));
                string interruptAfter = EodService.Steps[stop];
                await Assert.ThrowsAsync<OperationCanceledException>(() => eod.RunAsync(Day, "ops", 0, EodService.DefaultCalendar,
                    state => { if (state.Step == interruptAfter) { throw new OperationCanceledException("interrupted after " + state.Step); } }, CancellationToken.None));
                IReadOnlyList<EodStepState> status = await eod.StatusAsync(Day, CancellationToken.None);
                Assert.Equal(EodService.Steps.Select((_, i) => i <= stop), status.Select(s => s.Done));
            }
            CliResult resumed = await workspace.RunAsync("eod", "run", "--date", "2026-11-24");
            Assert.True(resumed.Exit == 0, resumed.Error);
            // Each step is recorded once: the audit records of the five steps are consecutive after the interruption.
            long[] sequences = resumed.Lines[1..].Select(l => long.Parse(l.Split(',')[3], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(sequences.Order().Distinct(), sequences);
            string outcome = string.Join("\n", resumed.Lines[1..].Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 3))));
            reference ??= outcome;
            Assert.Equal(reference, outcome);
        }
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_failed_step_stops_the_run_until_its_cause_is_fixed(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string trades = workspace.File("day.csv", Header + "\nT1,NEW,,BUY,US0378331005,ISIN,XNAS,100,200,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades)).Exit);
        // A deposit posted to the client money control account itself, not to the client's sub-ledger.
        const string Direct = """{"entries":[{"key":"direct-1","effective_date":"2026-11-24","reason":"deposit","source":"bank","postings":[{"account":"1010","asset":"USD","direction":"debit","amount":"50.00"},{"account":"2010","asset":"USD","direction":"credit","amount":"50.00"}]}]}""";
        Assert.Equal(0, (await workspace.RunAsync("post", "--file", workspace.File("direct.json", Direct))).Exit);

        CliResult noPrice = await workspace.RunAsync("eod", "run", "--date", "2026-11-24");
        Assert.Equal(1, noPrice.Exit);
        Assert.Contains("2026-11-24,prices,failed", noPrice.Output, StringComparison.Ordinal);
        Assert.Contains("eod.prices", noPrice.Error, StringComparison.Ordinal);
        Assert.Contains("C-1001 US0378331005: price.missing", noPrice.Error, StringComparison.Ordinal);

        string prices = workspace.File("prices.csv", "date,instrument,price,currency,source\n2026-11-24,US0378331005,205.00,USD,NASDAQ official close\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "prices", "--file", prices)).Exit);
        CliResult untied = await workspace.RunAsync("eod", "run", "--date", "2026-11-24");
        Assert.Equal(1, untied.Exit);
        Assert.Contains("2026-11-24,prices,done", untied.Output, StringComparison.Ordinal);
        Assert.Contains("2026-11-24,checks,failed", untied.Output, StringComparison.Ordinal);
        Assert.Contains("eod.sub-ledger-tie", untied.Error, StringComparison.Ordinal);
        Assert.Equal(["closed_through"], (await workspace.RunAsync("period", "status")).Lines);

        // Moved to the client's sub-ledger, the day closes; then the day refuses postings.
        string move = workspace.File("move.json", """{"entries":[{"key":"move-1","effective_date":"2026-11-24","reason":"moves direct-1 to the client's sub-ledger","source":"ops","postings":[{"account":"2010","asset":"USD","direction":"debit","amount":"50.00"},{"account":"2010.C-1001","asset":"USD","direction":"credit","amount":"50.00"}]}]}""");
        Assert.Equal(0, (await workspace.RunAsync("post", "--file", move)).Exit);
        CliResult closed = await workspace.RunAsync("eod", "run", "--date", "2026-11-24");
        Assert.True(closed.Exit == 0, closed.Error);
        CliResult late = await workspace.RunAsync("post", "--file", workspace.File("late.json", Direct.Replace("direct-1", "direct-2", StringComparison.Ordinal)));
        Assert.Equal(1, late.Exit);
        Assert.Contains("period.closed", late.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Interest_on_client_cash_accrues_by_tier_to_the_next_business_day_once(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string rates = Path.Combine(AppContext.BaseDirectory, "samples", "interest-rates.csv");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "interest-rates", "--file", rates)).Exit);
        // Friday 20 November: C-1001 holds 250,000 USD; C-1002 owes 5,000 USD.
        string cash = workspace.File("cash.json", """
            {"entries":[
              {"key":"dep-1","effective_date":"2026-11-20","reason":"deposit","source":"bank","postings":[{"account":"1010","asset":"USD","direction":"debit","amount":"250000.00"},{"account":"2010.C-1001","asset":"USD","direction":"credit","amount":"250000.00"}]},
              {"key":"wd-2","effective_date":"2026-11-20","reason":"withdrawal on credit","source":"bank","postings":[{"account":"2010.C-1002","asset":"USD","direction":"debit","amount":"5000.00"},{"account":"1010","asset":"USD","direction":"credit","amount":"5000.00"}]}
            ]}
            """);
        Assert.Equal(0, (await workspace.RunAsync("post", "--file", cash)).Exit);
        CliResult run = await workspace.RunAsync("eod", "run", "--date", "2026-11-20");
        Assert.True(run.Exit == 0, run.Error);
        Assert.Contains("2 interest accruals on client cash, 3 days to 2026-11-23", run.Output, StringComparison.Ordinal);

        // Friday to Monday: 90,000 at 1.5% and 150,000 at 3.0% for 3/360 = 48.75; 5,000 at 8% for 3/360 = 3.33.
        CliResult balances = await workspace.RunAsync("balances");
        Assert.Contains("2060.C-1001,USD,-48.75", balances.Lines);
        Assert.Contains("5200,USD,48.75", balances.Lines);
        Assert.Contains("1410.C-1002,USD,3.33", balances.Lines);
        Assert.Contains("4200,USD,-3.33", balances.Lines);
        Assert.Equal(0, (await workspace.RunAsync("eod", "run", "--date", "2026-11-20")).Exit);
        Assert.Equal(balances.Output, (await workspace.RunAsync("balances")).Output);
    }
}
