using BackOffice.Application.Audit;
using BackOffice.Application.Ledger;
using BackOffice.Application.Ports;
using BackOffice.Application.ReferenceData;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using NodaTime;
using NodaTime.Testing;

namespace BackOffice.Storage.Tests;

/// <summary>A store with the services over it and a small chart of accounts, for contract tests.</summary>
public sealed class Books : IAsyncDisposable
{
    public const string Actor = "tester";
    public static readonly string[] AccountCodes = ["1010", "1100", "1300", "2010", "2100", "4010"];
    public static readonly string[] AssetCodes = ["USD", "EUR", "JPY", "US0378331005"];

    private Books(IStoreHarness harness)
    {
        Harness = harness;
        Clock = new FakeClock(Instant.FromUtc(2026, 11, 27, 9, 0), Duration.FromSeconds(1));
        Processor = new CommandProcessor(harness.Store, Clock);
        Ledger = new LedgerService(harness.Store, Processor);
        ReferenceData = new ReferenceDataService(Processor);
        Audit = new AuditVerifier(harness.Store);
    }

    public IStoreHarness Harness { get; }
    public IBackOfficeStore Store => Harness.Store;
    public FakeClock Clock { get; }
    public CommandProcessor Processor { get; }
    public LedgerService Ledger { get; }
    public ReferenceDataService ReferenceData { get; }
    public AuditVerifier Audit { get; }

    public static async Task<Books> CreateAsync(Backend backend, bool withReference = true)
    {
        var books = new Books(await Storage.Tests.Harness.CreateAsync(backend));
        if (withReference)
        {
            CommandOutcome outcome = await books.ReferenceData.ImportAsync(StandardReference(), null, Actor, null, CancellationToken.None);
            Assert.Equal(CommandStatus.Accepted, outcome.Status);
        }
        return books;
    }

    public static ReferenceChanges StandardReference() => new()
    {
        Currencies = [new Currency("USD", 840, 2, "US Dollar"), new Currency("EUR", 978, 2, "Euro"), new Currency("JPY", 392, 0, "Yen")],
        Markets = [new Market("XNAS", "Nasdaq", "US")],
        Instruments = [new Instrument("US0378331005", "Apple Inc.", AssetClass.Equity, "USD", "XNAS", "037833100", null, "AAPL", null, 0)],
        LedgerAccounts = AccountCodes.Select(code => new LedgerAccountDefinition(code, "account " + code,
            code[0] == '1' ? LedgerAccountType.Asset : code[0] == '2' ? LedgerAccountType.Liability : LedgerAccountType.Income, null, true)).ToList(),
    };

    public static JournalEntryRequest Entry(string key, string debit, string credit, string asset, decimal amount, LocalDate? date = null) =>
        new(key, date ?? new LocalDate(2026, 11, 27), "test entry " + key, "test",
            [new PostingRequest(debit, asset, Direction.Debit, amount), new PostingRequest(credit, asset, Direction.Credit, amount)]);

    public Task<PostReport> PostAsync(params JournalEntryRequest[] entries) =>
        Ledger.PostAsync(entries, Actor, new PostOptions(), null, CancellationToken.None);

    public Task<PostReport> PostAsync(IReadOnlyList<JournalEntryRequest> entries, int batchSize) =>
        Ledger.PostAsync(entries, Actor, new PostOptions(batchSize), null, CancellationToken.None);

    public async Task<Dictionary<(string Account, string Asset), decimal>> BalancesAsync(LocalDate? asOf = null, Instant? knownAt = null) =>
        (await Ledger.BalancesAsync(asOf, knownAt, CancellationToken.None)).ToDictionary(l => (l.LedgerAccountCode, l.AssetCode), l => l.Amount);

    /// <summary>A fingerprint of everything stored: used to show that a refused command changed nothing.</summary>
    public async Task<string> SnapshotAsync()
    {
        var parts = new List<string>();
        foreach (string table in new[] { "audit_records", "journal_entries", "postings", "balances", "ledger_accounts", "assets", "instruments", "currencies" })
        {
            parts.Add(table + "=" + await Harness.ScalarRawAsync($"SELECT COUNT(*) FROM {table}"));
        }
        ChainHead head = await Store.ReadHeadAsync(CancellationToken.None);
        parts.Add($"head={head.Sequence}:{head.Hash}:{head.LastEntryId}");
        return string.Join(";", parts);
    }

    public ValueTask DisposeAsync() => Harness.DisposeAsync();
}
