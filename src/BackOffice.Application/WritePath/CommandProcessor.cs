using System.Collections.Immutable;
using System.Globalization;
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

    /// <summary>What new holds are for (their reserving entries are in <see cref="Entries"/>).</summary>
    public IReadOnlyList<Domain.Holds.Hold> Holds { get; init; } = [];

    /// <summary>An approval request made or decided.</summary>
    public Domain.Approvals.ApprovalChanges? Approvals { get; init; }

    /// <summary>Users and API keys added, changed or revoked.</summary>
    public Domain.Access.AccessChanges? Access { get; init; }

    /// <summary>Settlement instructions created, instruction events and accrued penalties.</summary>
    public SettlementRecords? Settlement { get; init; }

    /// <summary>Statement files and statements received, reconciliation runs and break changes.</summary>
    public ReconciliationRecords? Reconciliation { get; init; }

    /// <summary>MiFIR report files and feedback written by the command, or null.</summary>
    public TransactionReportingRecords? TransactionReporting { get; init; }

    /// <summary>Sanctions lists, screenings, compliance alerts and their dispositions, or null.</summary>
    public ComplianceRecords? Compliance { get; init; }
    /// <summary>Inbound files kept as received and a retention policy set, or null.</summary>
    public RecordsChanges? Records { get; init; }

    /// <summary>Closes the books through this date (a period close): later than any date closed before.</summary>
    public LocalDate? CloseThrough { get; init; }

    /// <summary>
    /// Reopens the books from this date (a period reopen, approved by a checker): the books stay closed
    /// through the day before, and entries dated on or after it book again.
    /// </summary>
    public LocalDate? ReopenFrom { get; init; }
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
    /// <summary>The clock commands read "now" from.</summary>
    public IClock Clock => clock;

    /// <summary>Runs one command. With <paramref name="dryRun"/> the decision is made and rolled back.</summary>
    public async Task<CommandOutcome> ExecuteAsync(CommandEnvelope command, Decide decide, bool dryRun, CancellationToken cancellationToken)
    {
        await using IWriteUnitOfWork unitOfWork = await store.BeginWriteAsync(cancellationToken);
        CommandOutcome outcome = await DecideAndWriteAsync(unitOfWork, command, decide, dryRun, cancellationToken);
        if (outcome.Status == CommandStatus.Accepted)
        {
            await unitOfWork.CommitAsync(cancellationToken);
        }
        return outcome;
    }

    /// <summary>
    /// Runs a group of independent commands in one transaction with one commit (group commit):
    /// each is decided and written in turn, sees the ones before it, and gets its own audit
    /// record; one that is refused, or throws, is rolled back to its savepoint without touching
    /// the others. The outcomes are in the order of <paramref name="commands"/>; none is
    /// durable before this returns. An exception from the commit itself fails the whole group.
    /// </summary>
    public async Task<CommandOutcome[]> ExecuteGroupAsync(IReadOnlyList<(CommandEnvelope Command, Decide Decide)> commands, CancellationToken cancellationToken)
    {
        var outcomes = new CommandOutcome[commands.Count];
        await using IWriteUnitOfWork unitOfWork = await store.BeginWriteAsync(cancellationToken);
        bool written = false;
        for (int i = 0; i < commands.Count; i++)
        {
            string savepoint = string.Create(CultureInfo.InvariantCulture, $"command_{i}");
            await unitOfWork.SavepointAsync(savepoint, cancellationToken);
            try
            {
                outcomes[i] = await DecideAndWriteAsync(unitOfWork, commands[i].Command, commands[i].Decide, dryRun: false, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await unitOfWork.RollbackToAsync(savepoint, cancellationToken);
                outcomes[i] = new CommandOutcome(CommandStatus.Rejected, "failed", new Rejection("command.failed", $"the command could not be written: {e.GetType().Name}"), null, []);
                continue;
            }
            if (outcomes[i].Status == CommandStatus.Accepted)
            {
                written = true;
            }
            else
            {
                // A refused command's decision may have written (sub-ledgers it opened): undo that.
                await unitOfWork.RollbackToAsync(savepoint, cancellationToken);
            }
        }
        if (written)
        {
            await unitOfWork.CommitAsync(cancellationToken);
        }
        return outcomes;
    }

    /// <summary>One command inside an open transaction: replay, conflict, refusal, or its effects and audit record written (not committed).</summary>
    private async Task<CommandOutcome> DecideAndWriteAsync(IWriteUnitOfWork unitOfWork, CommandEnvelope command, Decide decide, bool dryRun, CancellationToken cancellationToken)
    {
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
        Instant recordedAt = RecordedAt(head);
        if (EffectWriter.CheckOpen(effects, head.ClosedThrough) is { } closed)
        {
            return new CommandOutcome(CommandStatus.Rejected, closed.ToString(), closed, null, []);
        }
        if (dryRun)
        {
            return new CommandOutcome(CommandStatus.DryRun, effects.Result, null, null, Stamp(effects.Entries, head.LastEntryId, sequence, recordedAt));
        }
        using var writer = new EffectWriter(unitOfWork, sequence, recordedAt, head);
        ImmutableArray<JournalEntry> entries = await writer.WriteAsync(effects, cancellationToken);
        await SealAsync(unitOfWork, command, writer, effects.Result, cancellationToken);
        return new CommandOutcome(CommandStatus.Accepted, effects.Result, null, sequence, entries);
    }

    /// <summary>
    /// Runs one long command whose effects are too many to hold at once (a file of a million
    /// trades): <paramref name="run"/> writes them chunk by chunk through the <see cref="EffectWriter"/>,
    /// all inside the command's one transaction, and returns the result text or a rejection. One
    /// audit record covers every entry written; a rejection or a crash leaves nothing behind.
    /// </summary>
    public async Task<CommandOutcome> ExecuteStreamingAsync(CommandEnvelope command,
        Func<IWriteUnitOfWork, EffectWriter, CancellationToken, Task<Result<string>>> run, CancellationToken cancellationToken)
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
        ChainHead head = unitOfWork.Head;
        AuditSequence sequence = new(checked(head.Sequence.Value + 1));
        using var writer = new EffectWriter(unitOfWork, sequence, RecordedAt(head), head);
        Result<string> result;
        try
        {
            result = await run(unitOfWork, writer, cancellationToken);
        }
        catch (PeriodClosedException closed)
        {
            // Nothing was committed: the unit of work rolls back when disposed.
            result = closed.Rejection;
        }
        if (result.Rejection is { } rejection)
        {
            return new CommandOutcome(CommandStatus.Rejected, rejection.ToString(), rejection, null, []);
        }
        await SealAndCommitAsync(unitOfWork, command, writer, result.Value, cancellationToken);
        return new CommandOutcome(CommandStatus.Accepted, result.Value, null, sequence, []);
    }

    /// <summary>Recorded times never go backwards, so "as known at" can cut the journal by sequence.</summary>
    private Instant RecordedAt(ChainHead head)
    {
        Instant now = clock.GetCurrentInstant();
        return now > head.LastRecordedAt ? now : head.LastRecordedAt;
    }

    private static async Task SealAndCommitAsync(IWriteUnitOfWork unitOfWork, CommandEnvelope command, EffectWriter writer, string result, CancellationToken cancellationToken)
    {
        await SealAsync(unitOfWork, command, writer, result, cancellationToken);
        await unitOfWork.CommitAsync(cancellationToken);
    }

    private static async Task SealAsync(IWriteUnitOfWork unitOfWork, CommandEnvelope command, EffectWriter writer, string result, CancellationToken cancellationToken)
    {
        ChainHead head = unitOfWork.Head;
        int entryCount = writer.EntryCount;
        Sha256Hash digest = writer.FinishDigest();
        AuditRecord record = Seal(command, writer.Sequence, writer.RecordedAt, result, entryCount, digest, head.Hash);
        await unitOfWork.AppendAuditAsync(record, new ChainHead(writer.Sequence, record.Hash, writer.LastEntryId, writer.RecordedAt)
        {
            ClosedThrough = writer.ClosedThrough,
            LatestEffectiveDate = writer.LatestEffectiveDate,
            LotsChangedSequence = writer.LotsChangedSequence,
            ReferenceChangedSequence = writer.ReferenceChangedSequence,
        }, cancellationToken);
    }

    internal static ImmutableArray<JournalEntry> Stamp(IReadOnlyList<JournalEntryDraft> drafts, JournalEntryId lastId, AuditSequence sequence, Instant recordedAt)
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

