using System.CommandLine;
using BackOffice.Application.Audit;
using BackOffice.Application.Ledger;
using BackOffice.Application.Ports;
using BackOffice.Application.ReferenceData;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Primitives;
using BackOffice.Storage.Postgres;
using BackOffice.Storage.Sqlite;
using NodaTime;

namespace BackOffice.Host.Cli;

/// <summary>What every verb shares: the output streams, the store options, and how to open the store.</summary>
public sealed class CliContext(TextWriter output, TextWriter error)
{
    public TextWriter Output { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>Where <c>--password-stdin</c> reads from.</summary>
    public TextReader Input { get; init; } = Console.In;

    public Option<string> Db { get; } = new("--db")
    {
        Description = "SQLite database file (the embedded default)",
        DefaultValueFactory = _ => "backoffice.db",
        Recursive = true,
    };

    public Option<string?> Connection { get; } = new("--connection")
    {
        Description = "PostgreSQL connection string; when given, used instead of --db (also read from BACKOFFICE_CONNECTION)",
        Recursive = true,
    };

    public Option<string> Actor { get; } = new("--actor")
    {
        Description = "who is acting, recorded in the audit trail (default: the operating-system user)",
        DefaultValueFactory = _ => Environment.UserName is { Length: > 0 } user ? user : "cli",
        Recursive = true,
    };

    /// <summary>Opens the store named by the options; with <paramref name="create"/> false, a missing SQLite file is an error.</summary>
    public async Task<Services?> OpenAsync(ParseResult parsed, bool create, CancellationToken cancellationToken)
    {
        string? connection = parsed.GetValue(Connection) ?? Environment.GetEnvironmentVariable("BACKOFFICE_CONNECTION");
        IBackOfficeStore store;
        if (!string.IsNullOrEmpty(connection))
        {
            store = PostgresStore.Open(connection);
        }
        else
        {
            string path = parsed.GetValue(Db)!;
            if (!create && !File.Exists(path))
            {
                await Error.WriteLineAsync($"error: no database at {path}; run 'backoffice init --db {path}' first");
                return null;
            }
            store = SqliteStore.Open(path);
        }
        await store.MigrateAsync(cancellationToken);
        return new Services(store, SystemClock.Instance, parsed.GetValue(Actor)!);
    }

    /// <summary>
    /// An optional date option: (true, null) when absent, (true, date) when a yyyy-MM-dd date, and
    /// (false, null) after printing the usage error when it is anything else.
    /// </summary>
    public async Task<(bool Valid, LocalDate? Date)> DateOptionAsync(string? text, string option)
    {
        if (text is null)
        {
            return (true, null);
        }
        NodaTime.Text.ParseResult<LocalDate> parsed = NodaTime.Text.LocalDatePattern.Iso.Parse(text);
        if (!parsed.Success)
        {
            await Error.WriteLineAsync($"error: {option} must be a date as yyyy-MM-dd");
            return (false, null);
        }
        return (true, parsed.Value);
    }

    /// <summary>An optional instant option (ISO 8601), as <see cref="DateOptionAsync"/>.</summary>
    public async Task<(bool Valid, Instant? Instant)> InstantOptionAsync(string? text, string option)
    {
        if (text is null)
        {
            return (true, null);
        }
        NodaTime.Text.ParseResult<Instant> parsed = NodaTime.Text.InstantPattern.ExtendedIso.Parse(text);
        if (!parsed.Success)
        {
            await Error.WriteLineAsync($"error: {option} must be an instant such as 2026-11-27T18:00:00Z");
            return (false, null);
        }
        return (true, parsed.Value);
    }

    /// <summary>
    /// Runs <paramref name="each"/> on every file's bytes in turn (it answers whether the file was
    /// taken): a missing file is reported and the others still run. Exit 1 when any was missing or
    /// not taken, else 0.
    /// </summary>
    public async Task<int> ForEachFileAsync(IEnumerable<FileInfo> files, Func<FileInfo, byte[], Task<bool>> each, CancellationToken cancellationToken)
    {
        int exit = ExitCodes.Ok;
        foreach (FileInfo file in files)
        {
            if (!file.Exists)
            {
                await Error.WriteLineAsync($"error: {file.Name}: file not found");
                exit = ExitCodes.Refused;
            }
            else if (!await each(file, await File.ReadAllBytesAsync(file.FullName, cancellationToken)))
            {
                exit = ExitCodes.Refused;
            }
        }
        return exit;
    }

    /// <summary>Prints a rejection the way every verb does.</summary>
    public Task RejectAsync(Rejection rejection) => Error.WriteLineAsync("error: " + rejection);
}

/// <summary>The application services over one open store.</summary>
public sealed class Services : IAsyncDisposable
{
    public Services(IBackOfficeStore store, IClock clock, string actor)
    {
        Store = store;
        Actor = actor;
        Processor = new CommandProcessor(store, clock);
        Ledger = new LedgerService(store, Processor);
        ReferenceData = new ReferenceDataService(Processor);
        Audit = new AuditVerifier(store);
        Trades = new Application.Trading.TradeService(store, Processor);
        Reports = new Application.Reporting.ReportService(store);
        Lots = new Application.Lots.LotService(store);
        Settlement = new Application.Settlement.SettlementDesk(store, Processor);
        Access = new Application.Access.AccessService(store, Processor);
        Holds = new Application.Holds.HoldService(Processor, clock);
        Reconciliation = new Application.Reconciliation.ReconciliationService(store, Processor, Intake.Reconciliation.StatementFiles.Read);
        TransactionReporting = new Application.Compliance.TransactionReportingService(store, Processor, Intake.Iso20022.Auth016.Write, Intake.Iso20022.Auth031.Read);
        Compliance = new Application.Compliance.ComplianceService(store, Processor, ReadOfac);
        Approvals = new Application.Approvals.ApprovalService(Processor, clock, Api.ApprovalKinds.All(store, Trades, Holds, clock, Compliance));
        Clock = clock;
        _committer = new Lazy<GroupCommitter>(() => new GroupCommitter(Processor));
        _submissions = new Lazy<Application.Trading.TradeSubmissions>(() => new Application.Trading.TradeSubmissions(store, Committer, clock));
    }

