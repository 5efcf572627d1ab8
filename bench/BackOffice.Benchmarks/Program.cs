using System.Diagnostics;
using System.Globalization;
using BackOffice.Application.Audit;
using BackOffice.Application.Ledger;
using BackOffice.Application.Ports;
using BackOffice.Application.ReferenceData;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using BackOffice.Storage.Postgres;
using BackOffice.Storage.Sqlite;
using NodaTime;
using Npgsql;

// Posting throughput, balance rebuild and audit verification on N entries of four postings,
// through the same write path the CLI uses (validate whole, then one transaction per batch).
// Usage: dotnet run -c Release --project bench/BackOffice.Benchmarks -- [--store sqlite|postgres]
//        [--entries 1000000] [--batch-size 10000] [--file-size 100000] [--connection CS]
var options = Options.Parse(args);
using var allocations = BackOffice.Benchmarks.AllocationSampler.Current = args.Contains("--allocations") ? new BackOffice.Benchmarks.AllocationSampler() : null;
if (Array.IndexOf(args, "--recon-run") is int rr and >= 0)
{
    // The timed half of --recon, in a process of its own so that its peak memory is the run's alone
    // (started by --recon, or by hand on a directory --recon --keep left). Before any store is opened.
    return await BackOffice.Benchmarks.ReconciliationBenchmark.RunStatementsAsync(args[rr + 1]);
}
if (Array.IndexOf(args, "--recon-phases") is int rp and >= 0)
{
    // The reads of a run one by one, with the memory each holds, on a directory --recon --keep left.
    return await BackOffice.Benchmarks.ReconciliationBenchmark.PhasesAsync(args[rp + 1]);
}
if (Array.IndexOf(args, "--reports") is int r and >= 0)
{
    // The reports alone, on a database an earlier run left (its path is printed by --accounting).
    await using SqliteStore books = SqliteStore.Open(args[r + 1]);
    return await BackOffice.Benchmarks.AccountingBenchmark.ReportsAsync(books);
}
if (Array.IndexOf(args, "--lots") is int l and >= 0)
{
    // The lot step alone, repeated on a database an earlier run left: the fastest of the runs
    // is the figure least disturbed by the machine's neighbours.
    await using SqliteStore books = SqliteStore.Open(args[l + 1]);
    return await BackOffice.Benchmarks.AccountingBenchmark.LotsAsync(books, Array.IndexOf(args, "--repeat") is int rp2 and >= 0 ? int.Parse(args[rp2 + 1], CultureInfo.InvariantCulture) : 5);
}
if (Array.IndexOf(args, "--recon") is int rc and >= 0)
{
    // Reconciliation of N positions and N cash movements against statements of the same size, on
    // SQLite in a database of its own: --recon N [--custody-accounts A] [--cash-accounts C] [--keep | --set-up-only].
    int? Count(string name) => Array.IndexOf(args, name) is int i and >= 0 ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : null;
    return await BackOffice.Benchmarks.ReconciliationBenchmark.RunAsync(int.Parse(args[rc + 1], CultureInfo.InvariantCulture), Count("--custody-accounts"),
        Count("--cash-accounts"), options.BatchSize, keep: Array.IndexOf(args, "--keep") >= 0, setUpOnly: Array.IndexOf(args, "--set-up-only") >= 0);
}
if (Array.IndexOf(args, "--statements-run") is int sr and >= 0)
{
    // The timed half of --statements, in a process of its own (its peak memory is the command's alone).
    return await BackOffice.Benchmarks.StatementsBenchmark.RunStatementsAsync(args[sr + 1]);
}
if (Array.IndexOf(args, "--statements") is int sm and >= 0)
{
    // Monthly statements (PDF with a chart) for N client accounts on SQLite: --statements N [--keep].
    return await BackOffice.Benchmarks.StatementsBenchmark.RunAsync(int.Parse(args[sm + 1], CultureInfo.InvariantCulture), options.BatchSize, keep: Array.IndexOf(args, "--keep") >= 0);
}
if (Array.IndexOf(args, "--screening") is int sc and >= 0)
{
    // Sanctions screening of N names (a million if not given) on every core, against a synthetic list of the
    // SDN list's size or OFAC's own files: --screening [N] [--sdn DIR] [--chunk N].
    int names = sc + 1 < args.Length && int.TryParse(args[sc + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : BackOffice.Benchmarks.ScreeningBenchmark.DefaultNames;
    string? sdn = Array.IndexOf(args, "--sdn") is int sd and >= 0 ? args[sd + 1] : null;
    int chunk = Array.IndexOf(args, "--chunk") is int ch and >= 0 ? int.Parse(args[ch + 1], CultureInfo.InvariantCulture) : BackOffice.Benchmarks.ScreeningBenchmark.DefaultChunk;
    return BackOffice.Benchmarks.ScreeningBenchmark.Run(names, sdn, chunk);
}
await using IBackOfficeStore store = await OpenAsync(options);
if (Array.IndexOf(args, "--trades") is int t and >= 0)
{
    return await BackOffice.Benchmarks.TradeBenchmark.RunAsync(store, int.Parse(args[t + 1], CultureInfo.InvariantCulture), options.BatchSize, options.Store, fix: false);
}
if (Array.IndexOf(args, "--api") is int ap and >= 0)
{
    // The server under load: --api N [--clients C] posts N trades from C concurrent clients.
    int clients = Array.IndexOf(args, "--clients") is int c and >= 0 ? int.Parse(args[c + 1], CultureInfo.InvariantCulture) : 64;
    return await BackOffice.Benchmarks.ApiLoadBenchmark.RunAsync(store, int.Parse(args[ap + 1], CultureInfo.InvariantCulture), clients, options.Store);
}
if (Array.IndexOf(args, "--sese023") is int sx and >= 0)
{
    // One core: the cost of writing one instruction and of validating it against the schema.
    int count = int.Parse(args[sx + 1], CultureInfo.InvariantCulture);
    var ssi = new BackOffice.Domain.Trading.StandingSettlementInstruction("S", "5493000DEMO0BROKER41", null, null, "DTCYUS33XXX", "DTC-1", "EXBRUS33XXX", new NodaTime.LocalDate(2024, 1, 1));
    var obligation = new BackOffice.Domain.Settlement.SettlementObligation("BO1-1", 1, 1, BackOffice.Domain.Settlement.SettlementType.Rvp, "US0378331005", false, 100m, 23145.00m,
        "USD", new NodaTime.LocalDate(2026, 11, 24), new NodaTime.LocalDate(2026, 11, 25), 231.45m, "XNAS", "C-1001", "5493000DEMO0BROKER41", ssi);
    string message = BackOffice.Intake.Iso20022.Sese023.Write(obligation, "BENCH").Value;
    // Warm both paths first, so the timings are of optimised code.
    for (int n = 0; n < 20_000; n++)
    {
        _ = BackOffice.Intake.Iso20022.Sese023.Write(obligation, "BENCH");
    }
    var timer = Stopwatch.StartNew();
    for (int n = 0; n < count; n++)
    {
        _ = BackOffice.Intake.Iso20022.Sese023.Validate(message);
    }
    double validate = timer.Elapsed.TotalMicroseconds / count;
    timer.Restart();
    for (int n = 0; n < count; n++)
    {
        _ = BackOffice.Intake.Iso20022.Sese023.Write(obligation, "BENCH");
    }
    double both = timer.Elapsed.TotalMicroseconds / count;
    timer.Restart();
    Parallel.For(0, count, _ => BackOffice.Intake.Iso20022.Sese023.Write(obligation, "BENCH"));
    double parallel = timer.Elapsed.TotalMicroseconds / count;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sese.023 on {Environment.ProcessorCount} cores: {parallel:F1} us a message"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sese.023 per message: {both:F1} us written and validated, of which {validate:F1} us validating ({message.Length} characters)"));
    return 0;
}
if (Array.IndexOf(args, "--settlement") is int st and >= 0)
{
    return await BackOffice.Benchmarks.AccountingBenchmark.SettlementAsync(store, int.Parse(args[st + 1], CultureInfo.InvariantCulture), options.BatchSize,
        grossPercent: Array.IndexOf(args, "--gross-share") is int g and >= 0 ? int.Parse(args[g + 1], CultureInfo.InvariantCulture) : 0,
        keepDigests: !args.Contains("--without-digests"));
}
if (Array.IndexOf(args, "--accounting") is int a and >= 0)
{
    return await BackOffice.Benchmarks.AccountingBenchmark.RunAsync(store, int.Parse(args[a + 1], CultureInfo.InvariantCulture), options.BatchSize, options.Store,
        peers: Array.IndexOf(args, "--no-peers") < 0);
}
if (Array.IndexOf(args, "--fix") is int f and >= 0)
{
    return await BackOffice.Benchmarks.TradeBenchmark.RunAsync(store, int.Parse(args[f + 1], CultureInfo.InvariantCulture), options.BatchSize, options.Store, fix: true);
}
var processor = new CommandProcessor(store, SystemClock.Instance);
var ledger = new LedgerService(store, processor);
await new ReferenceDataService(processor).ImportAsync(Reference(), null, "bench", null, CancellationToken.None);