/// <summary>
/// Writes a command's effects into its transaction: stamps entry ids (continuing from the last
/// written), the audit sequence and the recorded time, hashes each entry into the record's digest
/// in id order, and appends entries, reference changes, trade records and FIX session numbers.
/// </summary>
public sealed class EffectWriter : IDisposable
{
    private readonly IWriteUnitOfWork _unitOfWork;
    private readonly AuditChain.EntriesDigestBuilder _digest = new();

    internal EffectWriter(IWriteUnitOfWork unitOfWork, AuditSequence sequence, Instant recordedAt, ChainHead head)
    {
        _unitOfWork = unitOfWork;
        Sequence = sequence;
        RecordedAt = recordedAt;
        LastEntryId = head.LastEntryId;
        ClosedThrough = head.ClosedThrough;
        LatestEffectiveDate = head.LatestEffectiveDate;
        LotsChangedSequence = head.LotsChangedSequence;
        ReferenceChangedSequence = head.ReferenceChangedSequence;
    }

    /// <summary>The last date of the closed period as this command leaves it (null: nothing closed).</summary>
    public LocalDate? ClosedThrough { get; private set; }

    /// <summary>The latest effective date of any entry as this command leaves the journal.</summary>
    public LocalDate? LatestEffectiveDate { get; private set; }

