using BackOffice.Domain.Primitives;
using BackOffice.Domain.Reconciliation;
using NodaTime;

namespace BackOffice.Application.Ports;

/// <summary>A statement file as received: its name, format, the hash of its bytes, and when it came.</summary>
public sealed record StatementFile(long Id, string Name, string Format, Sha256Hash ContentHash, byte[] Content, Instant ReceivedAt);

/// <summary>
/// One statement as stored: where it is in its file, what it is about, and the statement that
/// superseded it (null while it is the current one).
/// </summary>
public sealed record StoredStatement(long Id, long FileId, int PositionInFile, string Source, StatementKind Kind, string StatementId, string Account,
    LocalDate Date, StatementBasis Basis, string? Currency, int LineCount, long? SupersededBy)
{
    /// <summary>The file's name (filled in by reads; empty on writes).</summary>
    public string FileName { get; init; } = "";

    /// <summary>When the file was received (filled in by reads).</summary>
    public Instant ReceivedAt { get; init; }

    /// <summary>For a cash statement, the first day it covers (<see cref="Reconciler.CashPeriodStart"/>); null for custody.</summary>
    public LocalDate? PeriodStart { get; init; }
}

/// <summary>Which statements to list; null matches any.</summary>
/// <param name="CurrentOnly">Only statements no later one superseded.</param>
public sealed record StatementQuery(LocalDate? Date = null, string? Account = null, StatementKind? Kind = null, string? Source = null, bool CurrentOnly = false,
    int Limit = 1000);

/// <summary>One run of a statement against the books: how much it compared and matched, and how many breaks it left.</summary>
public sealed record ReconRun(long Id, long StatementRow, LocalDate Date, string Source, string Account, StatementKind Kind, int Compared, int Matched,
    int Breaks, string Actor, Instant At);

/// <summary>Which breaks to list; null matches any. Ordered by id, after <see cref="AfterId"/>, at most <see cref="Limit"/>.</summary>
public sealed record BreakQuery(BreakStatus? Status = null, bool UnresolvedOnly = false, string? Account = null, string? Source = null, long? Id = null,
    LocalDate? FirstSeenOnOrBefore = null, long AfterId = 0, int Limit = 1000);

/// <summary>
/// One cash movement on a ledger account as the books hold it: the ledger account asked for (its
/// sub-ledgers' postings count to it), the asset, the entry, its effective date, and its postings to
/// the account netted (in units of the asset, debits positive). <paramref name="Quoted"/> is what the
/// bank's reference derives from: the entry's idempotency key when it books a settlement
/// (<c>settlement/TX/MESSAGE</c>), else its source reference.
/// </summary>
public readonly record struct CashMovement(string LedgerAccount, string Asset, long EntryId, LocalDate Date, long Units, string Quoted);

/// <summary>What a reconciliation command writes: a file and its statements, statements superseded, a run, break changes.</summary>
public sealed record ReconciliationRecords
{
    /// <summary>A file received (with <see cref="Statements"/>), or null.</summary>
    public StatementFile? File { get; init; }

    /// <summary>The statements read from <see cref="File"/>.</summary>
    public IReadOnlyList<StoredStatement> Statements { get; init; } = [];

    /// <summary>Earlier statements now superseded, and by which.</summary>
    public IReadOnlyList<(long Id, long By)> Superseded { get; init; } = [];

    /// <summary>A run recorded, or null.</summary>
    public ReconRun? Run { get; init; }

    /// <summary>Breaks found, changed and their events.</summary>
    public BreakChanges Breaks { get; init; } = BreakChanges.None;
}
