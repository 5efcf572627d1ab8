using System.Diagnostics;
using System.Globalization;
using BackOffice.Application.Exports;
using BackOffice.Application.Lots;
using BackOffice.Application.Ports;
using BackOffice.Application.ReferenceData;
using BackOffice.Application.Reporting;
using BackOffice.Application.Trading;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.ReferenceData.Identifiers;
using BackOffice.Domain.Trading;
using BackOffice.Intake.Trades;
using NodaTime;

namespace BackOffice.Benchmarks;

/// <summary>
/// Accounting over N generated trades (10,000 accounts, 500 instruments, USD and EUR, twenty
/// business days, buys and sells, short sales included): our import, FIFO lots and realized P&L,
/// trial balance and positions, side by side with hledger's <c>bal</c>, ledger's <c>bal</c> and
/// beancount's check (loading and validating the file, what <c>bean-check</c> does) on our exports
/// of the same history. CPU time and peak memory of each external tool come from GNU time.
/// </summary>
internal static class AccountingBenchmark
{
    private const string Broker = "5493000DEMO0BROKER41";

    // A second broker the firm has no netting agreement with: its trades settle gross.
    private const string GrossBroker = "5493000DEMO0BROKR273";
    private const int Accounts = 10_000;
    private const int InstrumentsPerMarket = 250;
    private static readonly LocalDate LastDay = new(2026, 11, 27);

