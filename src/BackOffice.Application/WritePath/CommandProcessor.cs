using System.Collections.Immutable;
using BackOffice.Application.Ports;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using NodaTime;

namespace BackOffice.Application.WritePath;

/// <summary>What a command is: its type, who sent it, its idempotency key and the hash of its payload.</summary>
/// <param name="Payload">Kept verbatim in the audit record when set (reference data); null when the journal itself is the record.</param>
public sealed record CommandEnvelope(string CommandType, string Actor, IdempotencyKey Key, Sha256Hash PayloadHash, string? Payload);

/// <summary>
/// What a command's pure decision produced: the journal entries and reference changes to write and
/// the result text the sender sees (and sees again on a replay).
/// </summary>
public sealed record CommandEffects(IReadOnlyList<JournalEntryDraft> Entries, ReferenceChanges? ReferenceChanges, string Result)
{
    /// <summary>Trade versions to append; their entry ids are the ids the entries above will get (head's last id + 1, in order).</summary>
    public IReadOnlyList<Domain.Trading.TradeVersion> TradeVersions { get; init; } = [];

    /// <summary>Streamed messages that could not be booked.</summary>
    public IReadOnlyList<Domain.Trading.TradeException> TradeExceptions { get; init; } = [];

    /// <summary>Exceptions closed by this command.</summary>
    public IReadOnlyList<Domain.Trading.ExceptionClosure> ExceptionClosures { get; init; } = [];

    /// <summary>A FIX session's sequence numbers after the messages this command books.</summary>
    public Domain.Trading.FixSessionState? FixSession { get; init; }
}

/// <summary>How a command ended.</summary>
public enum CommandStatus
{
    /// <summary>Written and committed, with an audit record.</summary>
    Accepted = 1,

    /// <summary>The same key and payload were accepted before: nothing written, the original result returned.</summary>
    Replayed = 2,

    /// <summary>A business rule refused it: nothing written.</summary>
    Rejected = 3,

    /// <summary>The key was used before with another payload: nothing written.</summary>
    Conflict = 4,

    /// <summary>Decided and rolled back on request, to see what would happen.</summary>
    DryRun = 5,
}

/// <summary>The outcome of one command through the write path.</summary>
public sealed record CommandOutcome(CommandStatus Status, string Result, Rejection? Rejection, AuditSequence? Sequence, ImmutableArray<JournalEntry> Entries)
{
    /// <summary>True for Accepted, Replayed and DryRun.</summary>
    public bool Succeeded => Status is CommandStatus.Accepted or CommandStatus.Replayed or CommandStatus.DryRun;
}

/// <summary>The pure decision of a command, given read access to the unit of work it runs in.</summary>
public delegate Task<Result<CommandEffects>> Decide(IWriteUnitOfWork unitOfWork, CancellationToken cancellationToken);