    /// <summary>This command's sequence once it writes trade versions or changes accounts, books or splits; the head's before.</summary>
    public AuditSequence LotsChangedSequence { get; private set; }

    /// <summary>This command's sequence once it changes reference data; the head's before.</summary>
    public AuditSequence ReferenceChangedSequence { get; private set; }

    /// <summary>
    /// The rejection of effects that post into the closed period, that close a period not after the
    /// one already closed, or that reopen a date already open; null when they may be written.
    /// </summary>
    public static Rejection? CheckOpen(CommandEffects effects, LocalDate? closedThrough)
    {
        if (closedThrough is not { } closed)
        {
            return effects.ReopenFrom is { } open ? new Rejection("period.reopen-open", $"no period is closed; {open:yyyy-MM-dd} is already open") : null;
        }
        foreach (JournalEntryDraft entry in effects.Entries)
        {
            if (entry.EffectiveDate <= closed)
            {
                return new Rejection("period.closed",
                    $"entry '{entry.Key}' is dated {entry.EffectiveDate:yyyy-MM-dd}, in the period closed through {closed:yyyy-MM-dd}; date it in the open period (after {closed:yyyy-MM-dd}) and name what it corrects in its reason");
            }
        }
        if (effects.ReopenFrom is { } from && from > closed)
        {
            return new Rejection("period.reopen-open", $"the books are closed through {closed:yyyy-MM-dd}; {from:yyyy-MM-dd} is already open");
        }
        return effects.CloseThrough is { } through && through <= closed
            ? new Rejection("period.close-backwards", $"the books are already closed through {closed:yyyy-MM-dd}; a close must be later (reopening is its own command)")
            : null;
    }

    /// <summary>The audit sequence the command's record will have.</summary>
    public AuditSequence Sequence { get; }

    /// <summary>The recorded time of everything the command writes.</summary>
    public Instant RecordedAt { get; }

    /// <summary>The id of the last entry written so far (the head's when none).</summary>
    public JournalEntryId LastEntryId { get; private set; }

    /// <summary>Entries written so far.</summary>
    public int EntryCount => _digest.Count;

