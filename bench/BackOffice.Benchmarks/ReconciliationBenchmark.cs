using System.Diagnostics;
using System.Globalization;
using System.Text;
using BackOffice.Application.Ledger;
using BackOffice.Application.Ports;
using BackOffice.Application.Reconciliation;
using BackOffice.Application.ReferenceData;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Reconciliation;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.ReferenceData.Identifiers;
using BackOffice.Intake.Reconciliation;
using BackOffice.Storage.Sqlite;
using NodaTime;

namespace BackOffice.Benchmarks;

/// <summary>
/// Reconciliation of a day: N positions (custody sub-ledgers of 1100, one per safekeeping account,
/// each holding the same set of ISINs) and N cash movements (bank sub-ledgers of 1010, in USD and
/// EUR, each movement its own journal entry quoting its reference) against custody and cash
/// statements of the same size, as CSV files, with one item in a hundred broken on each side.
/// The books are booked and the files imported outside the timed section; the reconciliation
/// (<see cref="ReconciliationService.RunAsync"/> over every statement of the day) runs in a
/// process of its own on the database the set-up left, as <c>backoffice recon run</c> would, so
/// its peak memory is its own. It then checks that the breaks found are exactly the planted ones.
/// </summary>
internal static class ReconciliationBenchmark
{
    /// <summary>The statements are as of Friday 27 November 2026.</summary>
    private static readonly LocalDate StatementDate = new(2026, 11, 27);

    /// <summary>A cash statement covers the week, Monday to Friday: its period starts at its earliest booking date.</summary>
    private const int WeekDays = 5;

    // Positions were carried in, and cash balances brought forward, before the week the statements cover.
    private static readonly LocalDate CarriedIn = new(2026, 11, 2);
    private static readonly LocalDate BroughtForward = new(2026, 10, 30);

    private const string DatabaseName = "recon.db";
    private const string PlantedName = "planted.tsv";
    private const string Actor = "bench";
    private const string CustodySource = "CUSTODIAN", BankSource = "BANK";

    /// <summary>Requests posted as one file (validated whole, then booked in batches).</summary>
    private const int PostFileEntries = 100_000;