    /// <param name="peers">False to stop after our own steps (no exports, no hledger, ledger or beancount runs).</param>
    public static async Task<int> RunAsync(IBackOfficeStore store, int trades, int batchSize, string storeName, bool peers = true)
    {
        string directory = Directory.CreateTempSubdirectory("backoffice-accounting-").FullName;
        var processor = new CommandProcessor(store, SystemClock.Instance);
        (ReferenceChanges reference, string[] us, string[] fr) = Reference();
        CommandOutcome loaded = await new ReferenceDataService(processor).ImportAsync(reference, null, "bench", null, CancellationToken.None);
        if (loaded.Rejection is { } refused)
        {
            throw new InvalidOperationException("reference data: " + refused);
        }
        string csv = Path.Combine(directory, "trades.csv");
        WriteTrades(csv, trades, us, fr);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"store={storeName} trades={trades:N0} accounts={Accounts:N0} instruments={2 * InstrumentsPerMarket} file={new FileInfo(csv).Length >> 20} MiB"));
        Console.WriteLine("| step | wall s | CPU s | peak MiB |");
        Console.WriteLine("|---|---:|---:|---:|");

        var service = new TradeService(store, processor);
        TradeImportReport import = await Measure("BackOffice: import and book (CSV, one transaction)", () =>
            service.ImportFileAsync(() => TradeFile.ReadCsv(csv, "GEN"), TradeFile.ContentHash(csv), "GEN", "bench", new TradeImportOptions(batchSize), CancellationToken.None));
        if (import.Rejection is not null || import.Booked != trades)
        {
            throw new InvalidOperationException("import failed: " + import.Rejection);
        }
        LotBook lots = await Measure("BackOffice: FIFO lots and realized P&L (all trades)", () => new LotService(store).RunAsync(null, null, CancellationToken.None));
        // What the end of day's pnl step keeps for reports: the realized P&L of every closing trade.
        ChainHead head = await store.ReadHeadAsync(CancellationToken.None);
        await Measure("BackOffice: end of day keeps the realized P&L snapshot", async () =>
        {
            await store.ReplaceRealizedSnapshotAsync(LastDay, head.Sequence, LotService.SnapshotRows(lots), CancellationToken.None);
            return 0;
        });
        int closing = lots.Realized.Count, open = lots.Open.Count;
        // What the lot step held is not the reports' to keep: collected here, so its collection is not timed as a report's.
        lots = null!;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var reports = new ReportService(store);
        TrialBalance ledger = await Measure("report: trial balance (general ledger)", () => reports.TrialBalanceAsync(LastDay, null, detail: false, CancellationToken.None));
        TrialBalance trial = await Measure("report: trial balance (detail)", () => reports.TrialBalanceAsync(LastDay, null, detail: true, CancellationToken.None));
        PositionReport positions = await Measure("report: positions as of the last day", () =>
            reports.PositionsAsync(LastDay, null, BalanceBasis.EffectiveDate, CancellationToken.None));
        RealizedSummary realized = await Measure("report: realized P&L per account and instrument", () => new LotService(store).RealizedAsync(null, LastDay, null, CancellationToken.None));
        if (!realized.FromSnapshot)
        {
            throw new InvalidOperationException("the realized P&L report did not use the close's snapshot");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| (booked {import.Booked:N0} trades; {open:N0} open lots; {closing:N0} closing trades; trial balance {ledger.Lines.Count:N0} lines, {trial.Lines.Count:N0} in detail; {positions.Lines.Count:N0} positions; {realized.Lines.Count:N0} realized lines) | | | |"));

        if (!peers)
        {
            Directory.Delete(directory, recursive: true);
            return 0;
        }
        string journal = Path.Combine(directory, "books.journal");
        string beancount = Path.Combine(directory, "clients.beancount");
        ReferenceLookup lookup = await store.ReadAllReferenceAsync(CancellationToken.None);
        await Measure("BackOffice: export hledger journal", async () =>
        {
            await using var writer = new StreamWriter(journal);
            await HledgerJournal.WriteAsync(writer, lookup, store.ReadEntriesAsync(CancellationToken.None), null, CancellationToken.None);
            return 0;
        });
        await Measure("BackOffice: export beancount file", async () =>
        {
            var clients = (await store.ReadTradeReferenceAsync(CancellationToken.None)).ClientAccounts.Keys;
            await using var writer = new StreamWriter(beancount);
            await BeancountFile.WriteAsync(writer, store.ReadActiveTradesInExecutionOrderAsync(null, CancellationToken.None), clients, BeancountFile.OpenedOn, "FIFO",
                CancellationToken.None);
            return 0;
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| (journal {new FileInfo(journal).Length >> 20} MiB, beancount {new FileInfo(beancount).Length >> 20} MiB) | | | |"));
        External("hledger bal", "hledger", ["-f", journal, "bal", "-O", "csv", "--layout=bare"]);
        External("ledger bal", "ledger", ["-f", journal, "bal"]);
        External("beancount: load and validate (bean-check)", "/usr/bin/python3",
            ["-c", "import sys; from beancount import loader; e, errors, o = loader.load_file(sys.argv[1]); print(len(e), 'entries,', len(errors), 'errors'); sys.exit(1 if errors else 0)", beancount]);
        Directory.Delete(directory, recursive: true);
        return 0;
    }

    /// <summary>
    /// The settlement run of one busy day: N trades on one trade date (US shares settling T+1,
    /// French T+2), booked, then for each settlement date the obligations, netting (the broker is
    /// under a netting agreement) and one sese.023 per obligation, built and validated against the
    /// schema in memory.
    /// </summary>
    /// <param name="grossPercent">The share of trades (0 to 100) done with a broker the firm has no netting agreement with.</param>
    /// <param name="keepDigests">Whether each instruction's sese.023 is rendered and its digest kept, as the CLI and API do (off only to measure what that costs).</param>
    public static async Task<int> SettlementAsync(IBackOfficeStore store, int trades, int batchSize, int grossPercent = 0, bool keepDigests = true)
    {
        string directory = Directory.CreateTempSubdirectory("backoffice-settlement-").FullName;
        var processor = new CommandProcessor(store, SystemClock.Instance);
        (ReferenceChanges reference, string[] us, string[] fr) = Reference();
        reference = reference with
        {
            NettingAgreements = [new NettingAgreement(Broker, new LocalDate(2024, 1, 1), null)],
            Parties = [.. reference.Parties, new Party(GrossBroker, "Second executing broker", PartyRole.Counterparty, "EXSEUS33")],
            SettlementInstructions = [.. reference.SettlementInstructions,
                new StandingSettlementInstruction("G", GrossBroker, null, null, "DTCYUS33XXX", "DTC-0417", "EXSEUS33XXX", new LocalDate(2024, 1, 1))],
        };
        CommandOutcome loaded = await new ReferenceDataService(processor).ImportAsync(reference, null, "bench", null, CancellationToken.None);
        if (loaded.Rejection is { } refused)
        {
            throw new InvalidOperationException("reference data: " + refused);
        }
        string csv = Path.Combine(directory, "trades.csv");
        WriteTrades(csv, trades, us, fr, ["2026-11-24"], grossPercent);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trades={trades:N0} on 2026-11-24, settling 2026-11-25 (XNAS) and 2026-11-26 (XPAR); {grossPercent}% with a broker without a netting agreement"));
        Console.WriteLine("| step | wall s | CPU s | peak MiB |");
        Console.WriteLine("|---|---:|---:|---:|");
        var service = new TradeService(store, processor);
        TradeImportReport import = await Measure("import and book (CSV, one transaction)", () =>
            service.ImportFileAsync(() => TradeFile.ReadCsv(csv, "GEN"), TradeFile.ContentHash(csv), "GEN", "bench", new TradeImportOptions(batchSize), CancellationToken.None));
        if (import.Rejection is not null || import.Booked != trades)
        {
            throw new InvalidOperationException("import failed: " + import.Rejection);
        }
        var settlement = new BackOffice.Application.Settlement.SettlementService(store);
        var wall = Stopwatch.StartNew();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        int obligations = 0, settlements = 0, messages = 0;
        foreach (LocalDate day in new[] { new LocalDate(2026, 11, 25), new LocalDate(2026, 11, 26) })
        {
            List<BackOffice.Domain.Settlement.SettlementObligation> due = await Measure($"obligations due {day:yyyy-MM-dd}", () => settlement.ObligationsDueAsync(day, CancellationToken.None));
            IReadOnlyList<BackOffice.Domain.Settlement.NetSettlement> net = await Measure($"netting {day:yyyy-MM-dd}", () => settlement.NetAsync(due, CancellationToken.None));
            // What settlement instruct does: obligations again, netting, one sese.023 per instruction built and validated, and the instructions recorded as sent.
            var desk = new BackOffice.Application.Settlement.SettlementDesk(store, processor);
            int built = await Measure($"instruct: net, build and validate sese.023, record {day:yyyy-MM-dd}", async () =>
            {
                BackOffice.Domain.Primitives.Result<BackOffice.Application.Settlement.InstructRun> run =
                    await desk.InstructAsync(day, "bench", new LocalDate(2026, 11, 24), i => BackOffice.Intake.Iso20022.Sese023.Check(i, "BENCH"), CancellationToken.None,
                        keepDigests ? i => BackOffice.Intake.Iso20022.Sese023.Sent(i, "BENCH") : null);
                return run.IsAccepted ? run.Value.Sent.Count : throw new InvalidOperationException(run.Rejection!.ToString());
            });
            obligations += due.Count;
            settlements += net.Count;
            messages += built;
        }
        wall.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| settlement run: {obligations:N0} obligations, {settlements:N0} settlements after netting, {messages:N0} instructions | {wall.Elapsed.TotalSeconds:F2} | {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} | |"));
        Directory.Delete(directory, recursive: true);
        return 0;
    }

    /// <summary>Times each read a general-ledger trial balance makes, then the reports, on an existing database.</summary>
    public static async Task<int> ReportsAsync(IBackOfficeStore store)
    {
        Console.WriteLine("| step | wall s | CPU s | peak MiB |");
        Console.WriteLine("|---|---:|---:|---:|");
        await Measure("read: chain head", () => store.ReadHeadAsync(CancellationToken.None));
        IReadOnlyList<BalanceRow> rows = await Measure("read: balance projection", () => store.ReadBalanceProjectionAsync(CancellationToken.None));
        await Measure("read: chart of accounts and assets", () => store.ReadAllReferenceAsync(CancellationToken.None));
        var reports = new ReportService(store);
        TrialBalance ledger = await Measure("report: trial balance (general ledger)", () => reports.TrialBalanceAsync(LastDay, null, detail: false, CancellationToken.None));
        PositionReport positions = await Measure("report: positions as of the last day", () =>
            reports.PositionsAsync(LastDay, null, BalanceBasis.EffectiveDate, CancellationToken.None));
        RealizedSummary realized = await Measure("report: realized P&L per account and instrument", () => new LotService(store).RealizedAsync(null, LastDay, null, CancellationToken.None));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| ({rows.Count:N0} balance rows; {ledger.Lines.Count:N0} trial balance lines; {positions.Lines.Count:N0} positions; {realized.Lines.Count:N0} realized lines, from the snapshot: {realized.FromSnapshot}) | | | |"));
        return 0;
    }

    /// <summary>The lot step <paramref name="repeat"/> times over the stored trades, each run after a full collection of the one before.</summary>
    public static async Task<int> LotsAsync(IBackOfficeStore store, int repeat)
    {
        Console.WriteLine("| step | wall s | CPU s | peak MiB |");
        Console.WriteLine("|---|---:|---:|---:|");
        for (int run = 1; run <= repeat; run++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            LotBook book = await Measure($"FIFO lots and realized P&L, run {run}", () => new LotService(store).RunAsync(null, null, CancellationToken.None));
            if (run == repeat)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| ({book.Open.Count:N0} open lots; {book.Realized.Count:N0} closing trades) | | | |"));
            }
        }
        return 0;
    }

    /// <summary>Runs one step and prints its row: wall time, CPU time (user and system) and the process's peak working set so far.</summary>
    internal static async Task<T> Measure<T>(string step, Func<Task<T>> run)
    {
        var process = Process.GetCurrentProcess();
        TimeSpan cpu = process.TotalProcessorTime;
        TimeSpan paused = GC.GetTotalPauseDuration();
        int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var wall = Stopwatch.StartNew();
        T result = await run();
        wall.Stop();
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {step} | {wall.Elapsed.TotalSeconds:F2} | {(process.TotalProcessorTime - cpu).TotalSeconds:F2} | {process.PeakWorkingSet64 >> 20} |"));
        if (AllocationSampler.Current is { } sampler)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"collections: {GC.CollectionCount(0) - collections[0]} gen0, {GC.CollectionCount(1) - collections[1]} gen1, {GC.CollectionCount(2) - collections[2]} gen2; paused {(GC.GetTotalPauseDuration() - paused).TotalSeconds:F2} s"));
            sampler.Print(Console.Error);
        }
        return result;
    }

    /// <summary>Runs a tool under GNU time: wall time, user plus system CPU, maximum resident set.</summary>
    private static void External(string step, string tool, string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])["-f", "TIME %e %U %S %M", tool, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = output.Result;
        string? line = error.Split('\n').LastOrDefault(l => l.StartsWith("TIME ", StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            Console.WriteLine($"| {step}: failed (exit {process.ExitCode}) {error.Split('\n').FirstOrDefault()} | | | |");
            return;
        }
        string[] f = line.Split(' ');
        decimal cpu = decimal.Parse(f[2], CultureInfo.InvariantCulture) + decimal.Parse(f[3], CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {step} | {f[1]} | {cpu:F2} | {long.Parse(f[4], CultureInfo.InvariantCulture) >> 10} |"));
    }

    internal static string Isin(string country, int n)
    {
        string body = country + n.ToString("D9", CultureInfo.InvariantCulture);
        _ = IsinRules.TryComputeCheckDigit(body, out char check);
        return body + check;
    }

    internal static (ReferenceChanges Reference, string[] Us, string[] Fr) Reference()
    {
        string[] us = [.. Enumerable.Range(1, InstrumentsPerMarket).Select(i => Isin("US", 100_000 + i))];
        string[] fr = [.. Enumerable.Range(1, InstrumentsPerMarket).Select(i => Isin("FR", 100_000 + i))];
        var changes = new ReferenceChanges
        {
            Currencies = [new Currency("USD", 840, 2, "US Dollar"), new Currency("EUR", 978, 2, "Euro")],
            Markets = [new Market("XNAS", "Nasdaq", "US"), new Market("XPAR", "Euronext Paris", "FR")],
            Instruments =
            [
                .. us.Select(isin => new Instrument(isin, "US share " + isin, AssetClass.Equity, "USD", "XNAS", null, null, null, null, 0)),
                .. fr.Select(isin => new Instrument(isin, "French share " + isin, AssetClass.Equity, "EUR", "XPAR", null, null, null, null, 0)),
            ],
            Parties = [new Party(Broker, "Executing broker", PartyRole.Counterparty, "EXBRUS33"), new Party("5493000DEMO0CLIENT70", "Client", PartyRole.Client, null)],
            ClientAccounts = [.. Enumerable.Range(0, Accounts).Select(i => new ClientAccount(Client(i), "Client " + i, "5493000DEMO0CLIENT70", "USD", "NYC", ClientAccountStatus.Open, new LocalDate(2024, 1, 1)))],
            LedgerAccounts = TradeBenchmark.TradeChart,
            FeeRules =
            [
                new FeeRule { Id = "COMM-US", Code = "COMMISSION", Kind = FeeKind.Commission, Method = FeeMethod.PerUnit, Rate = 0.005m, Minimum = 1m, Currency = "USD" },
                new FeeRule { Id = "COMM-EU", Code = "COMMISSION", Kind = FeeKind.Commission, Method = FeeMethod.Percent, Rate = 0.10m, Minimum = 5m, Currency = "EUR" },
                new FeeRule { Id = "TAF", Code = "FINRA-TAF", Kind = FeeKind.Fee, Method = FeeMethod.PerUnit, Rate = 0.000166m, Minimum = 0.01m, Maximum = 8.30m, Currency = "USD", Side = TradeSide.Sell, Rounding = FeeRounding.Up },
            ],
            SettlementInstructions = [new StandingSettlementInstruction("B", Broker, null, null, "DTCYUS33XXX", "DTC-0352", "EXBRUS33XXX", new LocalDate(2024, 1, 1))],
        };
        return (changes, us, fr);
    }

    internal static string Client(int i) => "C-" + i.ToString("D5", CultureInfo.InvariantCulture);

    /// <summary>Twenty business days of November 2026 on which both Nasdaq and Euronext Paris trade.</summary>
    private static readonly string[] Days = [.. Enumerable.Range(2, 26).Select(d => new LocalDate(2026, 11, d))
        .Where(d => d.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday) && d.Day != 26)
        .Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))];

    private static void WriteTrades(string path, int trades, string[] us, string[] fr, string[]? tradeDays = null, int grossPercent = 0)
    {
        string[] Days = tradeDays ?? AccountingBenchmark.Days;
        var random = new Random(20261129);
        using var writer = new StreamWriter(path);
        writer.WriteLine("source_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date,executed_at");
        // In day order, so execution order is the file's order.
        int perDay = (trades + Days.Length - 1) / Days.Length;
        for (int i = 0; i < trades; i++)
        {
            string day = Days[Math.Min(i / perDay, Days.Length - 1)];
            bool usd = random.Next(2) == 0;
            string isin = usd ? us[random.Next(us.Length)] : fr[random.Next(fr.Length)];
            writer.Write("G");
            writer.Write(i.ToString(CultureInfo.InvariantCulture));
            writer.Write(random.Next(5) < 3 ? ",BUY," : ",SELL,");
            writer.Write(isin);
            writer.Write(usd ? ",ISIN,XNAS," : ",ISIN,XPAR,");
            writer.Write(random.Next(1, 1_000).ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write((random.Next(1_000, 50_000) / 100m).ToString(CultureInfo.InvariantCulture));
            writer.Write(usd ? ",USD," : ",EUR,");
            writer.Write(Client(random.Next(Accounts)));
            writer.Write(',');
            writer.Write(i % 100 < grossPercent ? GrossBroker : Broker);
            writer.Write(',');
            writer.Write(day);
            writer.Write(usd ? "," + day + "T15:00:00." : "," + day + "T09:00:00.");
            writer.Write((i % 1_000_000).ToString("D6", CultureInfo.InvariantCulture));
            writer.WriteLine('Z');
        }
    }
}
