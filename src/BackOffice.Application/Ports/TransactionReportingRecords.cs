using BackOffice.Domain.Compliance.TransactionReporting;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Application.Ports;

/// <summary>A MiFIR report file as written: its name, business date, bytes and their hash, how many records, and when.</summary>
public sealed record ReportFile(long Id, string Name, LocalDate BusinessDate, Sha256Hash ContentHash, byte[] Content, int RecordCount, Instant CreatedAt);

/// <summary>One record of a report file as stored, with where it stands (the last feedback's word and reason).</summary>
public sealed record StoredReportRecord(long Id, long FileId, string TransactionId, ReportAction Action, long TradeId, int Version, ReportStatus Status, string Reason)
{
    /// <summary>The file's name (filled in by reads).</summary>
    public string FileName { get; init; } = "";

    /// <summary>The file's business date (filled in by reads).</summary>
    public LocalDate BusinessDate { get; init; }

    /// <summary>As the planner reads it.</summary>
    public SentRecord Sent => new(Id, TradeId, Version, TransactionId, Action, Status);
}

/// <summary>A feedback file (auth.031) as received.</summary>
public sealed record FeedbackFile(long Id, string Name, Sha256Hash ContentHash, byte[] Content, Instant ReceivedAt);

/// <summary>A record's new status from a feedback file.</summary>
public sealed record RecordStatusChange(long RecordId, ReportStatus Status, string Reason);

/// <summary>Which records to list, newest first; null matches any.</summary>
public sealed record ReportRecordQuery(LocalDate? Date = null, ReportStatus? Status = null, long? TradeId = null, string? TransactionId = null, string? FileName = null,
    int Limit = 1000);

/// <summary>What a transaction-reporting command writes: a report file and its records, or a feedback file and the statuses it changed.</summary>
public sealed record TransactionReportingRecords
{
    /// <summary>A report file written (with <see cref="Records"/>), or null.</summary>
    public ReportFile? File { get; init; }

    /// <summary>The records of <see cref="File"/>.</summary>
    public IReadOnlyList<StoredReportRecord> Records { get; init; } = [];

    /// <summary>A feedback file received (with <see cref="Statuses"/>), or null.</summary>
    public FeedbackFile? Feedback { get; init; }

    /// <summary>The statuses <see cref="Feedback"/> gave.</summary>
    public IReadOnlyList<RecordStatusChange> Statuses { get; init; } = [];
}
