using System.Globalization;
using BackOffice.Application.Ports;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Trading;

namespace BackOffice.Application.Trading;

/// <summary>What one submitted trade did, as its command's result records it (and a replay returns it).</summary>
public readonly record struct SubmittedTrade(TradeMessageStatus Status, long TradeId, int Version)
{
    /// <summary>The result text: <c>trade 12 version 1 booked</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"trade {TradeId} version {Version} {Status.ToString().ToLowerInvariant()}");

    /// <summary>Reads a result written by <see cref="ToString"/>.</summary>
    public static SubmittedTrade Parse(string result)
    {
        string[] words = result.Split(' ');
        Invariant.That(words is ["trade", _, "version", _, _], "a submitted trade's result reads 'trade N version V status'");
        return new SubmittedTrade(Enum.Parse<TradeMessageStatus>(words[4], ignoreCase: true),
            long.Parse(words[1], CultureInfo.InvariantCulture), int.Parse(words[3], CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// Trades submitted one at a time by systems online (the HTTP API): each is its own command under
/// the caller's idempotency key, validated exactly as a file row is (the first broken rule refuses
/// it, and nothing is written), idempotent by its source and source trade id as FIX messages are,
/// and committed with whatever else arrived at the same moment (<see cref="GroupCommitter"/>).
/// Safe to call concurrently; reference data is kept in memory and reread when the chain head
/// says it changed.
/// </summary>
public sealed class TradeSubmissions(IBackOfficeStore store, GroupCommitter committer, NodaTime.IClock clock, TradeBookingPolicy? bookingPolicy = null)
{
    private readonly TradeBookingPolicy _policy = bookingPolicy ?? TradeBookingPolicy.Default;

    private sealed record Snapshot(TradeReferenceData Reference, ReferenceLookup Ledger, AuditSequence ReadAt);

    // Replaced whole, never changed: readers on other threads see one consistent snapshot.
    private volatile Snapshot? _snapshot;

    /// <summary>
    /// Books <paramref name="message"/> under <paramref name="key"/>. The outcome is accepted (its
    /// result a <see cref="SubmittedTrade"/>), replayed (the same key and payload before: the
    /// original result), a conflict (the key with another payload), or rejected with the rule.
    /// </summary>
    public async Task<CommandOutcome> SubmitAsync(TradeMessage message, string actor, IdempotencyKey key, Sha256Hash payloadHash, CancellationToken cancellationToken)
    {
        Snapshot snapshot = _snapshot ?? await ReadSnapshotAsync(default, cancellationToken);
        if (Volatile.Read(ref _ledgerStale) && Environment.TickCount64 - Volatile.Read(ref _readAtTicks) >= LedgerRereadMilliseconds)
        {
            // Trades keep opening sub-ledgers the snapshot lacks (each then looked up inside the write lock):
            // read the committed ledger again, at most once a period.
            Volatile.Write(ref _ledgerStale, false);
            snapshot = await ReadSnapshotAsync(default, cancellationToken);
        }
        var command = new CommandEnvelope("trades.submit", actor, key, payloadHash, null);
        return await committer.ExecuteAsync(command, async (unitOfWork, ct) =>
        {
            Snapshot current = snapshot;
            if (unitOfWork.Head.ReferenceChangedSequence.Value > current.ReadAt.Value)
            {
                // Reference data changed after the snapshot (committed: this transaction holds the write lock).
                current = await ReadSnapshotAsync(unitOfWork.Head.ReferenceChangedSequence, ct);
            }
            var planner = new TradePlanner(unitOfWork, current.Reference, await WithSubLedgersAsync(unitOfWork, current, message, ct), _policy, stream: false);
            await planner.OpenSubLedgersAsync([message], ct);
            Result<TradeMessageOutcome[]> planned = await planner.PlanAsync([message], ct);
            if (planned.Rejection is { } rejection)
            {
                return rejection;
            }
            TradeMessageOutcome outcome = planned.Value[0];
            // A fill consumes the buying-power hold that waited for it (after the trade's own entries, whose ids are set).
            IReadOnlyList<JournalEntryDraft> consumed = outcome.Status == TradeMessageStatus.Booked && message.Request is { } booked
                ? await Holds.HoldService.ConsumeAsync(unitOfWork, booked.Account, booked.SourceTradeId, outcome.TradeId, clock.GetCurrentInstant(), ct)
                : [];
            return new CommandEffects([.. planner.Entries, .. consumed], null, new SubmittedTrade(outcome.Status, outcome.TradeId, outcome.Version).ToString())
            {
                TradeVersions = planner.Versions,
            };
        }, cancellationToken);
    }

    /// <summary>How often, at most, the ledger is read again because trades found sub-ledgers missing from it.</summary>
    private const long LedgerRereadMilliseconds = 1_000;

    private bool _ledgerStale;
    private long _readAtTicks;

    private async Task<Snapshot> ReadSnapshotAsync(AuditSequence changedAt, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _readAtTicks, Environment.TickCount64);
        // Read first, stamp with the sequence known before reading: a change racing the read only
        // makes the next command read again.
        AuditSequence at = changedAt.Value > 0 ? changedAt : (await store.ReadHeadAsync(cancellationToken)).ReferenceChangedSequence;
        var snapshot = new Snapshot(await store.ReadTradeReferenceAsync(cancellationToken), await store.ReadAllReferenceAsync(cancellationToken), at);
        _snapshot = snapshot;
        return snapshot;
    }

    /// <summary>
    /// The ledger lookup with the sub-ledger accounts this trade books to that an earlier command
    /// (maybe earlier in this very group, not yet committed) opened after the snapshot was read.
    /// </summary>
    private async Task<ReferenceLookup> WithSubLedgersAsync(IWriteUnitOfWork unitOfWork, Snapshot snapshot, TradeMessage message, CancellationToken cancellationToken)
    {
        if (message.Request is not { } r || !snapshot.Reference.ClientAccounts.TryGetValue(r.Account, out var account) || !snapshot.Reference.Parties.ContainsKey(r.Counterparty))
        {
            return snapshot.Ledger;
        }
        string[] missing = [.. _policy.SubLedgers(r.Account, r.Counterparty, account.IsFirmBook).Select(s => s.Code).Where(c => !snapshot.Ledger.LedgerAccounts.ContainsKey(c))];
        if (missing.Length == 0)
        {
            return snapshot.Ledger;
        }
        Volatile.Write(ref _ledgerStale, true);
        ReferenceLookup opened = await unitOfWork.ResolveAsync(missing, [], cancellationToken);
        if (opened.LedgerAccounts.Count == 0)
        {
            return snapshot.Ledger;
        }
        var accounts = new Dictionary<string, LedgerAccount>(snapshot.Ledger.LedgerAccounts, StringComparer.Ordinal);
        foreach (var (code, ledgerAccount) in opened.LedgerAccounts)
        {
            accounts[code] = ledgerAccount;
        }
        return new ReferenceLookup(accounts, snapshot.Ledger.Assets);
    }
}
