using System.Collections.Immutable;
using System.Globalization;
using BackOffice.Application.Ports;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Trading;

namespace BackOffice.Application.Trading;

/// <summary>One message to book: a trade request, or what was wrong with the message before it became one.</summary>
/// <param name="Source">The sending system, also when the message could not be read.</param>
/// <param name="RawMessage">The message as received.</param>
public sealed record TradeMessage(TradeRequest? Request, Rejection? ReadFailure, string Source, string RawMessage, string Location)
{
    /// <summary>An allocation instruction instead of a trade (then <see cref="Request"/> is null).</summary>
    public AllocationRequest? Allocation { get; init; }

    /// <summary>A message read into a request.</summary>
    public static TradeMessage Of(TradeRequest request) => new(request, null, request.Source, request.SourceMessage, request.Location);

    /// <summary>A message read into an allocation instruction.</summary>
    public static TradeMessage Of(AllocationRequest allocation) =>
        new(null, null, allocation.Source, allocation.SourceMessage, allocation.Location) { Allocation = allocation };
}

/// <summary>What happened to one message.</summary>
public enum TradeMessageStatus
{
    /// <summary>Booked as a new trade.</summary>
    Booked = 1,

    /// <summary>Booked as a new version of an existing trade.</summary>
    Corrected = 2,

    /// <summary>Booked as the bust of an existing trade.</summary>
    Busted = 3,

    /// <summary>The same message was booked before: nothing booked again.</summary>
    Replayed = 4,

    /// <summary>Sent to the exceptions queue (streams only).</summary>
    Exception = 5,

    /// <summary>An allocation instruction booked: the block reversed, each allocation booked as a trade.</summary>
    Allocated = 6,
}

/// <summary>One message's outcome: the trade it booked (or had booked), or the exception it became.</summary>
public readonly record struct TradeMessageOutcome(TradeMessageStatus Status, long TradeId, int Version, long ExceptionId);

