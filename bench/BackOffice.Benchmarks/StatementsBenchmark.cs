using System.Diagnostics;
using System.Globalization;
using BackOffice.Application.ReferenceData;
using BackOffice.Application.Trading;
using BackOffice.Application.WritePath;
using BackOffice.Domain.ReferenceData;
using BackOffice.Intake.Trades;
using BackOffice.Storage.Sqlite;
using NodaTime;

namespace BackOffice.Benchmarks;

/// <summary>
/// Monthly statements for N client accounts: the accounting benchmark's reference data (500
/// instruments in USD and EUR) with N accounts, five trades an account over November 2026 (60%
/// buys; sales close lots and realize P&amp;L), month-end prices for all but ten instruments (their
/// holdings print as not priced) and the EUR/USD rate; then <c>backoffice documents statements
/// --month 2026-11</c> runs in a process of its own (<c>--statements-run</c>), so its time and peak
/// memory are the command's alone. The run fails unless it wrote one statement per account that
/// traded.
/// </summary>
internal static class StatementsBenchmark
{
    /// <summary>Trades generated per account.</summary>
    public const int TradesPerAccount = 5;

    private static readonly LocalDate MonthEnd = new(2026, 11, 30);

    public static async Task<int> RunAsync(int accounts, int batchSize, bool keep)
    {
        string directory = Directory.CreateTempSubdirectory("backoffice-statements-").FullName;
        string db = Path.Combine(directory, "books.db");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"accounts={accounts:N0} trades={accounts * TradesPerAccount:N0} cores={Environment.ProcessorCount} directory={directory}"));
        await using (SqliteStore store = SqliteStore.Open(db))
        {
            await store.MigrateAsync(CancellationToken.None);
            var processor = new CommandProcessor(store, SystemClock.Instance);
            (ReferenceChanges reference, string[] us, string[] fr) = AccountingBenchmark.Reference();
            reference = reference with
            {
                ClientAccounts = [.. Enumerable.Range(0, accounts).Select(i => new ClientAccount(AccountingBenchmark.Client(i), "Client " + i, "5493000DEMO0CLIENT70", "USD", "NYC",
                    ClientAccountStatus.Open, new LocalDate(2024, 1, 1)))],
                // Every instrument priced on the month's last day but the last ten: their holdings show as not priced.
                Prices = [.. us.Concat(fr).SkipLast(10).Select((isin, i) => new Price(isin, MonthEnd, 50m + i % 400, isin.StartsWith("US", StringComparison.Ordinal) ? "USD" : "EUR", "bench close"))],
                FxRates = [new FxRate("EUR", "USD", MonthEnd, 1.0512m, "bench rate")],
            };
            CommandOutcome loaded = await new ReferenceDataService(processor).ImportAsync(reference, null, "bench", null, CancellationToken.None);
            if (loaded.Rejection is { } refused)
            {
                throw new InvalidOperationException("reference data: " + refused);
            }
            string csv = Path.Combine(directory, "trades.csv");
            WriteTrades(csv, accounts, us, fr);
            var timer = Stopwatch.StartNew();
            TradeImportReport import = await new TradeService(store, processor).ImportFileAsync(() => TradeFile.ReadCsv(csv, "GEN"), TradeFile.ContentHash(csv), "GEN", "bench",
                new TradeImportOptions(batchSize), CancellationToken.None);
            if (import.Rejection is not null)
            {
                throw new InvalidOperationException("import failed: " + import.Rejection);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"set-up: booked {import.Booked:N0} trades in {timer.Elapsed.TotalSeconds:F1} s"));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Console.WriteLine("| step | wall s | CPU s | peak MiB |");
        Console.WriteLine("|---|---:|---:|---:|");
        int exit = RunChild(directory);
        if (exit == 0)
        {
            int written = Directory.GetFiles(Path.Combine(directory, "out"), "statement-*.pdf").Length;
            long bytes = Directory.GetFiles(Path.Combine(directory, "out")).Sum(f => new FileInfo(f).Length);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| ({written:N0} statements, {bytes >> 20} MiB, {bytes / Math.Max(1, written) >> 10} KiB each) | | | |"));
            exit = written == accounts ? 0 : 1;
            if (exit != 0)
            {
                Console.WriteLine($"FAILED: {written} statements written for {accounts} accounts");
            }
        }
        if (!keep)
        {
            Directory.Delete(directory, recursive: true);
        }
        return exit;
    }

    /// <summary>The timed half: <c>documents statements</c> through the CLI's own code, in this process; prints its row.</summary>
    public static async Task<int> RunStatementsAsync(string directory)
    {
        using var process = Process.GetCurrentProcess();
        TimeSpan cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var quiet = new StringWriter();
        int exit = await Host.Cli.CommandLine.RunAsync(
            ["documents", "statements", "--month", "2026-11", "--out", Path.Combine(directory, "out"), "--db", Path.Combine(directory, "books.db")], quiet, Console.Error);
        wall.Stop();
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| backoffice documents statements --month 2026-11 | {wall.Elapsed.TotalSeconds:F2} | {(process.TotalProcessorTime - cpu).TotalSeconds:F2} | {process.PeakWorkingSet64 >> 20} |"));
        return exit;
    }

    private static int RunChild(string directory)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(StatementsBenchmark).Assembly.Location);
        }
        start.ArgumentList.Add("--statements-run");
        start.ArgumentList.Add(directory);
        using Process child = Process.Start(start)!;
        child.WaitForExit();
        return child.ExitCode;
    }

    // Five trades an account over the month's business days, in day order; each account's first
    // trades buy, so its later sales close lots.
    private static void WriteTrades(string path, int accounts, string[] us, string[] fr)
    {
        var random = new Random(20261130);
        string[] days = [.. Enumerable.Range(2, 27).Select(d => new LocalDate(2026, 11, d))
            .Where(d => d.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday) && d.Day != 26)
            .Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))];
        using var writer = new StreamWriter(path);
        writer.WriteLine("source_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date");
        int trades = accounts * TradesPerAccount;
        for (int i = 0; i < trades; i++)
        {
            int account = i % accounts, round = i / accounts;
            bool usd = (account + round) % 3 != 0;
            string[] pool = usd ? us : fr;
            // Rounds 0-2 buy three instruments; rounds 3 and 4 sell part of the first two.
            string isin = pool[(account * 7 + round % 3 * 131) % pool.Length];
            bool sell = round >= 3;
            string quantity = (sell ? random.Next(1, 50) : random.Next(50, 500)).ToString(CultureInfo.InvariantCulture);
            string day = days[Math.Min(days.Length - 1, round * days.Length / TradesPerAccount + random.Next(days.Length / TradesPerAccount))];
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"G{i},{(sell ? "SELL" : "BUY")},{isin},ISIN,{(usd ? "XNAS" : "XPAR")},{quantity},{random.Next(1_000, 50_000) / 100m},{(usd ? "USD" : "EUR")},{AccountingBenchmark.Client(account)},5493000DEMO0BROKER41,{day}"));
        }
    }
}
