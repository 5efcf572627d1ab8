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

    // The journal's transaction lines (date, reason, entry id and key), from the hledger export.
    private static async Task<string[]> JournalAsync(Workspace workspace)
    {
        string file = workspace.File("journal.hledger", "");
        CliResult export = await workspace.RunAsync("export", "hledger", "--out", file);
        Assert.True(export.Exit == 0, export.Error);
        return await File.ReadAllLinesAsync(file);
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
        Assert.Equal(["corporate-actions", "prices", "accruals", "revaluation", "pnl", "fails", "reconcile", "checks", "close", "roll"], run.Lines[1..].Select(l => l.Split(',')[1]));
        Assert.All(run.Lines[1..], l => Assert.Equal("done", l.Split(',')[2]));
        // 40 sold at 210 (net of 1.00 commission and 0.01 TAF) against 40 of the lot bought at 200 (plus 1.00 commission).
        Assert.Contains("realized today: 398.59 USD", run.Output, StringComparison.Ordinal);
        // The realized P&L is booked: a credit (gain) on the client's memo sub-ledger, off the balance sheet.
        CliResult balances = await workspace.RunAsync("balances");
        Assert.Contains("9200.C-1001,USD,-398.59", balances.Lines);
        Assert.Contains("9000,USD,398.59", balances.Lines);
        Assert.DoesNotContain("9200", (await workspace.RunAsync("report", "balance-sheet", "--as-of", "2026-11-24", "--format", "csv")).Output, StringComparison.Ordinal);
        Assert.Contains("business date is now 2026-11-25 (XNYS)", run.Output, StringComparison.Ordinal);

        string head = (await workspace.RunAsync("audit", "verify")).Output;
        CliResult again = await workspace.RunAsync("eod", "run", "--date", "2026-11-24");
        Assert.Equal(0, again.Exit);
        Assert.Equal(run.Output, again.Output);
        Assert.Equal(head, (await workspace.RunAsync("audit", "verify")).Output);
        Assert.Equal(["closed_through", "2026-11-24"], (await workspace.RunAsync("period", "status")).Lines);
        // The current business date moved on: eod status without --date shows the 25th, pending.
        Assert.StartsWith("2026-11-25,corporate-actions,pending", (await workspace.RunAsync("eod", "status")).Lines[1], StringComparison.Ordinal);
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

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Realized_pnl_of_a_closed_day_is_restated_when_a_trade_it_relieved_is_busted(string store)
    {
        await using Workspace workspace = await DayAsync(store);
        Assert.Equal(0, (await workspace.RunAsync("eod", "run", "--date", "2026-11-24")).Exit);
        // On the 25th the buy of the 24th is busted (its reversal books in the open period) and 10 more are sold
        // at 220: the 24th's sale now opened a short of 40, and the 25th's sale adds 10 to it, so nothing is realized.
        string changes = workspace.File("day2.csv", Header + "\n" +
            "T1-BUST,BUST,T1,BUY,US0378331005,ISIN,XNAS,100,200,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n" +
            "T3,NEW,,SELL,US0378331005,ISIN,XNAS,10,220,USD,C-1001,5493000DEMO0BROKER41,2026-11-25\n");
        CliResult import = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", changes);
        Assert.True(import.Exit == 0, import.Error);
        string prices = workspace.File("prices2.csv", "date,instrument,price,currency,source\n2026-11-25,US0378331005,206.00,USD,NASDAQ official close\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "prices", "--file", prices)).Exit);
        CliResult run = await workspace.RunAsync("eod", "run", "--date", "2026-11-25");
        Assert.True(run.Exit == 0, run.Error);

        // The 398.59 booked on the 24th stands (that day is closed); the 25th restates it to what the lots now say: zero.
        CliResult pnl = await workspace.RunAsync("report", "pnl", "--as-of", "2026-11-25", "--format", "csv");
        Assert.DoesNotContain("398.59", pnl.Output, StringComparison.Ordinal);
        CliResult balances = await workspace.RunAsync("balances");
        Assert.DoesNotContain(balances.Lines, l => l.StartsWith("9200.C-1001,USD,", StringComparison.Ordinal));
        Assert.Contains(await JournalAsync(workspace), l => l.StartsWith("2026-11-25 ", StringComparison.Ordinal) && l.Contains("key eod/2026-11-25/realized-restated/C-1001/USD", StringComparison.Ordinal));
        CliResult asOf24 = await workspace.RunAsync("balances", "--as-of", "2026-11-24");
        Assert.Contains("9200.C-1001,USD,-398.59", asOf24.Lines);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_firms_foreign_currency_position_is_revalued_each_day_and_reversed_the_next(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string rates = workspace.File("fx.csv", "date,base,quote,rate,source\n" +
            "2026-11-23,EUR,USD,1.10,ECB\n2026-11-24,EUR,USD,1.15,ECB\n2026-11-25,USD,EUR,0.952380952380952380952380952,ECB inverse quote\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "fx-rates", "--file", rates)).Exit);
        // The firm earns 1,000 EUR on the 23rd and 500 EUR on the 24th, and keeps them in EUR.
        string income = workspace.File("income.json", """
            {"entries":[
              {"key":"fee-1","effective_date":"2026-11-23","reason":"advisory fee","source":"bank","postings":[{"account":"1010","asset":"EUR","direction":"debit","amount":"1000.00"},{"account":"4010","asset":"EUR","direction":"credit","amount":"1000.00"}]},
              {"key":"fee-2","effective_date":"2026-11-24","reason":"advisory fee","source":"bank","postings":[{"account":"1010","asset":"EUR","direction":"debit","amount":"500.00"},{"account":"4010","asset":"EUR","direction":"credit","amount":"500.00"}]}
            ]}
            """);
        Assert.Equal(0, (await workspace.RunAsync("post", "--file", income)).Exit);

        // 23rd: 1,000 EUR came in at 1.10 and is worth 1.10: nothing to book.
        CliResult first = await workspace.RunAsync("eod", "run", "--date", "2026-11-23");
        Assert.True(first.Exit == 0, first.Error);
        Assert.Contains("0 revaluations reversed; unrealized FX: EUR 0.00 USD", first.Output, StringComparison.Ordinal);
        // 24th: 1,500 EUR cost 1,100 + 575 = 1,675 USD and are worth 1,725 USD: a 50.00 gain.
        Assert.Equal(0, (await workspace.RunAsync("eod", "run", "--date", "2026-11-24")).Exit);
        CliResult day2 = await workspace.RunAsync("balances", "--as-of", "2026-11-24");
        Assert.Contains("1900,USD,50.00", day2.Lines);
        Assert.Contains("4900,USD,-50.00", day2.Lines);
        // 25th (the inverse quote: 1.05): the 24th's gain is reversed and the loss of 1,675 - 1,575 = 100.00 booked.
        CliResult third = await workspace.RunAsync("eod", "run", "--date", "2026-11-25");
        Assert.True(third.Exit == 0, third.Error);
        Assert.Contains("1 revaluations reversed; unrealized FX: EUR -100.00 USD", third.Output, StringComparison.Ordinal);
        CliResult day3 = await workspace.RunAsync("balances", "--as-of", "2026-11-25");
        Assert.Contains("1900,USD,-100.00", day3.Lines);
        Assert.Contains("4900,USD,100.00", day3.Lines);
        Assert.Contains(await JournalAsync(workspace), l => l.StartsWith("2026-11-25 ", StringComparison.Ordinal) && l.Contains("key eod/2026-11-24/fx-revaluation/EUR/reversal", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Interest_on_a_clients_settled_bonds_accrues_daily_in_its_memo_account(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string bond = workspace.File("bond.csv",
            "isin,name,asset_class,currency,listing_mic,settlement_cycle_days,coupon_rate,coupon_frequency,day_count,dated_date,first_coupon_date,maturity_date,end_of_month\n" +
            "US912828ZQ64,Test 5% 2031,debt,USD,XNAS,1,0.05,2,30/360-US,2026-05-15,2026-11-15,2031-05-15,false\n");
        CliResult loaded = await workspace.RunAsync("refdata", "import", "--kind", "instruments", "--file", bond);
        Assert.True(loaded.Exit == 0, loaded.Error);
        // Bought on Monday the 16th, settling on the 17th.
        string trades = workspace.File("bond-trades.csv", Header + "\nB1,NEW,,BUY,US912828ZQ64,ISIN,XNAS,100000,99.5,USD,C-1001,5493000DEMO0BROKER41,2026-11-16\n");
        CliResult import = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades);
        Assert.True(import.Exit == 0, import.Error);
        string prices = workspace.File("bond-prices.csv", "date,instrument,price,currency,source\n" +
            "2026-11-16,US912828ZQ64,99.50,USD,TRACE\n2026-11-17,US912828ZQ64,99.60,USD,TRACE\n2026-11-18,US912828ZQ64,99.55,USD,TRACE\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "prices", "--file", prices)).Exit);

        // The 16th: not settled yet, nothing accrues to the client.
        CliResult first = await workspace.RunAsync("eod", "run", "--date", "2026-11-16");
        Assert.True(first.Exit == 0, first.Error);
        Assert.Contains("0 bond interest accruals", first.Output, StringComparison.Ordinal);
        // The 17th: accrued from the coupon of the 15th to the 18th, 3/360 of 5% on 100,000 = 41.67.
        Assert.Equal(0, (await workspace.RunAsync("eod", "run", "--date", "2026-11-17")).Exit);
        Assert.Contains("9300.C-1001,USD,41.67", (await workspace.RunAsync("balances")).Lines);
        // The 18th: to the 19th, 4/360 = 55.56; the day's entry is the 13.89 earned that day.
        CliResult third = await workspace.RunAsync("eod", "run", "--date", "2026-11-18");
        Assert.True(third.Exit == 0, third.Error);
        CliResult balances = await workspace.RunAsync("balances");
        Assert.Contains("9300.C-1001,USD,55.56", balances.Lines);
        Assert.Contains("9000,USD,-55.56", balances.Lines);
        Assert.Contains(await JournalAsync(workspace), l => l.StartsWith("2026-11-18 accrued interest on the bonds of C-1001 (100000 US912828ZQ64) to 2026-11-19: 55.56 USD, was 41.67", StringComparison.Ordinal));
        // Memo accounts stay off the balance sheet.
        Assert.DoesNotContain("9300", (await workspace.RunAsync("report", "balance-sheet", "--as-of", "2026-11-18", "--format", "csv")).Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_split_multiplies_every_holding_on_its_ex_date_and_the_lots_keep_their_cost(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string trades = workspace.File("day.csv", Header + "\n" +
            "T1,NEW,,BUY,US0378331005,ISIN,XNAS,100,200,USD,C-1001,5493000DEMO0BROKER41,2026-11-23\n" +
            "T2,NEW,,SELL,US0378331005,ISIN,XNAS,50,105,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades)).Exit);
        string prices = workspace.File("prices.csv", "date,instrument,price,currency,source\n2026-11-23,US0378331005,200.00,USD,NASDAQ\n2026-11-24,US0378331005,104.00,USD,NASDAQ\n2026-11-25,US0378331005,104.50,USD,NASDAQ\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "prices", "--file", prices)).Exit);
        string splits = workspace.File("splits.csv", "instrument,ex_date,ratio,source\nUS0378331005,2026-11-24,2:1,Apple Inc. 8-K\n");
        CliResult loaded = await workspace.RunAsync("refdata", "import", "--kind", "splits", "--file", splits);
        Assert.True(loaded.Exit == 0, loaded.Error);

        Assert.Equal(0, (await workspace.RunAsync("eod", "run", "--date", "2026-11-23")).Exit);
        Assert.Contains("-100", (await workspace.RunAsync("balances")).Lines.Single(l => l.StartsWith("2100.C-1001,US0378331005,", StringComparison.Ordinal)), StringComparison.Ordinal);
        // The ex date: the 100 held become 200 (client and pending settlement alike), then the sale of 50 leaves 150.
        CliResult run = await workspace.RunAsync("eod", "run", "--date", "2026-11-24");
        Assert.True(run.Exit == 0, run.Error);
        Assert.Matches(@"2026-11-24,corporate-actions,done,\d+,1 splits booked", run.Output);
        CliResult balances = await workspace.RunAsync("balances");
        Assert.Contains("2100.C-1001,US0378331005,-150", balances.Lines);
        Assert.Contains("1300.5493000DEMO0BROKER41,US0378331005,150", balances.Lines);
        // The lot keeps its acquisition date and total cost (20,001.00 for 200, 100.005 each); the sale relieved 50 of it.
        CliResult lots = await workspace.RunAsync("report", "lots", "--as-of", "2026-11-24", "--format", "csv");
        Assert.Contains("C-1001,US0378331005,1,2026-11-23,150,100.005,15000.75,USD", lots.Output, StringComparison.Ordinal);
        Assert.Contains(await JournalAsync(workspace), l => l.StartsWith("2026-11-24 2:1 split of US0378331005", StringComparison.Ordinal) && l.Contains("key split/US0378331005/2026-11-24", StringComparison.Ordinal));
        // A rerun books nothing again.
        Assert.Equal(balances.Output, (await workspace.RunAsync("eod", "run", "--date", "2026-11-24")) is { Exit: 0 } ? (await workspace.RunAsync("balances")).Output : "rerun failed");

        // A 1:4 reverse split would leave 37.5 shares: the day stops before anything is booked.
        string reverse = workspace.File("reverse.csv", "instrument,ex_date,ratio,source\nUS0378331005,2026-11-25,1:4,notice\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "splits", "--file", reverse)).Exit);
        CliResult stopped = await workspace.RunAsync("eod", "run", "--date", "2026-11-25");
        Assert.Equal(1, stopped.Exit);
        Assert.Contains("eod.split-fraction", stopped.Error, StringComparison.Ordinal);
        Assert.Contains("1300.5493000DEMO0BROKER41's 150 into 37.5", stopped.Error, StringComparison.Ordinal);
        Assert.Equal(balances.Output, (await workspace.RunAsync("balances")).Output);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_sale_relieves_the_lots_it_names_and_a_lot_it_cannot_relieve_is_reported(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        // Lots 1 (100 at 100) and 2 (100 at 120); T3 names lot 2; T4 names lot 99, which is not open.
        string trades = workspace.File("lots.csv", Header + ",lots\n" +
            "T1,NEW,,BUY,US0378331005,ISIN,XNAS,100,100,USD,C-1001,5493000DEMO0BROKER41,2026-11-23,\n" +
            "T2,NEW,,BUY,US0378331005,ISIN,XNAS,100,120,USD,C-1001,5493000DEMO0BROKER41,2026-11-23,\n" +
            "T3,NEW,,SELL,US0378331005,ISIN,XNAS,50,130,USD,C-1001,5493000DEMO0BROKER41,2026-11-24,2\n" +
            "T4,NEW,,SELL,US0378331005,ISIN,XNAS,10,130,USD,C-1001,5493000DEMO0BROKER41,2026-11-24,99\n");
        CliResult import = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades);
        Assert.True(import.Exit == 0, import.Error);

        CliResult lots = await workspace.RunAsync("report", "lots", "--as-of", "2026-11-24", "--format", "csv");
        Assert.Equal(0, lots.Exit);
        // FIFO would have relieved lot 1 for T3; it named lot 2. T4 fell back to FIFO (lot 1).
        Assert.Contains(lots.Lines, l => l.StartsWith("C-1001,US0378331005,1,2026-11-23,90,", StringComparison.Ordinal));
        Assert.Contains(lots.Lines, l => l.StartsWith("C-1001,US0378331005,2,2026-11-23,50,", StringComparison.Ordinal));
        Assert.Contains("warning: trade 4 (C-1001 US0378331005): lots.specific-unknown: lot 99 is not an open lot", lots.Error, StringComparison.Ordinal);
        Assert.Contains("relieved FIFO instead", lots.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("trade 3", lots.Error, StringComparison.Ordinal);

        // The lots are part of the message: the same id with other lots is not a replay.
        string changed = workspace.File("changed.csv", Header + ",lots\nT3,NEW,,SELL,US0378331005,ISIN,XNAS,50,130,USD,C-1001,5493000DEMO0BROKER41,2026-11-24,1\n");
        CliResult refused = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", changed);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("trade.duplicate-id", refused.Error, StringComparison.Ordinal);
        string bad = workspace.File("bad.csv", Header + ",lots\nT5,NEW,,SELL,US0378331005,ISIN,XNAS,5,130,USD,C-1001,5493000DEMO0BROKER41,2026-11-24,two\n");
        CliResult badLots = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", bad);
        Assert.Equal(1, badLots.Exit);
        Assert.Contains("bad.csv:2", badLots.Error, StringComparison.Ordinal);
        Assert.Contains("trade.lots", badLots.Error, StringComparison.Ordinal);
        Assert.Contains("'two' is not a lot id", badLots.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_firm_book_holds_its_inventory_at_cost_and_books_realized_gains_as_income(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        // The firm's proprietary book buys 100 and sells 40: no commission to itself, the 0.01 TAF on the sale.
        string trades = workspace.File("prop.csv", Header + "\n" +
            "P1,NEW,,BUY,US0378331005,ISIN,XNAS,100,200,USD,PROP-EQ,5493000DEMO0BROKER41,2026-11-24\n" +
            "P2,NEW,,SELL,US0378331005,ISIN,XNAS,40,210,USD,PROP-EQ,5493000DEMO0BROKER41,2026-11-24\n");
        CliResult import = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades);
        Assert.True(import.Exit == 0, import.Error);
        string prices = workspace.File("prices.csv", "date,instrument,price,currency,source\n2026-11-24,US0378331005,205.00,USD,NASDAQ official close\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "prices", "--file", prices)).Exit);
        CliResult run = await workspace.RunAsync("eod", "run", "--date", "2026-11-24");
        Assert.True(run.Exit == 0, run.Error);
        Assert.Contains("realized today: 399.99 USD", run.Output, StringComparison.Ordinal);

        CliResult balances = await workspace.RunAsync("balances");
        Assert.Contains("3100.PROP-EQ,US0378331005,-60", balances.Lines);
        // 20,000.00 bought, 8,399.99 sold net, 399.99 realized: the 60 left at their cost of 12,000.00.
        Assert.Contains("1200.PROP-EQ,USD,12000.00", balances.Lines);
        Assert.Contains("4300.PROP-EQ,USD,-399.99", balances.Lines);
        Assert.DoesNotContain(balances.Lines, l => l.StartsWith("4010,", StringComparison.Ordinal));
        Assert.Contains("PROP-EQ,US0378331005,60", (await workspace.RunAsync("report", "positions", "--as-of", "2026-11-24", "--format", "csv")).Lines);
        CliResult income = await workspace.RunAsync("report", "income-statement", "--as-of", "2026-11-24", "--format", "csv");
        Assert.Contains("income,4300,Realized trading gains and losses (control),USD,399.99", income.Lines);
        CliResult valuation = await workspace.RunAsync("report", "valuation", "--as-of", "2026-11-24", "--format", "csv");
        Assert.Contains(valuation.Lines, l => l.StartsWith("PROP-EQ,US0378331005,60,USD,12000,", StringComparison.Ordinal) && l.EndsWith(",12300.00,300.00,USD,1,12300.00,300.00,", StringComparison.Ordinal));

        // The book is marked to market (60 at 205 against 12,000.00), and the next day the mark is reversed and made again (at 204).
        Assert.Contains("firm books at market: PROP-EQ 300.00 USD", run.Output, StringComparison.Ordinal);
        Assert.Contains("1250.PROP-EQ,USD,300.00", balances.Lines);
        Assert.Contains("4310,USD,-300.00", balances.Lines);
        string next = workspace.File("prices2.csv", "date,instrument,price,currency,source\n2026-11-25,US0378331005,204.00,USD,NASDAQ official close\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "prices", "--file", next)).Exit);
        CliResult day2 = await workspace.RunAsync("eod", "run", "--date", "2026-11-25");
        Assert.True(day2.Exit == 0, day2.Error);
        Assert.Contains("1 revaluations reversed", day2.Output, StringComparison.Ordinal);
        CliResult after = await workspace.RunAsync("balances");
        Assert.Contains("1250.PROP-EQ,USD,240.00", after.Lines);
        Assert.Contains("4310,USD,-240.00", after.Lines);

        // A negotiated commission on a firm book is refused.
        string commission = workspace.File("commission.csv", Header + ",commission\nP3,NEW,,BUY,US0378331005,ISIN,XNAS,1,200,USD,PROP-EQ,5493000DEMO0BROKER41,2026-11-27,5.00\n");
        CliResult refused = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", commission);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("trade.commission", refused.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_lot_rules_read_the_latest_active_version_of_each_trade_in_execution_order(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        const string Broker = "5493000DEMO0BROKER41";
        string trades = workspace.File("history.csv", Header + ",executed_at,commission,lots\n" +
            $"L1,NEW,,BUY,US0378331005,ISIN,XNAS,100,200,USD,C-1001,{Broker},2026-11-24,2026-11-24T15:00:00Z,,\n" +
            $"L2,NEW,,BUY,US0378331005,ISIN,XNAS,50,201,USD,C-1001,{Broker},2026-11-24,2026-11-24T14:00:00Z,2.50,\n" +
            $"L3,NEW,,BUY,US0378331005,ISIN,XNAS,10,199,USD,C-1001,{Broker},2026-11-24,,,\n" +
            $"L4,NEW,,SELL,US0378331005,ISIN,XNAS,30,210,USD,C-1001,{Broker},2026-11-25,2026-11-25T15:00:00Z,,1\n" +
            $"L5,NEW,,BUY,US0378331005,ISIN,XNAS,20,205,USD,C-1001,{Broker},2026-11-25,2026-11-25T16:00:00Z,,\n" +
            $"L5-C,CORRECT,L5,BUY,US0378331005,ISIN,XNAS,60,205,USD,C-1001,{Broker},2026-11-25,2026-11-25T16:00:00Z,,\n" +
            $"L6,NEW,,BUY,US0378331005,ISIN,XNAS,5,204,USD,C-1001,{Broker},2026-11-25,2026-11-25T10:00:00Z,,\n" +
            $"L6-X,BUST,L6,BUY,US0378331005,ISIN,XNAS,5,204,USD,C-1001,{Broker},2026-11-25,2026-11-25T10:00:00Z,,\n" +
            $"L7,NEW,,BUY,US0378331005,ISIN,XNAS,1,206,USD,C-1001,{Broker},2026-11-27,,,\n");
        CliResult import = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades);
        Assert.True(import.Exit == 0, import.Error);
        await using Application.Ports.IBackOfficeStore books = Open(workspace);
        foreach (LocalDate? asOf in new LocalDate?[] { null, new LocalDate(2026, 11, 25) })
        {
            var expected = new List<Domain.Lots.LotTrade>();
            await foreach (Domain.Trading.TradeVersion v in books.ReadActiveTradesInExecutionOrderAsync(asOf, CancellationToken.None))
            {
                expected.Add(new Domain.Lots.LotTrade(v.TradeId, v.Account, v.Isin, v.Currency, v.TradeDate, v.Side, v.Quantity, v.Gross, v.Charges.Sum(c => c.Amount), v.LotIds));
            }
            var read = new List<Domain.Lots.LotTrade>();
            await foreach (Domain.Lots.LotTrade t in books.ReadLotTradesAsync(asOf, CancellationToken.None))
            {
                read.Add(t);
            }
            // Trade ids follow the file: L1 is 1, ... L7 is 7 (a correction or bust keeps its trade's id).
            Assert.Equal(asOf is null ? [3, 2, 1, 4, 5, 7] : [3, 2, 1, 4, 5], read.Select(t => t.TradeId));
            Assert.Equal(expected.Select(t => t with { LotIds = null }), read.Select(t => t with { LotIds = null }));
            Assert.Equal(expected.Select(t => t.LotIds is null ? "" : string.Join(' ', t.LotIds)), read.Select(t => t.LotIds is null ? "" : string.Join(' ', t.LotIds)));
            Assert.Equal([1L], read.Single(t => t.TradeId == 4).LotIds!);
            Assert.Equal(60m, read.Single(t => t.TradeId == 5).Quantity);
            Assert.True(read.Single(t => t.TradeId == 2).Charges > read.Single(t => t.TradeId == 1).Charges);
        }
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Reports_use_the_close_snapshot_and_the_projection_only_while_they_are_current(string store)
    {
        await using Workspace workspace = await DayAsync(store);
        Assert.Equal(0, (await workspace.RunAsync("eod", "run", "--date", "2026-11-24")).Exit);
        await using (Application.Ports.IBackOfficeStore books = Open(workspace))
        {
            var lots = new Application.Lots.LotService(books);
            Application.Lots.RealizedSummary fromClose = await lots.RealizedAsync(null, null, null, CancellationToken.None);
            Assert.True(fromClose.FromSnapshot);
            Application.Lots.RealizedSummary computed = await lots.RealizedAsync(null, null, Domain.Lots.LotMethod.Fifo, CancellationToken.None);
            Assert.False(computed.FromSnapshot);
            Assert.Equal(computed.Lines, fromClose.Lines);
        }
        // The CLI agrees, and the projection-based trial balance equals the one summed from the journal.
        CliResult pnl = await workspace.RunAsync("report", "pnl", "--format", "csv");
        Assert.Equal((await workspace.RunAsync("report", "pnl", "--method", "fifo", "--format", "csv")).Output, pnl.Output);
        Assert.Contains("C-1001,US0378331005,USD,40,8398.99,8000.40,398.59", pnl.Lines);
        Assert.Equal((await workspace.RunAsync("report", "trial-balance", "--known-at", "2100-01-01T00:00:00Z", "--format", "csv")).Output,
            (await workspace.RunAsync("report", "trial-balance", "--as-of", "2026-12-31", "--format", "csv")).Output);
        Assert.Equal((await workspace.RunAsync("report", "positions", "--as-of", "2026-12-31", "--known-at", "2100-01-01T00:00:00Z", "--format", "csv")).Output,
            (await workspace.RunAsync("report", "positions", "--as-of", "2026-12-31", "--format", "csv")).Output);

        // A later sale changes the lots' inputs: the snapshot no longer answers, and the report includes it.
        string later = workspace.File("later.csv", Header + "\nT3,NEW,,SELL,US0378331005,ISIN,XNAS,10,215,USD,C-1001,5493000DEMO0BROKER41,2026-11-25\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", later)).Exit);
        await using (Application.Ports.IBackOfficeStore books = Open(workspace))
        {
            Assert.False((await new Application.Lots.LotService(books).RealizedAsync(null, null, null, CancellationToken.None)).FromSnapshot);
            // Not even as of the close's own date: a trade was booked since the close.
            Assert.False((await new Application.Lots.LotService(books).RealizedAsync(null, new LocalDate(2026, 11, 24), null, CancellationToken.None)).FromSnapshot);
        }
        CliResult after = await workspace.RunAsync("report", "pnl", "--format", "csv");
        Assert.Contains("C-1001,US0378331005,USD,50,", after.Output, StringComparison.Ordinal);
        Assert.Equal((await workspace.RunAsync("report", "pnl", "--method", "fifo", "--format", "csv")).Output, after.Output);
        // The positions as of a date before the new trade are summed from the journal, not the projection.
        Assert.Contains("C-1001,US0378331005,60", (await workspace.RunAsync("report", "positions", "--as-of", "2026-11-24", "--format", "csv")).Lines);
        Assert.Contains("C-1001,US0378331005,50", (await workspace.RunAsync("report", "positions", "--as-of", "2026-11-25", "--format", "csv")).Lines);
    }
}
