using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Audit;

/// <summary>
/// One accepted command in the append-only, hash-chained audit trail: who, when, what (command
/// type and payload hash, and for reference data the payload itself), the idempotency key, the
/// result, and a digest of the journal entries the command wrote. <see cref="Hash"/> covers all
/// of it plus <see cref="PreviousHash"/>, so editing, deleting or inserting any record or entry
/// breaks the chain from that point on. Called "audit" to keep it apart from the accounting journal.
/// </summary>
public sealed record AuditRecord
{
    public required AuditSequence Sequence { get; init; }
    public required Instant RecordedAt { get; init; }
    public required string Actor { get; init; }
    public required string CommandType { get; init; }
    public required IdempotencyKey Key { get; init; }
    public required Sha256Hash PayloadHash { get; init; }

    /// <summary>The command's payload when it is small and not otherwise kept (reference data); null for journal batches, whose entries are the record.</summary>
    public required string? Payload { get; init; }

    /// <summary>What the command returned, as the sender saw it (replays return this text).</summary>
    public required string Result { get; init; }

    /// <summary>Number of journal entries the command wrote.</summary>
    public required int EntryCount { get; init; }

    /// <summary>SHA-256 over the hashes of those entries, in id order.</summary>
    public required Sha256Hash EntriesDigest { get; init; }

    public required Sha256Hash PreviousHash { get; init; }
    public required Sha256Hash Hash { get; init; }
}
