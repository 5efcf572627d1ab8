using BackOffice.Domain.Compliance;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Application.Ports;

/// <summary>A sanctions list version as stored: where it is from, its version and publication date, how many entries, and its files' hash.</summary>
public sealed record StoredSanctionsList(long Id, string Source, string Version, LocalDate PublishedOn, int EntryCount, Sha256Hash ContentHash, Instant ImportedAt);

/// <summary>One file of a sanctions list version, as published.</summary>
public sealed record SanctionsListFile(string Name, byte[] Content);

/// <summary>The last screening of one name of ours.</summary>
public sealed record Screening(string SubjectKind, string Subject, string Name, string ListVersion, int Hits, Instant ScreenedAt);

/// <summary>A disposition carried out: the alert, its new status, why, who proposed it, the list version in force, when.</summary>
public sealed record AlertDecision(long AlertId, AlertStatus Status, string Reason, string DecidedBy, string? ListVersion, Instant DecidedAt);

/// <summary>Which alerts to list; null matches any. Newest first, at most <see cref="Limit"/>.</summary>
public sealed record AlertQuery(AlertStatus? Status = null, AlertKind? Kind = null, string? Account = null, long? Id = null, int Limit = 1000);

/// <summary>One thing that happened to an alert.</summary>
public sealed record AlertEvent(long AlertId, AuditSequence Sequence, string Action, string Actor, string Note, string? ListVersion);

/// <summary>What a compliance command writes: a list version and its files, screenings, new alerts, decisions.</summary>
public sealed record ComplianceRecords
{
    /// <summary>A sanctions list version received (with <see cref="ListFiles"/>), or null.</summary>
    public StoredSanctionsList? List { get; init; }

    /// <summary>The files of <see cref="List"/>.</summary>
    public IReadOnlyList<SanctionsListFile> ListFiles { get; init; } = [];

    /// <summary>Screenings to record (each replaces the subject's last).</summary>
    public IReadOnlyList<Screening> Screenings { get; init; } = [];

    /// <summary>Alerts raised (ids assigned; status open).</summary>
    public IReadOnlyList<ComplianceAlert> Raised { get; init; } = [];

    /// <summary>Dispositions carried out.</summary>
    public IReadOnlyList<AlertDecision> Decisions { get; init; } = [];

    /// <summary>The actor of the events written (the command's).</summary>
    public string Actor { get; init; } = "";
}