Console.WriteLine($"store={options.Store} entries={options.Entries:N0} batch={options.BatchSize:N0} file={options.FileSize:N0} cores={Environment.ProcessorCount}");
var post = new Stopwatch();
TimeSpan pausedBefore = GC.GetTotalPauseDuration();
TimeSpan pausedOutside = TimeSpan.Zero;
for (int start = 0; start < options.Entries; start += options.FileSize)
{
    int count = Math.Min(options.FileSize, options.Entries - start);
    TimeSpan generating = GC.GetTotalPauseDuration();
    List<JournalEntryRequest> file = Generate(start, count); // the parsed file: not timed
    pausedOutside += GC.GetTotalPauseDuration() - generating;
    post.Start();
    PostReport report = await ledger.PostAsync(file, "bench", new PostOptions(options.BatchSize, options.DryRun), null, CancellationToken.None);
    post.Stop();
    if (report.Rejection is not null || report.Entries.Length != count)
    {
        throw new InvalidOperationException("benchmark post failed: " + report.Rejection);
    }
}
TimeSpan postPaused = GC.GetTotalPauseDuration() - pausedBefore - pausedOutside;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gc pauses while posting: {postPaused.TotalSeconds:F2} s of {post.Elapsed.TotalSeconds:F2} s"));
if (options.DryRun)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dry run (validate and decide, no writes): {options.Entries / post.Elapsed.TotalSeconds:N0} entries/s"));
    return 0;
}
var rebuild = Stopwatch.StartNew();
BalanceRebuild rebuilt = await ledger.RebuildAsync(replace: false, CancellationToken.None);
rebuild.Stop();
var verify = Stopwatch.StartNew();
AuditVerification audit = await new AuditVerifier(store).VerifyAsync(null, CancellationToken.None);
verify.Stop();
if (rebuilt.Differences.Count != 0 || !audit.IsIntact || audit.EntryCount != options.Entries)
{
    throw new InvalidOperationException($"benchmark check failed: {rebuilt.Differences.Count} differences, audit: {audit.Problem}");
}
double rate = options.Entries / post.Elapsed.TotalSeconds;
long peak = Process.GetCurrentProcess().PeakWorkingSet64;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"gc: {GC.CollectionCount(0)} gen0, {GC.CollectionCount(1)} gen1, {GC.CollectionCount(2)} gen2, paused {GC.GetTotalPauseDuration().TotalSeconds:F2} s, allocated {GC.GetTotalAllocatedBytes() / (1024 * 1024):N0} MiB"));
Console.WriteLine("| store | entries | batch | post s | entries/s | rebuild s | audit verify s | peak MiB |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {options.Store} | {options.Entries:N0} | {options.BatchSize:N0} | {post.Elapsed.TotalSeconds:F1} | {rate:N0} | {rebuild.Elapsed.TotalSeconds:F2} | {verify.Elapsed.TotalSeconds:F1} | {peak / (1024 * 1024):N0} |"));
return 0;