/// <summary>
/// Plans the effects of a batch of trade messages inside the write lock: for each message, the
/// trade version and the journal entries that book it, or (in a stream) an exception. Ids are
/// assigned here, in order, so the entries' ids are the head's last id plus one, two, ...
/// </summary>
internal sealed class TradePlanner(IWriteUnitOfWork unitOfWork, TradeReferenceData reference, ReferenceLookup ledger, TradeBookingPolicy policy, bool stream,
    EffectWriter? writer = null)
{
    private ReferenceLookup _ledger = ledger;
    private readonly HashSet<(string Account, string Counterparty)> _holdersChecked = [];
    private bool _idsRead;
    private readonly List<JournalEntryDraft> _entries = [];
    private readonly List<TradeVersion> _versions = [];
    private readonly List<TradeException> _exceptions = [];
    private readonly Dictionary<(string Source, string Id), BookedTradeMessage> _known = [];
    private readonly Dictionary<long, (TradeVersion Version, ImmutableArray<Posting> Postings)> _latest = [];
    private long _lastTradeId;
    private long _lastExceptionId;

    public IReadOnlyList<JournalEntryDraft> Entries => _entries;
    public IReadOnlyList<TradeVersion> Versions => _versions;
    public IReadOnlyList<TradeException> Exceptions => _exceptions;

    private AuditSequence Sequence => new(unitOfWork.Head.Sequence.Value + 1);

    // Entries already written by earlier chunks of the same command come before this chunk's.
    private JournalEntryId NextEntryId => new((writer?.LastEntryId ?? unitOfWork.Head.LastEntryId).Value + _entries.Count + 1);

    /// <summary>The chunk planned so far, as effects to write; the planner starts the next chunk empty.</summary>
    public CommandEffects TakeChunk(string result)
    {
        var effects = new CommandEffects([.. _entries], null, result) { TradeVersions = [.. _versions], TradeExceptions = [.. _exceptions] };
        _entries.Clear();
        _versions.Clear();
        _exceptions.Clear();
        // Written rows are read back from the transaction from now on.
        _known.Clear();
        _latest.Clear();
        return effects;
    }

    /// <summary>
    /// A message's payload hash, enrichment and, for a new trade whose accounts are all open, its
    /// booking entry: pure, so computed for a whole chunk on every core, ahead of the writer.
    /// </summary>
    public readonly record struct Prepared(Sha256Hash Hash, Result<EnrichedTrade> Enriched, JournalEntryDraft? Draft);

    /// <summary>The ledger accounts as the planner now knows them (sub-ledgers it opened included).</summary>
    public ReferenceLookup Ledger => _ledger;

    /// <summary>
    /// The pure part of each message, computed in parallel. With <paramref name="ledger"/>, new
    /// trades also get their booking entry (left to the planner when an account is not open yet).
    /// </summary>
    public static Prepared[] Prepare(IReadOnlyList<TradeMessage> messages, TradeReferenceData reference, ReferenceLookup? ledger, TradeBookingPolicy policy,
        CancellationToken cancellationToken)
    {
        var prepared = new Prepared[messages.Count];
        Parallel.For(0, messages.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            if (messages[i].Request is { } r && TradeRules.CheckIdentity(r) is null)
            {
                Result<EnrichedTrade> enriched = r.Action == TradeAction.Bust ? default : TradeRules.Enrich(r, reference);
                JournalEntryDraft? draft = null;
                if (ledger is not null && r.Action == TradeAction.New && enriched.IsAccepted)
                {
                    Result<JournalEntryDraft> decided = EntryRules.Decide(TradeBooking.Entry(enriched.Value, policy), ledger.LedgerAccounts, ledger.Assets);
                    draft = decided.IsAccepted ? decided.Value : null;
                }
                prepared[i] = new Prepared(TradePayload.Hash(r), enriched, draft);
            }
        });
        return prepared;
    }

    /// <summary>
    /// Opens, inside this transaction, the client and counterparty sub-ledger accounts the chunk's
    /// trades book to and the chart does not have yet (under their control accounts).
    /// </summary>
    public async Task OpenSubLedgersAsync(IReadOnlyList<TradeMessage> messages, CancellationToken cancellationToken)
    {
        var wanted = new SortedDictionary<string, (string Control, string Name)>(StringComparer.Ordinal);
        foreach (TradeMessage message in messages)
        {
            if (message.Request is { } r && reference.ClientAccounts.ContainsKey(r.Account) && reference.Parties.ContainsKey(r.Counterparty)
                && _holdersChecked.Add((r.Account, r.Counterparty)))
            {
                foreach (var (code, control, name) in policy.SubLedgers(r.Account, r.Counterparty, reference.ClientAccounts[r.Account].IsFirmBook))
                {
                    if (!_ledger.LedgerAccounts.ContainsKey(code))
                    {
                        wanted[code] = (control, name);
                    }
                }
            }
        }
        var missing = new List<Domain.ReferenceData.LedgerAccountDefinition>();
        foreach (var (code, (control, name)) in wanted)
        {
            if (_ledger.LedgerAccounts.TryGetValue(control, out LedgerAccount? parent))
            {
                missing.Add(new Domain.ReferenceData.LedgerAccountDefinition(code, name, parent.Type, control, true));
            }
        }
        if (missing.Count == 0)
        {
            return;
        }
        await unitOfWork.ApplyReferenceChangesAsync(new Domain.ReferenceData.ReferenceChanges { LedgerAccounts = missing }, cancellationToken);
        ReferenceLookup opened = await unitOfWork.ResolveAsync([.. missing.Select(m => m.Code)], [], cancellationToken);
        var accounts = new Dictionary<string, LedgerAccount>(_ledger.LedgerAccounts, StringComparer.Ordinal);
        foreach (var (code, account) in opened.LedgerAccounts)
        {
            accounts[code] = account;
        }
        _ledger = new ReferenceLookup(accounts, _ledger.Assets);
    }

    /// <summary>Plans every message; in a file (not a stream) the first failure rejects the batch.</summary>
    public async Task<Result<TradeMessageOutcome[]>> PlanAsync(IReadOnlyList<TradeMessage> messages, CancellationToken cancellationToken, Prepared[]? prepared = null)
    {
        if (!_idsRead)
        {
            (_lastTradeId, _lastExceptionId) = await unitOfWork.ReadLastTradeIdsAsync(cancellationToken);
            _idsRead = true;
        }
        // Every id the batch names, as a message or as the trade it changes, is looked up once.
        var named = messages.Where(m => m.Request is not null).Select(m => (m.Request!.Source, Ids: (IEnumerable<string>)[m.Request.SourceTradeId, .. m.Request.RefTradeId is { } r ? [r] : Array.Empty<string>()]))
            .Concat(messages.Where(m => m.Allocation is not null).Select(m => (m.Allocation!.Source, Ids: AllocationIds(m.Allocation))));
        foreach (var source in named.GroupBy(n => n.Source, StringComparer.Ordinal))
        {
            string[] ids = source.SelectMany(n => n.Ids).Distinct(StringComparer.Ordinal).ToArray();
            foreach (var (id, booked) in await unitOfWork.FindTradeMessagesAsync(source.Key, ids, cancellationToken))
            {
                _known[(source.Key, id)] = booked;
            }
        }
        // The pure part of each message (payload hash, validation, enrichment) depends on no other
        // message, so it runs on every core; ids and versions are then assigned in order.
        prepared ??= Prepare(messages, reference, null, policy, cancellationToken);
        var outcomes = new TradeMessageOutcome[messages.Count];
        for (int i = 0; i < messages.Count; i++)
        {
            TradeMessage message = messages[i];
            Result<TradeMessageOutcome> outcome = message.Request is { } request
                ? await PlanOneAsync(request, prepared[i], cancellationToken)
                : message.Allocation is { } allocation
                    ? await PlanAllocationAsync(allocation, cancellationToken)
                    : message.ReadFailure!;
            if (outcome.Rejection is { } rejection)
            {
                if (!stream)
                {
                    return rejection.At(message.Location);
                }
                outcomes[i] = Exception(message, rejection);
                continue;
            }
            outcomes[i] = outcome.Value;
        }
        return outcomes;
    }

    private TradeMessageOutcome Exception(TradeMessage message, Rejection rejection)
    {
        long id = ++_lastExceptionId;
        _exceptions.Add(new TradeException(id, Sequence, message.Source, message.Request?.SourceTradeId, rejection.Rule, rejection.Message,
            rejection.Location.Length == 0 ? message.Location : message.Location + ", " + rejection.Location,
            message.Request is { } request ? TradeJson.Serialize(request) : null, message.RawMessage));
        return new TradeMessageOutcome(TradeMessageStatus.Exception, 0, 0, id);
    }

    private async Task<Result<TradeMessageOutcome>> PlanOneAsync(TradeRequest request, Prepared prepared, CancellationToken cancellationToken)
    {
        if (TradeRules.CheckIdentity(request) is { } identity)
        {
            return identity;
        }
        Sha256Hash hash = prepared.Hash;
        if (_known.TryGetValue((request.Source, request.SourceTradeId), out BookedTradeMessage earlier))
        {
            return earlier.PayloadHash == hash
                ? new TradeMessageOutcome(TradeMessageStatus.Replayed, earlier.TradeId, earlier.Version, 0)
                : new Rejection("trade.duplicate-id",
                    $"{request.Source} trade id '{request.SourceTradeId}' was booked as trade {earlier.TradeId} with other details; send a correction instead");
        }
        Result<TradeMessageOutcome> planned = request.Action switch
        {
            TradeAction.New => PlanNew(prepared.Enriched, prepared.Draft, hash),
            _ => await PlanChangeAsync(request, prepared.Enriched, hash, cancellationToken),
        };
        if (planned.IsAccepted)
        {
            TradeMessageOutcome outcome = planned.Value;
            _known[(request.Source, request.SourceTradeId)] = new BookedTradeMessage(outcome.TradeId, outcome.Version, hash);
        }
        return planned;
    }

    private Result<TradeMessageOutcome> PlanNew(Result<EnrichedTrade> enriched, JournalEntryDraft? prepared, Sha256Hash hash)
    {
        if (enriched.Rejection is { } rejection)
        {
            return rejection;
        }
        long tradeId = _lastTradeId + 1;
        // A draft built ahead is dated on the trade date; a late trade is rebuilt for the open period.
        Result<JournalEntryDraft> draft = prepared is { } ready && ready.EffectiveDate == BookingDate(enriched.Value.Request.TradeDate) ? ready : Book(enriched.Value, tradeId, 1);
        if (draft.Rejection is { } notBooked)
        {
            return notBooked;
        }
        _lastTradeId = tradeId;
        JournalEntryId entryId = Add(draft.Value);
        TradeVersion version = TradeVersion.Booked(enriched.Value, tradeId, 1, hash, entryId, null, Sequence);
        Keep(version, draft.Value.Postings);
        return new TradeMessageOutcome(TradeMessageStatus.Booked, tradeId, 1, 0);
    }

    private async Task<Result<TradeMessageOutcome>> PlanChangeAsync(TradeRequest request, Result<EnrichedTrade> enriched, Sha256Hash hash, CancellationToken cancellationToken)
    {
        if (!_known.TryGetValue((request.Source, request.RefTradeId!), out BookedTradeMessage target))
        {
            return new Rejection("trade.ref-unknown", $"{request.Source} trade id '{request.RefTradeId}' (the trade to {(request.Action == TradeAction.Bust ? "bust" : "correct")}) is not booked");
        }
        (TradeVersion previous, ImmutableArray<Posting> postings)? latest = await LatestAsync(target.TradeId, cancellationToken);
        if (latest is not { } found)
        {
            return new Rejection("trade.ref-unknown", $"trade {target.TradeId} has no booked version");
        }
        TradeVersion previousVersion = found.previous;
        if (previousVersion.Status == TradeStatus.Busted)
        {
            return new Rejection("trade.already-busted", $"trade {previousVersion.TradeId} was busted; it cannot be {(request.Action == TradeAction.Bust ? "busted" : "corrected")} again");
        }
        int version = previousVersion.Version + 1;
        EnrichedTrade? corrected = null;
        JournalEntryDraft? rebook = null;
        if (request.Action == TradeAction.Correct)
        {
            if (enriched.Rejection is { } rejection)
            {
                return rejection;
            }
            Result<JournalEntryDraft> draft = Book(enriched.Value, previousVersion.TradeId, version);
            if (draft.Rejection is { } notBooked)
            {
                return notBooked;
            }
            corrected = enriched.Value;
            rebook = draft.Value;
        }
        // The reversal is dated like the booking it reverses (as of that date the trade never
        // stood), unless that date is in the closed period: then it goes to the open period, and
        // its reason names the trade and version it corrects.
        ReversalRequest reversalRequest = TradeBooking.Reversal(request, previousVersion, previousVersion.EntryId!.Value,
            BookingDate(previousVersion.TradeDate), request.Action == TradeAction.Bust ? "busted" : "corrected");
        JournalEntryId reversalId = Add(EntryRules.ReverseBooked(reversalRequest, previousVersion.EntryId.Value, found.postings));
        if (corrected is null)
        {
            TradeVersion busted = TradeVersion.Busted(previousVersion, request, hash, reversalId, Sequence);
            Keep(busted, []);
            return new TradeMessageOutcome(TradeMessageStatus.Busted, busted.TradeId, busted.Version, 0);
        }
        JournalEntryId entryId = Add(rebook!);
        TradeVersion next = TradeVersion.Booked(corrected, previousVersion.TradeId, version, hash, entryId, reversalId, Sequence);
        Keep(next, rebook!.Postings);
        return new TradeMessageOutcome(TradeMessageStatus.Corrected, next.TradeId, next.Version, 0);
    }

    private static IEnumerable<string> AllocationIds(AllocationRequest allocation) =>
        allocation.BlockTradeIds.Concat(allocation.Lines.Select(l => allocation.AllocationId + "/" + l.Account))
            .Concat(allocation.BlockTradeIds.Select(b => allocation.AllocationId + "#" + b));

    private async Task<Result<TradeMessageOutcome>> PlanAllocationAsync(AllocationRequest allocation, CancellationToken cancellationToken)
    {
        if (!IsId(allocation.AllocationId) || allocation.AllocationId.Length > TradeRules.IdLengthMax - 40)
        {
            return new Rejection("allocation.id", $"allocation id must be 1 to {TradeRules.IdLengthMax - 40} printable characters without spaces");
        }
        // The whole instruction is one payload: the same instruction again is a replay of all its trades.
        var children = new List<string>(allocation.Lines.Count);
        foreach (AllocationLine line in allocation.Lines)
        {
            children.Add(allocation.AllocationId + "/" + line.Account);
        }
        int known = children.Count(c => _known.ContainsKey((allocation.Source, c)));
        if (known == children.Count && known > 0)
        {
            BookedTradeMessage firstChild = _known[(allocation.Source, children[0])];
            return new TradeMessageOutcome(TradeMessageStatus.Replayed, firstChild.TradeId, firstChild.Version, 0);
        }
        if (known > 0)
        {
            return new Rejection("allocation.duplicate-id", $"allocation {allocation.AllocationId} was booked with other accounts");
        }
        var block = new List<(TradeVersion Version, ImmutableArray<Posting> Postings)>(allocation.BlockTradeIds.Count);
        foreach (string blockId in allocation.BlockTradeIds.Distinct(StringComparer.Ordinal))
        {
            if (!_known.TryGetValue((allocation.Source, blockId), out BookedTradeMessage booked))
            {
                return new Rejection("allocation.block-unknown", $"{allocation.Source} execution '{blockId}' is not booked");
            }
            if (await LatestAsync(booked.TradeId, cancellationToken) is not { } latest)
            {
                return new Rejection("allocation.block-unknown", $"trade {booked.TradeId} has no booked version");
            }
            block.Add(latest);
        }
        TradeVersion first = block[0].Version;
        int minorUnits = reference.Currencies.TryGetValue(first.Currency, out Domain.ReferenceData.Currency? currency) ? currency.MinorUnits : 2;
        Result<IReadOnlyList<TradeRequest>> split = AllocationRules.Split(allocation, [.. block.Select(b => b.Version)], minorUnits);
        if (split.Rejection is { } refused)
        {
            return refused;
        }
        // Every allocation is validated and its entry decided before anything is added, so a
        // refused allocation leaves no part of the instruction behind.
        var planned = new List<(EnrichedTrade Trade, JournalEntryDraft Draft, Sha256Hash Hash, long TradeId)>(split.Value.Count);
        long nextTradeId = _lastTradeId;
        foreach (TradeRequest child in split.Value)
        {
            Result<EnrichedTrade> enriched = TradeRules.Enrich(child, reference);
            if (enriched.Rejection is { } invalid)
            {
                return invalid.At(child.Account);
            }
            long tradeId = ++nextTradeId;
            Result<JournalEntryDraft> draft = Book(enriched.Value, tradeId, 1);
            if (draft.Rejection is { } notBooked)
            {
                return notBooked;
            }
            planned.Add((enriched.Value, draft.Value, TradePayload.Hash(child), tradeId));
        }
        Sha256Hash instructionHash = Sha256Hash.Of(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", planned.Select(p => p.Hash.ToString()))));
        foreach (var (version, postings) in block)
        {
            var moved = new TradeRequest
            {
                Source = allocation.Source,
                SourceTradeId = allocation.AllocationId + "#" + version.SourceTradeId,
                Action = TradeAction.Allocate,
                RefTradeId = version.SourceTradeId,
                SourceMessage = allocation.SourceMessage,
                Location = allocation.Location,
            };
            ReversalRequest reversal = TradeBooking.Reversal(moved, version, version.EntryId!.Value, BookingDate(version.TradeDate), "allocated by " + allocation.AllocationId);
            JournalEntryId reversalId = Add(EntryRules.ReverseBooked(reversal, version.EntryId.Value, postings));
            TradeVersion allocated = TradeVersion.Busted(version, moved, instructionHash, reversalId, Sequence);
            Keep(allocated, []);
            _known[(allocation.Source, moved.SourceTradeId)] = new BookedTradeMessage(allocated.TradeId, allocated.Version, instructionHash);
        }
        foreach (var (trade, draft, hash, tradeId) in planned)
        {
            JournalEntryId entryId = Add(draft);
            TradeVersion version = TradeVersion.Booked(trade, tradeId, 1, hash, entryId, null, Sequence);
            Keep(version, draft.Postings);
            _known[(allocation.Source, trade.Request.SourceTradeId)] = new BookedTradeMessage(tradeId, 1, hash);
        }
        _lastTradeId = nextTradeId;
        return new TradeMessageOutcome(TradeMessageStatus.Allocated, planned[0].TradeId, 1, 0);
    }

    private static bool IsId(string? value) => value is { Length: > 0 } && value.All(c => c is >= '!' and <= '~');

    /// <summary>
    /// The date a trade's entries are effective on: its trade date, or, when that is in the closed
    /// period, the first open date (a late booking).
    /// </summary>
    private NodaTime.LocalDate BookingDate(NodaTime.LocalDate tradeDate) =>
        unitOfWork.Head.ClosedThrough is { } closed && tradeDate <= closed ? closed.PlusDays(1) : tradeDate;

    private Result<JournalEntryDraft> Book(EnrichedTrade trade, long tradeId, int version)
    {
        Result<JournalEntryDraft> decided = EntryRules.Decide(TradeBooking.Entry(trade, policy, BookingDate(trade.Request.TradeDate)), _ledger.LedgerAccounts, _ledger.Assets);
        return decided.Rejection is { } rejection
            ? new Rejection("trade.booking", string.Create(CultureInfo.InvariantCulture, $"the booking entry was refused: {rejection}"))
            : decided;
    }

    private JournalEntryId Add(JournalEntryDraft draft)
    {
        JournalEntryId id = NextEntryId;
        _entries.Add(draft);
        return id;
    }

    private void Keep(TradeVersion version, ImmutableArray<Posting> postings)
    {
        _versions.Add(version);
        _latest[version.TradeId] = (version, postings);
    }

    private async Task<(TradeVersion, ImmutableArray<Posting>)?> LatestAsync(long tradeId, CancellationToken cancellationToken)
    {
        if (_latest.TryGetValue(tradeId, out var planned))
        {
            return planned;
        }
        TradeVersion? stored = await unitOfWork.ReadLatestTradeVersionAsync(tradeId, cancellationToken);
        if (stored is null)
        {
            return null;
        }
        ImmutableArray<Posting> postings = [];
        if (stored.EntryId is { } entryId)
        {
            JournalEntry? entry = await unitOfWork.ReadEntryAsync(entryId, cancellationToken);
            postings = entry?.Postings ?? [];
        }
        return (stored, postings);
    }
}
