using System.Diagnostics;
using System.Globalization;
using BackOffice.Application.Audit;
using BackOffice.Application.Ports;
using BackOffice.Application.ReferenceData;
using BackOffice.Application.Trading;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;
using BackOffice.Intake.Fix;
using BackOffice.Intake.Trades;
using NodaTime;

namespace BackOffice.Benchmarks;

/// <summary>
/// Trade capture end to end: a CSV file of N trades (written before timing) imported as the CLI
/// does (read and validate the whole file, then read again and book in batches), then the books
/// checked. Also the parser alone, in rows per second.
/// </summary>
internal static class TradeBenchmark
{
    internal const string Broker = "5493000DEMO0BROKER41";
    internal static readonly string[] Clients = [.. Enumerable.Range(0, 100).Select(i => "C-" + i.ToString("D4", CultureInfo.InvariantCulture))];

    public static async Task<int> RunAsync(IBackOfficeStore store, int trades, int batchSize, string storeName, bool fix)
    {
        var processor = new CommandProcessor(store, SystemClock.Instance);
        await new ReferenceDataService(processor).ImportAsync(Reference(), null, "bench", null, CancellationToken.None);
        string path = Path.Combine(Directory.CreateTempSubdirectory("backoffice-trades-").FullName, fix ? "dropcopy.fix" : "trades.csv");
        if (fix)
        {
            WriteFixFile(path, trades);
        }
        else
        {
            WriteFile(path, trades);
        }
        long bytes = new FileInfo(path).Length;
        Func<IEnumerable<TradeMessage>> read = fix ? () => FixLogFile.Read(path, null) : () => TradeFile.ReadCsv(path, "BENCH");
        string? source = fix ? null : "BENCH";
        storeName = fix ? storeName + " (FIX)" : storeName;

        var parse = Stopwatch.StartNew();
        int parsed = read().Count(m => m.Request is not null);
        parse.Stop();
        if (parsed != trades)
        {
            throw new InvalidOperationException($"parsed {parsed} of {trades} rows");
        }

        var service = new TradeService(store, processor);
        var check = Stopwatch.StartNew();
        TradeImportReport dry = await service.ImportFileAsync(read, TradeFile.ContentHash(path), source, "bench",
            new TradeImportOptions(batchSize, DryRun: true), CancellationToken.None);
        check.Stop();
        if (dry.Rejection is not null)
        {
            throw new InvalidOperationException("benchmark dry run failed: " + dry.Rejection);
        }
        TimeSpan pausedBefore = GC.GetTotalPauseDuration();
        int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        // The managed heap is sampled while importing, to show memory stays flat as the file grows
        // (the peak working set also counts SQLite's page cache, which is sized by configuration).
        long heapPeak = 0;
        using var sampler = new Timer(_ => InterlockedMax(ref heapPeak, GC.GetTotalMemory(false)), null, 0, 50);
        var import = Stopwatch.StartNew();
        TradeImportReport report = await service.ImportFileAsync(read, TradeFile.ContentHash(path), source, "bench",
            new TradeImportOptions(batchSize), CancellationToken.None);
        import.Stop();
        // SQLite copies the committed WAL into the database file in the background; the time to
        // finish that copy after the import is reported on its own (it is not part of the commit).
        var checkpoint = Stopwatch.StartNew();
        if (store is BackOffice.Storage.Sqlite.SqliteStore sqlite)
        {
            await sqlite.CheckpointAsync(CancellationToken.None);
        }
        checkpoint.Stop();
        TimeSpan paused = GC.GetTotalPauseDuration() - pausedBefore;
        string collections = string.Create(CultureInfo.InvariantCulture,
            $"{GC.CollectionCount(0) - collectionsBefore[0]} gen0, {GC.CollectionCount(1) - collectionsBefore[1]} gen1, {GC.CollectionCount(2) - collectionsBefore[2]} gen2");
        if (report.Rejection is not null || report.Booked != trades)
        {
            throw new InvalidOperationException("benchmark import failed: " + report.Rejection);
        }
        AuditVerification audit = await new AuditVerifier(store).VerifyAsync(null, CancellationToken.None);
        if (!audit.IsIntact || audit.EntryCount != trades)
        {
            throw new InvalidOperationException("benchmark check failed: " + audit.Problem);
        }
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        await sampler.DisposeAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"file: {bytes / (1024 * 1024)} MiB; validation alone (dry run): {check.Elapsed.TotalSeconds:F1} s; gc pauses while importing: {paused.TotalSeconds:F2} s ({collections})"));
        Console.WriteLine("| store | trades | batch | parse rows/s | import s | trades/s | checkpoint s | managed heap peak MiB | peak working set MiB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {storeName} | {trades:N0} | {batchSize:N0} | {trades / parse.Elapsed.TotalSeconds:N0} | {import.Elapsed.TotalSeconds:F1} | {trades / import.Elapsed.TotalSeconds:N0} | {checkpoint.Elapsed.TotalSeconds:F1} | {Interlocked.Read(ref heapPeak) / (1024 * 1024):N0} | {peak / (1024 * 1024):N0} |"));
        File.Delete(path);
        return 0;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    /// <summary>A FIX 4.4 drop-copy log of ExecutionReports (fills), SOH delimited, one per line.</summary>
    private static void WriteFixFile(string path, int trades)
    {
        using var writer = new BinaryWriter(File.Create(path));
        string[] instruments = ["US0378331005", "US5949181045"];
        var body = new System.Text.StringBuilder(320);
        for (int i = 0; i < trades; i++)
        {
            string quantity = (1 + i % 500).ToString(CultureInfo.InvariantCulture);
            string price = (200m + (i % 1000) / 100m).ToString(CultureInfo.InvariantCulture);
            body.Clear().Append("35=8\u000149=EXBROKER\u000156=BACKOFFICE\u000134=").Append(i + 1).Append("\u000152=20261125-21:00:00.000\u00011=")
                .Append(Clients[i % Clients.Length]).Append("\u00016=").Append(price).Append("\u000111=O").Append(i).Append("\u000114=").Append(quantity)
                .Append("\u000115=USD\u000117=E").Append(i).Append("\u000122=4\u000130=XNAS\u000131=").Append(price).Append("\u000132=").Append(quantity)
                .Append("\u000137=OID").Append(i).Append("\u000139=2\u000148=").Append(instruments[i % 2]).Append("\u000154=").Append(i % 3 == 0 ? '2' : '1')
                .Append("\u000160=20261125-14:30:00.000\u000175=20261125\u0001150=F\u0001151=0\u0001453=1\u0001448=").Append(Broker)
                .Append("\u0001447=D\u0001452=1\u0001");
            string fields = body.ToString();
            string head = "8=FIX.4.4\u00019=" + System.Text.Encoding.ASCII.GetByteCount(fields).ToString(CultureInfo.InvariantCulture) + "\u0001";
            byte[] message = System.Text.Encoding.ASCII.GetBytes(head + fields);
            int sum = FixFramer.CheckSum(message);
            writer.Write(message);
            writer.Write(System.Text.Encoding.ASCII.GetBytes("10=" + sum.ToString("D3", CultureInfo.InvariantCulture) + "\u0001\n"));
        }
    }

    private static void WriteFile(string path, int trades)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("source_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date,executed_at");
        var date = new LocalDate(2026, 11, 25);
        string[] instruments = ["US0378331005", "US5949181045"];
        for (int i = 0; i < trades; i++)
        {
            writer.Write("T");
            writer.Write(i.ToString(CultureInfo.InvariantCulture));
            writer.Write(i % 3 == 0 ? ",SELL," : ",BUY,");
            writer.Write(instruments[i % 2]);
            writer.Write(",ISIN,XNAS,");
            writer.Write((1 + i % 500).ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write((200m + (i % 1000) / 100m).ToString(CultureInfo.InvariantCulture));
            writer.Write(",USD,");
            writer.Write(Clients[i % Clients.Length]);
            writer.Write(',');
            writer.Write(Broker);
            writer.Write(",2026-11-25,2026-11-25T14:30:00.");
            writer.Write((i % 1_000_000).ToString("D6", CultureInfo.InvariantCulture));
            writer.WriteLine('Z');
        }
        _ = date;
    }

    /// <summary>The control accounts a trade books to (the sub-ledgers open on first use).</summary>
    internal static readonly LedgerAccountDefinition[] TradeChart =
    [
        new("1300", "Pending settlement", LedgerAccountType.Asset, null, true),
        new("1310", "Settlement receivable", LedgerAccountType.Asset, null, true),
        new("2010", "Client money", LedgerAccountType.Liability, null, true),
        new("2100", "Client securities", LedgerAccountType.Liability, null, true),
        new("2300", "Settlement payable", LedgerAccountType.Liability, null, true),
        new("2400", "Fees payable", LedgerAccountType.Liability, null, true),
        new("4010", "Commission income", LedgerAccountType.Income, null, true),
    ];

    internal static ReferenceChanges Reference() => new()
    {
        Currencies = [new Currency("USD", 840, 2, "US Dollar")],
        Markets = [new Market("XNAS", "Nasdaq", "US")],
        Instruments =
        [
            new Instrument("US0378331005", "Apple Inc.", AssetClass.Equity, "USD", "XNAS", "037833100", null, "AAPL", null, 0),
            new Instrument("US5949181045", "Microsoft Corp.", AssetClass.Equity, "USD", "XNAS", "594918104", null, "MSFT", null, 0),
        ],
        Parties =
        [
            new Party(Broker, "Executing broker", PartyRole.Counterparty, "EXBRUS33"),
            new Party("5493000DEMO0CLIENT70", "Client", PartyRole.Client, null),
        ],
        ClientAccounts = [.. Clients.Select(c => new ClientAccount(c, "Client " + c, "5493000DEMO0CLIENT70", "USD", "NYC", ClientAccountStatus.Open, new LocalDate(2024, 1, 1)))],
        LedgerAccounts = TradeChart,
        FeeRules =
        [
            new FeeRule { Id = "COMM", Code = "COMMISSION", Kind = FeeKind.Commission, Method = FeeMethod.PerUnit, Rate = 0.005m, Minimum = 1m, Currency = "USD" },
            new FeeRule { Id = "TAF", Code = "FINRA-TAF", Kind = FeeKind.Fee, Method = FeeMethod.PerUnit, Rate = 0.000166m, Minimum = 0.01m, Maximum = 8.30m, Currency = "USD", Side = TradeSide.Sell, Rounding = FeeRounding.Up },
        ],
        SettlementInstructions = [new StandingSettlementInstruction("B", Broker, null, null, "DTCYUS33XXX", "DTC-0352", "EXBRUS33XXX", new LocalDate(2024, 1, 1))],
    };
}