/// <summary>
/// The one write path: open a unit of work (taking the chain's write lock), check the idempotency
/// key, run the decision, stamp ids and the recorded time, append the entries and a hash-chained
/// audit record, commit. No other code writes to the store, so no state can change without an
/// audit record, and no retry can book twice.
/// </summary>
public sealed class CommandProcessor(IBackOfficeStore store, IClock clock)
{
    /// <summary>Runs one command. With <paramref name="dryRun"/> the decision is made and rolled back.</summary>
    public async Task<CommandOutcome> ExecuteAsync(CommandEnvelope command, Decide decide, bool dryRun, CancellationToken cancellationToken)
    {
        await using IWriteUnitOfWork unitOfWork = await store.BeginWriteAsync(cancellationToken);
        AuditRecord? earlier = await unitOfWork.FindCommandAsync(command.Key, cancellationToken);
        if (earlier is not null)
        {
            return earlier.PayloadHash == command.PayloadHash
                ? new CommandOutcome(CommandStatus.Replayed, earlier.Result, null, earlier.Sequence, [])
                : new CommandOutcome(CommandStatus.Conflict, earlier.Result,
                    new Rejection("command.key-conflict", $"idempotency key '{command.Key}' was used by audit record {earlier.Sequence} with another payload"),
                    earlier.Sequence, []);
        }
        Result<CommandEffects> decision = await decide(unitOfWork, cancellationToken);
        if (decision.Rejection is { } rejection)
        {
            return new CommandOutcome(CommandStatus.Rejected, rejection.ToString(), rejection, null, []);
        }
        CommandEffects effects = decision.Value;
        ChainHead head = unitOfWork.Head;
        AuditSequence sequence = new(checked(head.Sequence.Value + 1));
        // Recorded times never go backwards, so "as known at" can cut the journal by sequence.
        Instant now = clock.GetCurrentInstant();
        Instant recordedAt = now > head.LastRecordedAt ? now : head.LastRecordedAt;
        ImmutableArray<JournalEntry> entries = Stamp(effects.Entries, head.LastEntryId, sequence, recordedAt);
        if (dryRun)
        {
            return new CommandOutcome(CommandStatus.DryRun, effects.Result, null, null, entries);
        }
        Sha256Hash[] hashes = new Sha256Hash[entries.Length];
        // Entry hashes are independent of each other; only their fold into the digest is ordered.
        Parallel.For(0, entries.Length, i => hashes[i] = AuditChain.HashEntry(entries[i]));
        using var digest = new AuditChain.EntriesDigestBuilder();
        foreach (Sha256Hash hash in hashes)
        {
            digest.Add(hash);
        }
        if (effects.ReferenceChanges is { } changes)
        {
            await unitOfWork.ApplyReferenceChangesAsync(changes, cancellationToken);
        }
        if (entries.Length > 0)
        {
            await unitOfWork.AppendEntriesAsync(entries, hashes, cancellationToken);
        }
        if (effects.TradeVersions.Count > 0 || effects.TradeExceptions.Count > 0 || effects.ExceptionClosures.Count > 0)
        {
            await unitOfWork.AppendTradeRecordsAsync(effects.TradeVersions, effects.TradeExceptions, effects.ExceptionClosures, cancellationToken);
        }
        if (effects.FixSession is { } session)
        {
            await unitOfWork.SaveFixSessionAsync(session, cancellationToken);
        }
        AuditRecord record = Seal(command, sequence, recordedAt, effects.Result, entries.Length, digest.Finish(), head.Hash);
        JournalEntryId lastEntryId = new(head.LastEntryId.Value + entries.Length);
        await unitOfWork.AppendAuditAsync(record, new ChainHead(sequence, record.Hash, lastEntryId, recordedAt), cancellationToken);
        await unitOfWork.CommitAsync(cancellationToken);
        return new CommandOutcome(CommandStatus.Accepted, effects.Result, null, sequence, entries);
    }

    private static ImmutableArray<JournalEntry> Stamp(IReadOnlyList<JournalEntryDraft> drafts, JournalEntryId lastId, AuditSequence sequence, Instant recordedAt)
    {
        var entries = new JournalEntry[drafts.Count];
        for (int i = 0; i < drafts.Count; i++)
        {
            JournalEntryDraft draft = drafts[i];
            var entry = new JournalEntry
            {
                Id = new JournalEntryId(checked(lastId.Value + i + 1)),
                AuditSequence = sequence,
                EffectiveDate = draft.EffectiveDate,
                RecordedAt = recordedAt,
                Reason = draft.Reason,
                SourceReference = draft.SourceReference,
                Reverses = draft.Reverses,
                Key = draft.Key,
                PayloadHash = draft.PayloadHash,
                Postings = draft.Postings,
            };
            entry.AssertValid();
            entries[i] = entry;
        }
        return System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(entries);
    }

    private static AuditRecord Seal(CommandEnvelope command, AuditSequence sequence, Instant recordedAt, string result, int entryCount, Sha256Hash entriesDigest, Sha256Hash previous)
    {
        var unsealed = new AuditRecord
        {
            Sequence = sequence,
            RecordedAt = recordedAt,
            Actor = command.Actor,
            CommandType = command.CommandType,
            Key = command.Key,
            PayloadHash = command.PayloadHash,
            Payload = command.Payload,
            Result = result,
            EntryCount = entryCount,
            EntriesDigest = entriesDigest,
            PreviousHash = previous,
            Hash = Sha256Hash.Zero,
        };
        return unsealed with { Hash = AuditChain.HashRecord(unsealed) };
    }
}