static List<JournalEntryRequest> Generate(int start, int count)
{
    // Four postings: a client buys shares (securities leg and cash leg), like a trade booking.
    var entries = new List<JournalEntryRequest>(count);
    var date = new LocalDate(2026, 11, 27);
    for (int i = start; i < start + count; i++)
    {
        string client = "2010." + (i % 50).ToString("D2", CultureInfo.InvariantCulture);
        string holding = "2100." + (i % 50).ToString("D2", CultureInfo.InvariantCulture);
        decimal cash = 100m + i % 997 + 0.25m;
        decimal shares = 1 + i % 300;
        entries.Add(new JournalEntryRequest("bench-" + i.ToString(CultureInfo.InvariantCulture), date, "trade", "bench",
        [
            new PostingRequest("1300", "US0378331005", Direction.Debit, shares),
            new PostingRequest(holding, "US0378331005", Direction.Credit, shares),
            new PostingRequest(client, "USD", Direction.Debit, cash),
            new PostingRequest("1300", "USD", Direction.Credit, cash),
        ]));
    }
    return entries;
}

static ReferenceChanges Reference() => new()
{
    Currencies = [new Currency("USD", 840, 2, "US Dollar")],
    Markets = [new Market("XNAS", "Nasdaq", "US")],
    Instruments = [new Instrument("US0378331005", "Apple Inc.", AssetClass.Equity, "USD", "XNAS", null, null, "AAPL", null, 0)],
    LedgerAccounts =
    [
        new LedgerAccountDefinition("1300", "Pending settlement", LedgerAccountType.Asset, null, true),
        new LedgerAccountDefinition("2010", "Client money", LedgerAccountType.Liability, null, true),
        new LedgerAccountDefinition("2100", "Client securities", LedgerAccountType.Liability, null, true),
        .. Enumerable.Range(0, 50).SelectMany(i => new[]
        {
            new LedgerAccountDefinition("2010." + i.ToString("D2", CultureInfo.InvariantCulture), "Client money", LedgerAccountType.Liability, "2010", true),
            new LedgerAccountDefinition("2100." + i.ToString("D2", CultureInfo.InvariantCulture), "Client securities", LedgerAccountType.Liability, "2100", true),
        }),
    ],
};

static async Task<IBackOfficeStore> OpenAsync(Options options)
{
    IBackOfficeStore store;
    if (options.Store == "postgres")
    {
        string server = options.Connection ?? Environment.GetEnvironmentVariable("BACKOFFICE_TEST_PG")
            ?? throw new InvalidOperationException("give --connection or set BACKOFFICE_TEST_PG");
        string schema = "bench_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }
        store = PostgresStore.Open(new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ToString());
    }
    else
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("backoffice-bench-").FullName, "bench.db");
        store = SqliteStore.Open(path);
    }
    await store.MigrateAsync(CancellationToken.None);
    return store;
}

internal sealed record Options(string Store, int Entries, int BatchSize, int FileSize, string? Connection, bool DryRun)
{
    public static Options Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        return new Options(Value("--store", "sqlite"), int.Parse(Value("--entries", "1000000"), CultureInfo.InvariantCulture),
            int.Parse(Value("--batch-size", "10000"), CultureInfo.InvariantCulture), int.Parse(Value("--file-size", "100000"), CultureInfo.InvariantCulture),
            Array.IndexOf(args, "--connection") >= 0 ? Value("--connection", "") : null, Array.IndexOf(args, "--dry-run") >= 0);
    }
}