    private readonly Lazy<GroupCommitter> _committer;
    private readonly Lazy<Application.Trading.TradeSubmissions> _submissions;

    private sealed record CachedReference(Domain.Primitives.AuditSequence ChangedAt, Domain.Trading.TradeReferenceData Data);

    // Replaced whole: readers on other threads see one consistent copy.
    private volatile CachedReference? _reference;

    /// <summary>
    /// The reference data (instruments, client accounts, parties, SSIs), kept in memory and read
    /// again only when the chain head says it changed: one small read per call instead of the
    /// whole reference. The head is read first, so a change racing the read makes the next call
    /// read again.
    /// </summary>
    public async Task<Domain.Trading.TradeReferenceData> ReferenceAsync(CancellationToken cancellationToken)
    {
        Domain.Primitives.AuditSequence changedAt = (await Store.ReadHeadAsync(cancellationToken)).ReferenceChangedSequence;
        if (_reference is { } cached && cached.ChangedAt == changedAt)
        {
            return cached.Data;
        }
        Domain.Trading.TradeReferenceData data = await Store.ReadTradeReferenceAsync(cancellationToken);
        _reference = new CachedReference(changedAt, data);
        return data;
    }

    /// <summary>Withdrawals above this amount (in their currency) wait for a checker; at or below it they are paid at once.</summary>
    public decimal WithdrawalLimit { get; set; } = WithdrawalLimitDefault;

    /// <summary>The default of <see cref="WithdrawalLimit"/>.</summary>
    public const decimal WithdrawalLimitDefault = 10_000m;

    /// <summary>Group commit for the server's small concurrent writes (started on first use).</summary>
    public GroupCommitter Committer => _committer.Value;

    /// <summary>Trades submitted one at a time through the API.</summary>
    public Application.Trading.TradeSubmissions Submissions => _submissions.Value;

    public IBackOfficeStore Store { get; }
    public string Actor { get; }
    public CommandProcessor Processor { get; }
    public LedgerService Ledger { get; }
    public ReferenceDataService ReferenceData { get; }
    public AuditVerifier Audit { get; }
    public Application.Trading.TradeService Trades { get; }
    public Application.Reporting.ReportService Reports { get; }
    public Application.Lots.LotService Lots { get; }
    public Application.Settlement.SettlementDesk Settlement { get; }
    public Application.Access.AccessService Access { get; }
    public Application.Holds.HoldService Holds { get; }

    /// <summary>Statements, reconciliation runs and breaks.</summary>
    public Application.Reconciliation.ReconciliationService Reconciliation { get; }

    /// <summary>The file names of an OFAC publication in the legacy CSV layout; the comments file may be left out.</summary>
    public static readonly string[] OfacFileNames = ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"];

    /// <summary>An OFAC publication read from its files by name (<see cref="OfacFileNames"/>).</summary>
    public static Domain.Primitives.Result<Domain.Compliance.SanctionsList> ReadOfac(IReadOnlyList<Application.Ports.SanctionsListFile> files, string version,
        NodaTime.LocalDate publishedOn)
    {
        Intake.Sanctions.OfacCsvFile? File(string name, bool required) =>
            files.FirstOrDefault(f => f.Name == name) is { } file ? new Intake.Sanctions.OfacCsvFile(name, new MemoryStream(file.Content))
            : required ? null : Intake.Sanctions.OfacCsvFile.FromText(name, "");
        if (File("sdn.csv", true) is not { } sdn || File("alt.csv", true) is not { } alt || File("add.csv", true) is not { } add)
        {
            return new Domain.Primitives.Rejection("sanctions.files", "an OFAC publication is sdn.csv, alt.csv and add.csv (and sdn_comments.csv when published)");
        }
        Domain.Primitives.Result<Intake.Sanctions.OfacImport> read = Intake.Sanctions.OfacCsv.Read(
            new Intake.Sanctions.OfacCsvFiles(sdn, alt, add, File("sdn_comments.csv", false)!), version, publishedOn);
        return read.Rejection is { } refused ? refused : read.Value.List;
    }

    /// <summary>Sanctions lists and screening, surveillance, and the alerts they raise.</summary>
    public Application.Compliance.ComplianceService Compliance { get; }

    /// <summary>MiFIR transaction reports and the regulator's feedback.</summary>
    public Application.Compliance.TransactionReportingService TransactionReporting { get; }

    /// <summary>The end of day over these services (its reconcile step runs <see cref="Reconciliation"/>).</summary>
    public Application.EndOfDay.EodService Eod() => new(Store, Processor) { Reconciliation = Reconciliation };
    public Application.Approvals.ApprovalService Approvals { get; }
    public IClock Clock { get; }

    public async ValueTask DisposeAsync()
    {
        if (_committer.IsValueCreated)
        {
            await _committer.Value.DisposeAsync();
        }
        await Store.DisposeAsync();
    }
}