    /// <summary>One posting of an entry carries the other side; the rest, one account each.</summary>
    private const int AccountsPerEntryMax = JournalEntry.PostingsMax - 1;

    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>
    /// Books, statements and import of <paramref name="size"/> positions and as many cash movements,
    /// then the timed run in a child process, twice: first as the day's run (every statement files
    /// its breaks), then again (nothing changed, so every statement is a replay that writes nothing).
    /// </summary>
    /// <param name="keep">Keep the database and the files (their directory is printed) for runs by hand.</param>
    /// <param name="setUpOnly">Stop before the runs and keep the directory, so that the day's first run can be profiled by hand (<c>--recon-run</c>).</param>
    public static async Task<int> RunAsync(int size, int? custodyAccounts, int? cashAccounts, int batchSize, bool keep, bool setUpOnly)
    {
        Layout layout = Layout.For(size, custodyAccounts, cashAccounts);
        string directory = Directory.CreateTempSubdirectory("backoffice-recon-").FullName;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"positions={layout.Positions:N0} ({layout.CustodyAccounts:N0} custody accounts x {layout.IsinsPerAccount:N0} ISINs), " +
            $"cash movements={layout.Movements:N0} ({layout.CashAccounts:N0} cash accounts x {layout.MovementsPerAccount:N0}), batch={batchSize:N0}, cores={Environment.ProcessorCount}"));
        Console.WriteLine("| step | wall s | CPU s | peak MiB |");
        Console.WriteLine("|---|---:|---:|---:|");
        var planted = new List<Finding>();
        await using (SqliteStore store = SqliteStore.Open(Path.Combine(directory, DatabaseName)))
        {
            await store.MigrateAsync(None);
            var processor = new CommandProcessor(store, SystemClock.Instance);
            var ledger = new LedgerService(store, processor);
            Plan custody = new(layout.Positions, Plan.CustodyTypes), cash = new(layout.Movements, Plan.CashTypes);
            string[] isins = await AccountingBenchmark.Measure("set-up: reference data (instruments, ledger and statement accounts)",
                () => LoadReferenceAsync(processor, layout, custody));
            int entries = await AccountingBenchmark.Measure("set-up: book positions", () => BookPositionsAsync(ledger, layout, isins, batchSize));
            long[] movementIds = await AccountingBenchmark.Measure("set-up: book cash movements", () => BookCashAsync(ledger, layout, cash, batchSize));
            List<string> files = await AccountingBenchmark.Measure("set-up: write statement files", () =>
                Task.FromResult(WriteStatements(directory, layout, isins, custody, cash, movementIds, planted)));
            var service = new ReconciliationService(store, processor, StatementFiles.Read);
            int statements = await AccountingBenchmark.Measure($"import {files.Count:N0} statement files (ImportAsync, one command each)",
                () => ImportAsync(service, files));
            await AccountingBenchmark.Measure("set-up: checkpoint the WAL", async () =>
            {
                await store.CheckpointAsync(None);
                return 0;
            });
            long bytes = files.Sum(f => new FileInfo(f).Length);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| (booked {entries:N0} position entries and {movementIds.Length:N0} cash entries; {statements:N0} statements, {bytes >> 20} MiB of CSV; {planted.Count:N0} breaks planted) | | | |"));
        }
        await File.WriteAllLinesAsync(Path.Combine(directory, PlantedName), planted.Select(p => p.ToLine()));
        int exit = setUpOnly ? 0 : RunChild(directory);
        exit = exit != 0 || setUpOnly ? exit : RunChild(directory);
        if (keep || setUpOnly)
        {
            Console.WriteLine("kept: " + directory);
        }
        else
        {
            Directory.Delete(directory, recursive: true);
        }
        return exit;
    }

    /// <summary>
    /// The timed run, in this process, on the database a set-up left in <paramref name="directory"/>:
    /// every current statement of the day reconciled, then the breaks found compared with the
    /// planted ones, type by type and key by key. Non-zero when they differ.
    /// </summary>
    public static async Task<int> RunStatementsAsync(string directory)
    {
        await using SqliteStore store = SqliteStore.Open(Path.Combine(directory, DatabaseName));
        var service = new ReconciliationService(store, new CommandProcessor(store, SystemClock.Instance), StatementFiles.Read);
        int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        TimeSpan paused = GC.GetTotalPauseDuration();
        long allocated = GC.GetTotalAllocatedBytes();
        // The managed heap is sampled while the run goes on; the working set peak is the process's own.
        long heapPeak = 0;
        using var sampler = new Timer(_ => InterlockedMax(ref heapPeak, GC.GetTotalMemory(false)), null, 0, 20);
        using var process = Process.GetCurrentProcess();
        TimeSpan cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        IReadOnlyList<StatementRun> runs = await service.RunAsync(StatementDate, null, Actor, None);
        wall.Stop();
        process.Refresh();
        TimeSpan used = process.TotalProcessorTime - cpu;
        await sampler.DisposeAsync();
        int accepted = runs.Count(r => r.Outcome.Status == CommandStatus.Accepted);
        int replayed = runs.Count(r => r.Outcome.Status == CommandStatus.Replayed);
        string what = replayed == runs.Count ? "again, nothing changed: every statement a replay" : "breaks filed";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| reconcile {runs.Count:N0} statements ({what}) | {wall.Elapsed.TotalSeconds:F2} | {used.TotalSeconds:F2} | {process.PeakWorkingSet64 >> 20} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| (managed heap peak {Interlocked.Read(ref heapPeak) >> 20} MiB; allocated {(GC.GetTotalAllocatedBytes() - allocated) >> 20} MiB; gc paused {(GC.GetTotalPauseDuration() - paused).TotalSeconds:F2} s, " +
            $"{GC.CollectionCount(0) - collections[0]} gen0, {GC.CollectionCount(1) - collections[1]} gen1, {GC.CollectionCount(2) - collections[2]} gen2; {accepted:N0} accepted, {replayed:N0} replayed) | | | |"));
        if (runs.FirstOrDefault(r => !r.Outcome.Succeeded || r.Comparison is null) is { } failed)
        {
            Console.WriteLine($"statement {failed.Statement.Id} did not run: {failed.Outcome.Result}");
            return 1;
        }
        List<Finding> planted = [.. (await File.ReadAllLinesAsync(Path.Combine(directory, PlantedName))).Select(Finding.FromLine)];
        List<Finding> found = [.. runs.SelectMany(r => r.Comparison!.Findings.Select(f => new Finding(r.Statement.Kind, f.Type, f.Standing, f.Key)))];
        return Compare(planted, found);
    }

    /// <summary>
    /// The reads a run makes, one by one and in its order, on the database a set-up left: wall and
    /// CPU time, rows, and the managed memory each leaves held while the run holds its result
    /// (measured after a full collection). The matching and the writes are what the run's time
    /// has on top of these.
    /// </summary>
    public static async Task<int> PhasesAsync(string directory)
    {
        await using SqliteStore store = SqliteStore.Open(Path.Combine(directory, DatabaseName));
        Console.WriteLine("| read | wall s | CPU s | rows | held MiB |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        IReadOnlyList<StoredStatement> stored = await Phase("current statements of the day", () =>
            store.ListStatementsAsync(new StatementQuery(StatementDate, CurrentOnly: true, Limit: int.MaxValue), None), r => r.Count);
        IReadOnlyList<StatementAccount> accounts = await store.ReadStatementAccountsAsync(None);
        // Every statement read again from its stored file and held, as the run holds them until it has read the cash movements.
        List<Statement> statements = await Phase("statement files read and parsed again", async () =>
        {
            var all = new List<Statement>(stored.Count);
            foreach (StoredStatement s in stored)
            {
                StatementFile file = await store.ReadStatementFileAsync(s.FileId, None) ?? throw new InvalidOperationException("no file " + s.FileId);
                all.Add(StatementFiles.Read(file.Name, file.Content).Value.Statements[s.PositionInFile]);
            }
            return all;
        }, r => r.Sum(s => s.Holdings.Count + s.Entries.Count + s.Balances.Count));
        string[] cashLedgers = [.. accounts.Where(a => a.Kind == StatementKind.Cash).Select(a => a.LedgerAccount).Distinct()];
        LocalDate from = statements.Where(s => s.Kind == StatementKind.Cash).Select(Reconciler.CashPeriodStart).DefaultIfEmpty(StatementDate).Min();
        IReadOnlyList<CashMovement> movements = await Phase("cash movements of every cash account", () =>
            store.ReadCashMovementsAsync(cashLedgers, from, StatementDate, None), r => r.Count);
        IReadOnlyList<BalanceRow> balances = await Phase("balances as of the day (every account)", () =>
            store.ReadBalancesAsync(StatementDate, null, BalanceBasis.EffectiveDate, None), r => r.Count);
        GC.KeepAlive(statements);
        GC.KeepAlive(movements);
        GC.KeepAlive(balances);
        return 0;
    }

    private static async Task<T> Phase<T>(string name, Func<Task<T>> read, Func<T, int> rows)
    {
        long before = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        TimeSpan cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        T result = await read();
        wall.Stop();
        process.Refresh();
        TimeSpan used = process.TotalProcessorTime - cpu;
        long held = GC.GetTotalMemory(forceFullCollection: true) - before;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {wall.Elapsed.TotalSeconds:F2} | {used.TotalSeconds:F2} | {rows(result):N0} | {held >> 20:N0} |"));
        return result;
    }

    /// <summary>Prints planted and found per statement kind and break type; 1 unless both lists hold exactly the same breaks.</summary>
    private static int Compare(List<Finding> planted, List<Finding> found)
    {
        Console.WriteLine("| statement | break | planted | found |");
        Console.WriteLine("|---|---|---:|---:|");
        foreach (var group in planted.Concat(found).Select(f => (f.Kind, f.Type, f.Standing)).Distinct().Order())
        {
            string name = (group.Kind == StatementKind.Custody ? "custody" : "cash") + (group.Standing && group.Kind == StatementKind.Cash ? " (closing balance)" : "");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {BreakBook.Name(group.Type)} | {planted.Count(p => (p.Kind, p.Type, p.Standing) == group):N0} | {found.Count(p => (p.Kind, p.Type, p.Standing) == group):N0} |"));
        }
        var expected = planted.ToHashSet();
        var actual = found.ToHashSet();
        if (expected.SetEquals(actual) && actual.Count == found.Count)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"found = planted: {found.Count:N0} breaks, the same keys and types"));
            return 0;
        }
        foreach (Finding missed in expected.Except(actual).Take(10))
        {
            Console.WriteLine("planted, not found: " + missed.ToLine());
        }
        foreach (Finding extra in actual.Except(expected).Take(10))
        {
            Console.WriteLine("found, not planted: " + extra.ToLine());
        }
        Console.WriteLine("FAILED: the breaks found are not the planted ones");
        return 1;
    }

    /// <summary>Starts this program again with <c>--recon-run</c> on <paramref name="directory"/>, sharing the console; its exit code.</summary>
    private static int RunChild(string directory)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ReconciliationBenchmark).Assembly.Location);
        }
        start.ArgumentList.Add("--recon-run");
        start.ArgumentList.Add(directory);
        using Process child = Process.Start(start)!;
        child.WaitForExit();
        return child.ExitCode;
    }

    private static async Task<string[]> LoadReferenceAsync(CommandProcessor processor, Layout layout, Plan custody)
    {
        // The ISINs every custody account holds, then those only its statements show (one per
        // missing-in-books line of the account with the most).
        int extra = Enumerable.Range(0, layout.CustodyAccounts).Max(a =>
            Enumerable.Range(0, layout.IsinsPerAccount).Count(k => custody.TypeOf(layout.PositionNumber(a, k)) == BreakType.MissingInBooks));
        string[] isins = [.. Enumerable.Range(0, layout.IsinsPerAccount + extra).Select(Isin)];
        var changes = new ReferenceChanges
        {
            Currencies = [new Currency("USD", 840, 2, "US Dollar"), new Currency("EUR", 978, 2, "Euro")],
            Markets = [new Market("XNAS", "Nasdaq", "US")],
            Instruments = [.. isins.Select(isin => new Instrument(isin, "US share " + isin, AssetClass.Equity, "USD", "XNAS", null, null, null, null, 0))],
            LedgerAccounts =
            [
                new LedgerAccountDefinition("1010", "Cash at banks", LedgerAccountType.Asset, null, true),
                new LedgerAccountDefinition("1100", "Securities at custodians", LedgerAccountType.Asset, null, true),
                new LedgerAccountDefinition("2010", "Client money", LedgerAccountType.Liability, null, true),
                new LedgerAccountDefinition("2100", "Client securities", LedgerAccountType.Liability, null, true),
                .. Enumerable.Range(0, layout.CustodyAccounts).Select(a =>
                    new LedgerAccountDefinition(SecuritiesLedger(a), "Securities at custodian, account " + SafekeepingAccount(a), LedgerAccountType.Asset, "1100", true)),
                .. Enumerable.Range(0, layout.CashAccounts).Select(c =>
                    new LedgerAccountDefinition(BankLedger(c), "Cash at bank, account " + CashAccount(c), LedgerAccountType.Asset, "1010", true)),
            ],
            StatementAccounts =
            [
                .. Enumerable.Range(0, layout.CustodyAccounts).Select(a => new StatementAccount(SafekeepingAccount(a), CustodySource, StatementKind.Custody,
                    SecuritiesLedger(a), null, "Safekeeping account " + a.ToString(CultureInfo.InvariantCulture), new CashRules())),
                .. Enumerable.Range(0, layout.CashAccounts).Select(c => new StatementAccount(CashAccount(c), BankSource, StatementKind.Cash,
                    BankLedger(c), Currency(c), "Cash account " + c.ToString(CultureInfo.InvariantCulture), new CashRules())),
            ],
        };
        CommandOutcome loaded = await new ReferenceDataService(processor).ImportAsync(changes, null, Actor, null, None);
        return loaded.Rejection is { } refused ? throw new InvalidOperationException("reference data: " + refused) : isins;
    }

    /// <summary>
    /// Every position carried in: per ISIN, entries debiting up to 127 custody sub-ledgers and
    /// crediting client securities with their total. Returns the number of entries.
    /// </summary>
    private static async Task<int> BookPositionsAsync(LedgerService ledger, Layout layout, string[] isins, int batchSize)
    {
        var entries = new List<JournalEntryRequest>();
        for (int k = 0; k < layout.IsinsPerAccount; k++)
        {
            for (int first = 0; first < layout.CustodyAccounts; first += AccountsPerEntryMax)
            {
                int last = Math.Min(layout.CustodyAccounts, first + AccountsPerEntryMax);
                var postings = new List<PostingRequest>(last - first + 1);
                long total = 0;
                for (int a = first; a < last; a++)
                {
                    postings.Add(new PostingRequest(SecuritiesLedger(a), isins[k], Direction.Debit, Quantity(a, k)));
                    total += Quantity(a, k);
                }
                postings.Add(new PostingRequest("2100", isins[k], Direction.Credit, total));
                entries.Add(new JournalEntryRequest(string.Create(CultureInfo.InvariantCulture, $"recon-positions-{k}-{first}"), CarriedIn, "positions carried in",
                    "carry-in", postings));
            }
        }
        await PostAsync(ledger, entries, batchSize);
        return entries.Count;
    }

    /// <summary>
    /// Each cash account's balance brought forward, then every movement of the week as its own
    /// entry (a client's deposit or withdrawal: the bank sub-ledger against client money), quoting
    /// the reference the bank quotes back. Returns each movement's entry id, by movement number.
    /// </summary>
    private static async Task<long[]> BookCashAsync(LedgerService ledger, Layout layout, Plan cash, int batchSize)
    {
        var forward = new List<JournalEntryRequest>();
        foreach (string currency in new[] { "USD", "EUR" })
        {
            int[] accounts = [.. Enumerable.Range(0, layout.CashAccounts).Where(c => Currency(c) == currency)];
            foreach (int[] chunk in accounts.Chunk(AccountsPerEntryMax))
            {
                forward.Add(new JournalEntryRequest($"recon-forward-{currency}-{chunk[0]}", BroughtForward, "balances brought forward", "brought-forward",
                [
                    .. chunk.Select(c => new PostingRequest(BankLedger(c), currency, Direction.Debit, Opening(c))),
                    new PostingRequest("2010", currency, Direction.Credit, chunk.Sum(Opening)),
                ]));
            }
        }
        await PostAsync(ledger, forward, batchSize);
        long[] ids = new long[layout.Movements];
        for (long start = 0; start < layout.Movements; start += PostFileEntries)
        {
            int count = (int)Math.Min(PostFileEntries, layout.Movements - start);
            var file = new List<JournalEntryRequest>(count);
            for (long n = start; n < start + count; n++)
            {
                (int c, int i) = layout.MovementOf(n);
                decimal amount = Amount(c, i, cash.TypeOf(n));
                Direction bank = amount > 0 ? Direction.Debit : Direction.Credit;
                file.Add(new JournalEntryRequest(string.Create(CultureInfo.InvariantCulture, $"recon-cash-{c}-{i}"), MovementDate(i),
                    amount > 0 ? "client deposit" : "client withdrawal", Reference(c, i),
                [
                    new PostingRequest(BankLedger(c), Currency(c), bank, Math.Abs(amount)),
                    new PostingRequest("2010", Currency(c), bank == Direction.Debit ? Direction.Credit : Direction.Debit, Math.Abs(amount)),
                ]));
            }
            PostReport report = await PostAsync(ledger, file, batchSize);
            for (int j = 0; j < count; j++)
            {
                ids[start + j] = report.Entries[j].EntryId.Value;
            }
        }
        return ids;
    }

    private static async Task<PostReport> PostAsync(LedgerService ledger, List<JournalEntryRequest> entries, int batchSize)
    {
        PostReport report = await ledger.PostAsync(entries, Actor, new PostOptions(batchSize), null, None);
        return report.Rejection is null && report.Entries.Length == entries.Count ? report : throw new InvalidOperationException("set-up post failed: " + report.Rejection);
    }

    /// <summary>Imports every file as the CLI's <c>recon import</c> does, one by one; the number of statements stored.</summary>
    private static async Task<int> ImportAsync(ReconciliationService service, IReadOnlyList<string> files)
    {
        int statements = 0;
        foreach (string path in files)
        {
            (CommandOutcome outcome, IReadOnlyList<StoredStatement> stored) = await service.ImportAsync(Path.GetFileName(path), await File.ReadAllBytesAsync(path), Actor, None);
            if (outcome.Status != CommandStatus.Accepted)
            {
                throw new InvalidOperationException($"import of {path} failed: {outcome.Result}");
            }
            statements += stored.Count;
        }
        return statements;
    }

    /// <summary>Writes one custody file per safekeeping account and one cash file per cash account, adding each planted break to <paramref name="planted"/>.</summary>
    private static List<string> WriteStatements(string directory, Layout layout, string[] isins, Plan custody, Plan cash, long[] movementIds, List<Finding> planted)
    {
        string folder = Directory.CreateDirectory(Path.Combine(directory, "statements")).FullName;
        var files = new List<string>();
        for (int a = 0; a < layout.CustodyAccounts; a++)
        {
            string path = Path.Combine(folder, $"custody-{SafekeepingAccount(a)}.csv");
            File.WriteAllText(path, CustodyStatement(a, layout, isins, custody, planted));
            files.Add(path);
        }
        for (int c = 0; c < layout.CashAccounts; c++)
        {
            string path = Path.Combine(folder, $"cash-{CashAccount(c)}.csv");
            File.WriteAllText(path, CashStatement(c, layout, cash, movementIds, planted));
            files.Add(path);
        }
        return files;
    }

    /// <summary>
    /// A custody statement of one safekeeping account: a line per ISIN held, except that a planted
    /// quantity difference shows another quantity, a planted missing-at-custodian line is left
    /// out, and a planted missing-in-books break adds a line for an ISIN the account does not hold.
    /// </summary>
    private static string CustodyStatement(int a, Layout layout, string[] isins, Plan custody, List<Finding> planted)
    {
        string account = SafekeepingAccount(a);
        string head = string.Create(CultureInfo.InvariantCulture, $"SC-{a}-{StatementDate:yyyyMMdd},{account},{StatementDate:yyyy-MM-dd},settlement,");
        var text = new StringBuilder(string.Join(',', StatementCsv.CustodyColumns)).Append('\n');
        int extra = 0;
        for (int k = 0; k < layout.IsinsPerAccount; k++)
        {
            BreakType? type = custody.TypeOf(layout.PositionNumber(a, k));
            long quantity = Quantity(a, k);
            switch (type)
            {
                case BreakType.QuantityDifference:
                    // Never zero, so it stays a difference and is not read as a missing line.
                    quantity += (k % 2 == 0 ? 1 : -1) * (1 + (k % 50));
                    planted.Add(new Finding(StatementKind.Custody, BreakType.QuantityDifference, true, BreakKeys.Position(account, isins[k])));
                    break;
                case BreakType.MissingAtCustodian:
                    planted.Add(new Finding(StatementKind.Custody, BreakType.MissingAtCustodian, true, BreakKeys.Position(account, isins[k])));
                    continue;
                case BreakType.MissingInBooks:
                    string other = isins[layout.IsinsPerAccount + extra];
                    text.Append(head).Append(other).Append(',').Append((100 + extra).ToString(CultureInfo.InvariantCulture)).Append('\n');
                    planted.Add(new Finding(StatementKind.Custody, BreakType.MissingInBooks, true, BreakKeys.Position(account, other)));
                    extra++;
                    break;
            }
            text.Append(head).Append(isins[k]).Append(',').Append(quantity.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// A cash statement of one account for the week, in booking-date order: an entry per movement of
    /// ours, except that a planted amount difference is booked for another amount, a planted date
    /// difference a day away, a planted missing-at-bank movement is left out, and a planted
    /// missing-in-books break adds a credit the books do not have; one entry in ten quotes no
    /// reference (matched on amount and date). The closing balance is the bank's own: brought
    /// forward plus its entries, so it differs from ours wherever the entries do.
    /// </summary>
    private static string CashStatement(int c, Layout layout, Plan cash, long[] movementIds, List<Finding> planted)
    {
        string account = CashAccount(c), currency = Currency(c);
        string head = string.Create(CultureInfo.InvariantCulture, $"CS-{c}-{StatementDate:yyyyMMdd},{account},{currency},{StatementDate:yyyy-MM-dd},");
        var text = new StringBuilder(string.Join(',', StatementCsv.CashColumns)).Append('\n');
        decimal ours = Opening(c), theirs = Opening(c);
        int extra = 0;
        for (int day = 0; day < WeekDays; day++)
        {
            for (int i = day; i < layout.MovementsPerAccount; i += WeekDays)
            {
                long n = layout.MovementNumber(c, i);
                BreakType? type = cash.TypeOf(n);
                decimal amount = Amount(c, i, type);
                ours += amount;
                string? key = type is BreakType.AmountDifference or BreakType.DateDifference or BreakType.MissingAtCustodian
                    ? BreakKeys.Ours(account, [movementIds[n].ToString(CultureInfo.InvariantCulture)])
                    : null;
                if (key is not null)
                {
                    planted.Add(new Finding(StatementKind.Cash, type!.Value, false, key));
                }
                if (type == BreakType.MissingAtCustodian)
                {
                    continue;
                }
                amount += type == BreakType.AmountDifference ? (i % 2 == 0 ? 1 : -1) * (1 + (i % 999)) / 100m : 0m;
                LocalDate booked = MovementDate(i);
                booked = type == BreakType.DateDifference ? booked.PlusDays(booked < StatementDate ? 1 : -1) : booked;
                string? reference = (type is null or BreakType.MissingInBooks) && n % 10 == 3 ? null : Reference(c, i);
                theirs += amount;
                Entry(text, head, amount, booked, reference, amount > 0 ? "Client deposit" : "Client withdrawal");
                if (type == BreakType.MissingInBooks)
                {
                    // A credit only the bank has: larger than any movement of ours, so no pass pairs it with one.
                    string credit = (200_000m + (10m * extra) + 0.25m).ToString("F2", CultureInfo.InvariantCulture);
                    string bankReference = string.Create(CultureInfo.InvariantCulture, $"BANK-{c}-{extra}");
                    Entry(text, head, decimal.Parse(credit, CultureInfo.InvariantCulture), booked, bankReference, "Interest credited");
                    theirs += decimal.Parse(credit, CultureInfo.InvariantCulture);
                    planted.Add(new Finding(StatementKind.Cash, BreakType.MissingInBooks, false,
                        BreakKeys.Theirs(account, booked, decimal.Parse(credit, CultureInfo.InvariantCulture), bankReference, 1)));
                    extra++;
                }
            }
        }
        text.Append(head).Append("closing,").Append(theirs.ToString("F2", CultureInfo.InvariantCulture)).Append(",,,,\n");
        if (ours != theirs)
        {
            planted.Add(new Finding(StatementKind.Cash, BreakType.AmountDifference, true, BreakKeys.Balance(account, currency, "CLBD")));
        }
        return text.ToString();
    }

    private static void Entry(StringBuilder text, string head, decimal amount, LocalDate booked, string? reference, string description) =>
        text.Append(head).Append("entry,").Append(amount.ToString("F2", CultureInfo.InvariantCulture)).Append(',')
            .Append(booked.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',').Append(booked.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            .Append(',').Append(reference).Append(',').Append(description).Append('\n');

    /// <summary>The position a safekeeping account holds in its ISIN number k: 100 to 100,000 units, spread by account and ISIN.</summary>
    private static long Quantity(int account, int isin) => 100 + ((account * 7_919L + isin * 104_729L) % 99_901);

    /// <summary>
    /// Movement i of a cash account: 100.00 to about 100,100, unique within the account (ten units
    /// apart, so a break on one movement cannot be paired with another on amount), a withdrawal
    /// for one in three and for every planted missing-at-bank movement. The bank's own credits
    /// are all above 200,000: no sum of missing withdrawals can make one, so the group passes pair nothing planted.
    /// </summary>
    private static decimal Amount(int account, int i, BreakType? planted)
    {
        decimal size = 100m + (10m * i) + (((account * 31) + (i * 17)) % 1000 / 100m);
        return planted == BreakType.MissingAtCustodian || i % 3 == 0 ? -size : size;
    }

    /// <summary>Movements spread over the week, Monday to Friday.</summary>
    private static LocalDate MovementDate(int i) => StatementDate.PlusDays((i % WeekDays) - (WeekDays - 1));

    private static string Reference(int account, int i) => string.Create(CultureInfo.InvariantCulture, $"PAY-{account:D3}-{i:D6}");

    private static decimal Opening(int account) => 1_000_000m + (1_000m * account);

    private static string Currency(int account) => account % 2 == 0 ? "USD" : "EUR";

    private static string SafekeepingAccount(int a) => string.Create(CultureInfo.InvariantCulture, $"SAFE-{a:D5}");

    private static string SecuritiesLedger(int a) => string.Create(CultureInfo.InvariantCulture, $"1100.{a:D5}");

    private static string CashAccount(int c) => string.Create(CultureInfo.InvariantCulture, $"CASH-{c:D4}");

    private static string BankLedger(int c) => string.Create(CultureInfo.InvariantCulture, $"1010.{c:D4}");

    private static string Isin(int n)
    {
        string body = "US" + (100_000 + n).ToString("D9", CultureInfo.InvariantCulture);
        _ = IsinRules.TryComputeCheckDigit(body, out char check);
        return body + check;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    /// <summary>How the items are spread: custody accounts times ISINs each, cash accounts times movements each.</summary>
    private sealed record Layout(int CustodyAccounts, int IsinsPerAccount, int CashAccounts, int MovementsPerAccount)
    {
        /// <summary>By default statements keep their size as the total grows (1,000 ISINs a custody account, 10,000 movements a cash account); more accounts carry more.</summary>
        public static Layout For(int size, int? custodyAccounts, int? cashAccounts)
        {
            int custody = custodyAccounts ?? Math.Max(1, size / 1_000);
            int cash = cashAccounts ?? Math.Max(1, size / 10_000);
            if (custody > 99_999 || cash > 9_999 || size / custody < 1 || size / cash < 1)
            {
                throw new ArgumentException("at most 99,999 custody and 9,999 cash accounts, each with at least one item");
            }
            return new Layout(custody, size / custody, cash, size / cash);
        }

        public long Positions => (long)CustodyAccounts * IsinsPerAccount;

        public long Movements => (long)CashAccounts * MovementsPerAccount;

        public long PositionNumber(int account, int isin) => ((long)account * IsinsPerAccount) + isin;

        public long MovementNumber(int account, int i) => ((long)account * MovementsPerAccount) + i;

        public (int Account, int Index) MovementOf(long n) => ((int)(n / MovementsPerAccount), (int)(n % MovementsPerAccount));
    }

    /// <summary>
    /// Which items carry a planted break, and which: item n lands at n times a stride modulo the
    /// count, the stride prime to the count and near the count divided by the golden ratio, so
    /// that the landing places are a permutation that spreads consecutive items evenly (Fibonacci
    /// hashing). The items that land in the lowest hundredth are broken, the type taken in turn
    /// from where they land: exactly one item in a hundred, about as many in every account.
    /// </summary>
    private sealed class Plan(long count, BreakType[] types)
    {
        public static readonly BreakType[] CustodyTypes = [BreakType.QuantityDifference, BreakType.MissingAtCustodian, BreakType.MissingInBooks];

        public static readonly BreakType[] CashTypes = [BreakType.AmountDifference, BreakType.DateDifference, BreakType.MissingAtCustodian, BreakType.MissingInBooks];

        private readonly long _stride = Stride(count);

        private static long Stride(long count)
        {
            long stride = Math.Max(1, (long)(count * 0.6180339887498949));
            while (System.Numerics.BigInteger.GreatestCommonDivisor(stride, count) != 1)
            {
                stride++;
            }
            return stride;
        }

        public BreakType? TypeOf(long n)
        {
            long landed = (long)((Int128)n * _stride % count);
            return landed < count / 100 ? types[landed % types.Length] : null;
        }
    }

    /// <summary>A break as the comparison reports it: which statement kind, type, whether it is standing (a position or balance), and its key.</summary>
    private readonly record struct Finding(StatementKind Kind, BreakType Type, bool Standing, string Key)
    {
        public string ToLine() => string.Create(CultureInfo.InvariantCulture, $"{(int)Kind}\t{(int)Type}\t{(Standing ? 1 : 0)}\t{Key}");

        public static Finding FromLine(string line)
        {
            string[] fields = line.Split('\t');
            return new Finding((StatementKind)int.Parse(fields[0], CultureInfo.InvariantCulture), (BreakType)int.Parse(fields[1], CultureInfo.InvariantCulture),
                fields[2] == "1", fields[3]);
        }
    }
}
