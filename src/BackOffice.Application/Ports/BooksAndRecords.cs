using BackOffice.Domain.Primitives;
using BackOffice.Domain.Records;
using NodaTime;

namespace BackOffice.Application.Ports;

/// <summary>
/// A whole inbound file exactly as received (a trade file today), kept once per content: the same
/// bytes imported again, under another name or source, are not stored twice.
/// </summary>
/// <param name="Kind">What the file is: <c>trades</c> for a trade file.</param>
/// <param name="Format">How it was read: <c>csv</c>, <c>json</c> or <c>fix</c>.</param>
public sealed record InboundFile(string Kind, string Name, string Format, Sha256Hash ContentHash, byte[] Content, Instant ReceivedAt)
{
    /// <summary>The largest file kept whole (a bigger trade file is refused before anything is booked).</summary>
    public const long SizeMax = 512L * 1024 * 1024;
}

/// <summary>What a books-and-records command writes: inbound files kept as received, or a new retention policy.</summary>
public sealed record RecordsChanges
{
    /// <summary>Files received, stored by content hash (a content already held is left as it is).</summary>
    public IReadOnlyList<InboundFile> InboundFiles { get; init; } = [];

    /// <summary>A retention policy set by the command, or null.</summary>
    public RetentionPolicy? Retention { get; init; }
}

/// <summary>
/// What a records export covers: business dates <see cref="From"/> through <see cref="To"/>, and
/// the contiguous run of audit records <see cref="FirstSequence"/> through <see cref="LastSequence"/>
/// (every record written on those days, and every record that wrote something dated in them).
/// </summary>
public sealed record RecordsRange(LocalDate From, LocalDate To, AuditSequence FirstSequence, AuditSequence LastSequence)
{
    /// <summary>True when the run holds no audit record.</summary>
    public bool IsEmpty => LastSequence.Value < FirstSequence.Value;
}

/// <summary>A trade message exactly as it came in (a CSV row, a JSON object, a FIX message), with the trade version it made.</summary>
public sealed record RecordedTradeMessage(long TradeId, int Version, AuditSequence AuditSequence, string Source, string SourceTradeId, LocalDate TradeDate, string Message);

/// <summary>A message the books refused or parked (the exceptions queue), exactly as it came in.</summary>
public sealed record RecordedException(long Id, AuditSequence AuditSequence, string Source, string? SourceTradeId, string Rule, string Location, string Message);

/// <summary>Where a kept file came from or went to.</summary>
public enum FileDirection
{
    /// <summary>Received by the firm.</summary>
    Inbound = 1,

    /// <summary>Sent by the firm.</summary>
    Outbound = 2,
}

/// <summary>A whole file kept byte for byte: a statement, a MiFIR report or its feedback, a trade file.</summary>
/// <param name="Kind">statement, mifir-report, mifir-feedback or trade-file.</param>
/// <param name="At">When it was received or written.</param>
public sealed record RecordedFile(FileDirection Direction, string Kind, long Id, string Name, Sha256Hash ContentHash, byte[] Content, Instant At, AuditSequence AuditSequence);

/// <summary>
/// A sese.023 instruction as the books keep it once sent: the SHA-256 of the bytes sent and the
/// safekeeping account it was rendered for (the message renders again from the instruction).
/// </summary>
public sealed record SentInstructionMessage(string TransactionId, Sha256Hash Digest, string SafekeepingAccount, AuditSequence Sequence, Instant At);

/// <summary>
/// A document the firm sends a client, as the <c>documents</c> verbs write it (the same books give
/// the same bytes): a trade confirmation or a monthly statement. <paramref name="Number"/> orders it
/// in the bundle (the trade id, or 0); <paramref name="Sequence"/> is the audit record behind it.
/// </summary>
public sealed record ClientDocument(string Kind, string Name, long Number, byte[] Content, Instant At, AuditSequence Sequence);

/// <summary>The client documents of business dates <c>from</c> through <c>to</c> (supplied by the host, which renders PDF).</summary>
public delegate IAsyncEnumerable<ClientDocument> ClientDocumentSource(LocalDate from, LocalDate to, CancellationToken cancellationToken);

/// <summary>How many records are dated before a cut-off (what a purge would consider).</summary>
public sealed record RecordsBefore(long JournalEntries, long AuditRecords, long TradeMessages, long Files);