    /// <summary>Writes one chunk of effects; entry ids continue from <see cref="LastEntryId"/>.</summary>
    public async Task<ImmutableArray<JournalEntry>> WriteAsync(CommandEffects effects, CancellationToken cancellationToken)
    {
        if (CheckOpen(effects, ClosedThrough) is { } closed)
        {
            throw new PeriodClosedException(closed);
        }
        if (effects.CloseThrough is { } through)
        {
            ClosedThrough = through;
        }
        if (effects.ReopenFrom is { } from)
        {
            ClosedThrough = from.PlusDays(-1);
        }
        ImmutableArray<JournalEntry> entries = CommandProcessor.Stamp(effects.Entries, LastEntryId, Sequence, RecordedAt);
        Sha256Hash[] hashes = new Sha256Hash[entries.Length];
        // Entry hashes are independent of each other; only their fold into the digest is ordered.
        Parallel.For(0, entries.Length, i => hashes[i] = AuditChain.HashEntry(entries[i]));
        foreach (Sha256Hash hash in hashes)
        {
            _digest.Add(hash);
        }
        if (effects.ReferenceChanges is { } changes)
        {
            await _unitOfWork.ApplyReferenceChangesAsync(changes, cancellationToken);
            ReferenceChangedSequence = Sequence;
            if (changes.ClientAccounts.Count > 0 || changes.Books.Count > 0 || changes.Splits.Count > 0)
            {
                LotsChangedSequence = Sequence;
            }
        }
        if (effects.TradeVersions.Count > 0)
        {
            LotsChangedSequence = Sequence;
        }
        foreach (JournalEntryDraft draft in effects.Entries)
        {
            if (LatestEffectiveDate is not { } latest || draft.EffectiveDate > latest)
            {
                LatestEffectiveDate = draft.EffectiveDate;
            }
        }
        if (entries.Length > 0)
        {
            await _unitOfWork.AppendEntriesAsync(entries, hashes, cancellationToken);
        }
        if (effects.TradeVersions.Count > 0 || effects.TradeExceptions.Count > 0 || effects.ExceptionClosures.Count > 0)
        {
            await _unitOfWork.AppendTradeRecordsAsync(effects.TradeVersions, effects.TradeExceptions, effects.ExceptionClosures, cancellationToken);
        }
        if (effects.Settlement is { IsEmpty: false } settlement)
        {
            await _unitOfWork.AppendSettlementRecordsAsync(settlement, Sequence, cancellationToken);
        }
        if (effects.Holds.Count > 0)
        {
            await _unitOfWork.AppendHoldsAsync(effects.Holds, Sequence, cancellationToken);
        }
        if (effects.Approvals is { } approvals)
        {
            await _unitOfWork.ApplyApprovalChangesAsync(approvals, Sequence, cancellationToken);
        }
        if (effects.Access is { } access)
        {
            await _unitOfWork.ApplyAccessChangesAsync(access, Sequence, cancellationToken);
        }
        if (effects.Reconciliation is { } reconciliation)
        {
            await _unitOfWork.ApplyReconciliationAsync(reconciliation, Sequence, cancellationToken);
        }
        if (effects.TransactionReporting is { } reporting)
        {
            await _unitOfWork.ApplyTransactionReportingAsync(reporting, Sequence, cancellationToken);
        }
        if (effects.Compliance is { } compliance)
        {
            await _unitOfWork.ApplyComplianceAsync(compliance, Sequence, cancellationToken);
        }
        if (effects.Records is { } records)
        {
            await _unitOfWork.ApplyRecordsAsync(records, Sequence, cancellationToken);
        }
        if (effects.FixSession is { } session)
        {
            await _unitOfWork.SaveFixSessionAsync(session, cancellationToken);
        }
        LastEntryId = new JournalEntryId(checked(LastEntryId.Value + entries.Length));
        return entries;
    }

    /// <summary>The digest of every entry written, in id order.</summary>
    internal Sha256Hash FinishDigest() => _digest.Finish();

    /// <inheritdoc/>
    public void Dispose() => _digest.Dispose();
}

/// <summary>A write into the closed period, found while a long command writes its chunks: the command is rejected and rolled back.</summary>
public sealed class PeriodClosedException(Rejection rejection) : Exception(rejection.ToString())
{
    /// <summary>What was refused, and why.</summary>
    public Rejection Rejection { get; } = rejection;
}
