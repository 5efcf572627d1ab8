using System.Collections.Immutable;
using System.Globalization;
using BackOffice.Application.Ports;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Application.Ledger;

/// <summary>How a bulk post runs.</summary>
/// <param name="BatchSize">Entries per database transaction (1 to <see cref="LedgerService.BatchSizeMax"/>).</param>
/// <param name="Locations">Where each entry came from (file and line), used in rejections; "entry N" when absent.</param>
public sealed record PostOptions(int BatchSize = LedgerService.BatchSizeDefault, bool DryRun = false, IReadOnlyList<string>? Locations = null);

/// <summary>What happened to one submitted entry.</summary>
public enum EntryStatus
{
    /// <summary>Booked now.</summary>
    Booked = 1,

    /// <summary>Its key and payload were booked before; the original entry id is reported.</summary>
    Replayed = 2,

    /// <summary>Would be booked (dry run).</summary>
    WouldBook = 3,
}

/// <summary>One submitted entry's outcome: its key, the entry id that holds it, and how it got there.</summary>
public readonly record struct EntryOutcome(string Key, JournalEntryId EntryId, EntryStatus Status);

/// <summary>The result of a bulk post: either every entry's outcome, or the first rejection and nothing written.</summary>
public sealed record PostReport(ImmutableArray<EntryOutcome> Entries, Rejection? Rejection, int BatchesCommitted)
{
    /// <summary>Entries booked by this run.</summary>
    public int BookedCount => Entries.Count(e => e.Status == EntryStatus.Booked);

    /// <summary>Entries found already booked.</summary>
    public int ReplayedCount => Entries.Count(e => e.Status == EntryStatus.Replayed);
}

/// <summary>
/// Posting, reversing and reading the ledger. A bulk post is validated whole before anything is
/// written (an invalid entry or a reused key rejects the file with its position, and nothing is
/// booked), then written in batches, one database transaction and one audit record per batch.
/// </summary>
public sealed class LedgerService(IBackOfficeStore store, CommandProcessor processor)
{
    /// <summary>Default entries per transaction: large enough to amortise the commit, small enough to keep memory flat.</summary>
    public const int BatchSizeDefault = 2_000;

    /// <summary>Most entries per transaction.</summary>
    public const int BatchSizeMax = 50_000;

    /// <summary>Most entries in one bulk post (one file).</summary>
    public const int EntriesPerPostMax = 5_000_000;

    private const int KeyLookupChunk = 2_000;

    /// <summary>Validates all <paramref name="requests"/>, then books them in batches.</summary>
    public async Task<PostReport> PostAsync(IReadOnlyList<JournalEntryRequest> requests, string actor, PostOptions options,
        Action<int, int>? batchCommitted, CancellationToken cancellationToken)
    {
        Invariant.That(options.BatchSize is > 0 and <= BatchSizeMax, "batch size must be 1 to BatchSizeMax");
        if (requests.Count > EntriesPerPostMax)
        {
            return Rejected(new Rejection("post.too-many-entries", $"{requests.Count} entries; the limit per post is {EntriesPerPostMax}"));
        }
        // The head is read before the keys are looked up: if no other writer has moved it when a
        // batch runs, the keys looked up now are still all there is, and the batch need not look again.
        ChainHead head = await store.ReadHeadAsync(cancellationToken);
        Result<ValidatedPost> validated = await ValidateAllAsync(requests, options.Locations, cancellationToken);
        if (validated.Rejection is { } rejection)
        {
            return Rejected(rejection);
        }
        JournalEntryDraft[] drafts = validated.Value.Drafts;
        var keys = new KnownKeys(validated.Value.Booked, head.Sequence);
        // One array for the whole post: each batch writes its slice, so nothing is copied per batch.
        var outcomes = new EntryOutcome[drafts.Length];
        int committed = 0;
        for (int start = 0; start < drafts.Length; start += options.BatchSize)
        {
            ArraySegment<JournalEntryDraft> batch = new(drafts, start, Math.Min(options.BatchSize, drafts.Length - start));
            var sameFile = new SameFile(start, validated.Value.DuplicateOf, outcomes);
            Rejection? batchRejection = await PostBatchAsync(batch, sameFile, actor, options.DryRun, keys, cancellationToken);
            if (batchRejection is not null)
            {
                // Only a concurrent writer can get here (the whole post was validated first).
                return new PostReport(ImmutableArray.Create(outcomes.AsSpan(0, start)), batchRejection.At(string.Create(CultureInfo.InvariantCulture, $"batch starting at entry {start + 1}")), committed);
            }
            committed++;
            batchCommitted?.Invoke(committed, start + batch.Count);
        }
        return new PostReport(System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(outcomes), null, committed);
    }

    /// <summary>Books the reversal of a booked entry.</summary>
    public async Task<CommandOutcome> ReverseAsync(ReversalRequest request, string actor, CancellationToken cancellationToken)
    {
        if (!IdempotencyKey.TryCreate(request.Key, out IdempotencyKey key, out string reason))
        {
            var rejection = new Rejection("entry.key", reason);
            return new CommandOutcome(CommandStatus.Rejected, rejection.ToString(), rejection, null, []);
        }
        var command = new CommandEnvelope("journal.reverse", actor, key, CanonicalPayload.Hash(request), null);
        return await processor.ExecuteAsync(command, async (unitOfWork, ct) =>
        {
            JournalEntry? original = await unitOfWork.ReadEntryAsync(request.Original, ct);
            JournalEntryId? reversedBy = original is null ? null : await unitOfWork.FindReversalOfAsync(original.Id, ct);
            Result<JournalEntryDraft> draft = EntryRules.Reverse(request, original, reversedBy);
            if (draft.Rejection is { } rejection)
            {
                return rejection;
            }
            return new CommandEffects([draft.Value], null, $"reversed entry {request.Original}");
        }, dryRun: false, cancellationToken);
    }

    /// <summary>Balances as of an effective date and as known at a recorded time, with codes and decimal amounts.</summary>
    public async Task<IReadOnlyList<BalanceLine>> BalancesAsync(LocalDate? asOf, Instant? knownAt, CancellationToken cancellationToken)
    {
        IReadOnlyList<BalanceRow> rows = asOf is null && knownAt is null
            ? await store.ReadBalanceProjectionAsync(cancellationToken)
            : await store.ReadBalancesAsync(asOf, knownAt, cancellationToken);
        ReferenceLookup reference = await store.ReadAllReferenceAsync(cancellationToken);
        return BalanceLine.FromRows(rows, reference);
    }

    /// <summary>
    /// Recomputes every balance from the journal and compares it with the maintained projection;
    /// with <paramref name="replace"/>, a differing projection is replaced by the recomputed one.
    /// The projection is derived data, so replacing it changes no booked fact.
    /// </summary>
    public async Task<BalanceRebuild> RebuildAsync(bool replace, CancellationToken cancellationToken)
    {
        IReadOnlyList<BalanceRow> journal = await store.ReadBalancesAsync(null, null, cancellationToken);
        IReadOnlyList<BalanceRow> projection = await store.ReadBalanceProjectionAsync(cancellationToken);
        ReferenceLookup reference = await store.ReadAllReferenceAsync(cancellationToken);
        var differences = new List<string>();
        foreach (IGrouping<AssetId, BalanceRow> asset in journal.GroupBy(r => r.Asset))
        {
            long net = asset.Sum(r => r.Units);
            if (net != 0)
            {
                differences.Add($"the journal does not net to zero in {reference.AssetsById[asset.Key].Code}");
            }
        }
        var expected = journal.Where(r => r.Units != 0).ToDictionary(r => (r.LedgerAccount, r.Asset), r => r.Units);
        var actual = projection.Where(r => r.Units != 0).ToDictionary(r => (r.LedgerAccount, r.Asset), r => r.Units);
        foreach (var key in expected.Keys.Union(actual.Keys))
        {
            long want = expected.GetValueOrDefault(key), have = actual.GetValueOrDefault(key);
            if (want != have)
            {
                Asset asset = reference.AssetsById[key.Asset];
                differences.Add($"{reference.LedgerAccountsById[key.LedgerAccount].Code} {asset.Code}: journal {asset.Format(want)}, projection {asset.Format(have)}");
            }
        }
        bool replaced = replace && differences.Count > 0;
        if (replaced)
        {
            await store.ReplaceBalanceProjectionAsync(journal.Where(r => r.Units != 0).ToList(), cancellationToken);
        }
        return new BalanceRebuild(expected.Count, differences, replaced);
    }

    /// <param name="DuplicateOf">For each entry, the index of an earlier entry of the same post with the same key and payload, or -1.</param>
    private sealed record ValidatedPost(JournalEntryDraft[] Drafts, Dictionary<string, BookedKey> Booked, int[] DuplicateOf);

    private async Task<Result<ValidatedPost>> ValidateAllAsync(IReadOnlyList<JournalEntryRequest> requests, IReadOnlyList<string>? locations, CancellationToken cancellationToken)
    {
        var accountCodes = new HashSet<string>(StringComparer.Ordinal);
        var assetCodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (JournalEntryRequest request in requests)
        {
            foreach (PostingRequest line in request.Postings)
            {
                accountCodes.Add(line.LedgerAccountCode);
                assetCodes.Add(line.AssetCode);
            }
        }
        ReferenceLookup reference = await store.ResolveAsync(accountCodes, assetCodes, cancellationToken);
        // The rules are pure, so a large file is decided on every core; the first rejection in
        // file order is the one reported, as if the file had been read one entry at a time.
        var drafts = new JournalEntryDraft[requests.Count];
        var rejections = new Rejection?[requests.Count];
        Parallel.For(0, requests.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            Result<JournalEntryDraft> decided = EntryRules.Decide(requests[i], reference.LedgerAccounts, reference.Assets);
            if (decided.Rejection is { } refused)
            {
                rejections[i] = refused;
            }
            else
            {
                drafts[i] = decided.Value;
            }
        });
        int[] duplicateOf = new int[requests.Count];
        var seen = new Dictionary<string, (int Index, Sha256Hash PayloadHash)>(requests.Count, StringComparer.Ordinal);
        for (int i = 0; i < requests.Count; i++)
        {
            if (rejections[i] is { } rejection)
            {
                return rejection.At(EntryLocation(i, locations));
            }
            ref (int Index, Sha256Hash PayloadHash) first =
                ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(seen, requests[i].Key, out bool repeated);
            if (!repeated)
            {
                first = (i, drafts[i].PayloadHash);
            }
            else if (first.PayloadHash != drafts[i].PayloadHash)
            {
                return new Rejection("entry.key-conflict",
                    $"idempotency key '{requests[i].Key}' is also used by entry {first.Index + 1} with another payload", EntryLocation(i, locations));
            }
            duplicateOf[i] = repeated ? first.Index : -1;
        }
        Dictionary<string, BookedKey> booked = await FindBookedAsync(drafts, cancellationToken);
        for (int i = 0; i < drafts.Length && booked.Count > 0; i++)
        {
            if (booked.TryGetValue(drafts[i].Key.Value, out BookedKey earlier) && earlier.PayloadHash != drafts[i].PayloadHash)
            {
                return KeyConflict(drafts[i].Key, earlier.EntryId).At(EntryLocation(i, locations));
            }
        }
        return new ValidatedPost(drafts, booked, duplicateOf);
    }

    private async Task<Dictionary<string, BookedKey>> FindBookedAsync(JournalEntryDraft[] drafts, CancellationToken cancellationToken)
    {
        // Chunks are looked up on as many connections as there are cores: each lookup is an
        // index probe per key, and the store serves concurrent readers.
        int chunks = (drafts.Length + KeyLookupChunk - 1) / KeyLookupChunk;
        var found = new IReadOnlyDictionary<string, BookedKey>[chunks];
        await Parallel.ForAsync(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                int start = chunk * KeyLookupChunk;
                string[] keys = drafts[start..Math.Min(drafts.Length, start + KeyLookupChunk)].Select(d => d.Key.Value).ToArray();
                found[chunk] = await store.FindEntryKeysAsync(keys, ct);
            });
        var booked = new Dictionary<string, BookedKey>(StringComparer.Ordinal);
        foreach (var pair in found.SelectMany(f => f))
        {
            booked[pair.Key] = pair.Value;
        }
        return booked;
    }

    /// <summary>Where a batch sits in its post: to report an entry repeated from earlier in the same file under the first one's id.</summary>
    private sealed record SameFile(int Start, int[] DuplicateOf, EntryOutcome[] Outcomes)
    {
        /// <summary>This batch's slice of the post's outcomes.</summary>
        public ArraySegment<EntryOutcome> Slice(int count) => new(Outcomes, Start, count);
    }

    private async Task<Rejection?> PostBatchAsync(ArraySegment<JournalEntryDraft> batch, SameFile sameFile, string actor, bool dryRun,
        KnownKeys keys, CancellationToken cancellationToken)
    {
        Sha256Hash payloadHash = BatchPayloadHash(batch);
        var command = new CommandEnvelope("journal.post", actor, IdempotencyKey.From("journal.post/" + payloadHash), payloadHash, null);
        ArraySegment<EntryOutcome> outcomes = sameFile.Slice(batch.Count);
        CommandOutcome outcome = await processor.ExecuteAsync(command, async (unitOfWork, ct) =>
        {
            IReadOnlyDictionary<string, BookedKey> booked = keys.AreCurrent(unitOfWork.Head)
                ? keys.Booked
                : await unitOfWork.FindEntryKeysAsync(batch.Select(d => d.Key.Value).ToArray(), ct);
            return PlanBatch(batch, sameFile, booked, unitOfWork.Head.LastEntryId, dryRun, outcomes);
        }, dryRun, cancellationToken);
        if (outcome.Status == CommandStatus.Accepted)
        {
            keys.Committed(outcome.Sequence!.Value);
        }
        if (outcome.Status == CommandStatus.Replayed)
        {
            // The whole batch was booked before: report the entries it booked.
            IReadOnlyDictionary<string, BookedKey> booked = await store.FindEntryKeysAsync(batch.Select(d => d.Key.Value).ToArray(), cancellationToken);
            for (int i = 0; i < batch.Count; i++)
            {
                outcomes[i] = new EntryOutcome(batch[i].Key.Value, booked[batch[i].Key.Value].EntryId, EntryStatus.Replayed);
            }
            return null;
        }
        return outcome.Rejection;
    }

    private static Result<CommandEffects> PlanBatch(ArraySegment<JournalEntryDraft> batch, SameFile sameFile, IReadOnlyDictionary<string, BookedKey> booked,
        JournalEntryId lastEntryId, bool dryRun, ArraySegment<EntryOutcome> outcomes)
    {
        var fresh = new List<JournalEntryDraft>(batch.Count);
        for (int i = 0; i < batch.Count; i++)
        {
            JournalEntryDraft draft = batch[i];
            int first = sameFile.DuplicateOf[sameFile.Start + i];
            if (first >= 0)
            {
                // The same key and payload earlier in this post: one entry, reported twice.
                JournalEntryId id = sameFile.Outcomes[first].EntryId;
                outcomes[i] = new EntryOutcome(draft.Key.Value, id, EntryStatus.Replayed);
            }
            else if (booked.TryGetValue(draft.Key.Value, out BookedKey earlier))
            {
                if (earlier.PayloadHash != draft.PayloadHash)
                {
                    return KeyConflict(draft.Key, earlier.EntryId);
                }
                outcomes[i] = new EntryOutcome(draft.Key.Value, earlier.EntryId, EntryStatus.Replayed);
            }
            else
            {
                var id = new JournalEntryId(checked(lastEntryId.Value + fresh.Count + 1));
                fresh.Add(draft);
                outcomes[i] = new EntryOutcome(draft.Key.Value, id, dryRun ? EntryStatus.WouldBook : EntryStatus.Booked);
            }
        }
        string result = fresh.Count == 0
            ? string.Create(CultureInfo.InvariantCulture, $"booked 0 entries; replayed {batch.Count}")
            : string.Create(CultureInfo.InvariantCulture,
                $"booked {fresh.Count} entries {lastEntryId.Value + 1}-{lastEntryId.Value + fresh.Count}; replayed {batch.Count - fresh.Count}");
        return new CommandEffects(fresh, null, result);
    }

    private static Sha256Hash BatchPayloadHash(ArraySegment<JournalEntryDraft> batch)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (JournalEntryDraft draft in batch)
        {
            hash.AppendData(draft.PayloadHash.Bytes);
        }
        return Sha256Hash.FromBytes(hash.GetHashAndReset());
    }

    private static Rejection KeyConflict(IdempotencyKey key, JournalEntryId earlier) =>
        new("entry.key-conflict", $"idempotency key '{key}' was booked as entry {earlier} with another payload");

    private static string EntryLocation(int index, IReadOnlyList<string>? locations) =>
        locations is not null && index < locations.Count ? locations[index] : string.Create(CultureInfo.InvariantCulture, $"entry {index + 1}");

    private static PostReport Rejected(Rejection rejection) => new([], rejection, 0);
}

/// <summary>
/// The idempotency keys a bulk post found booked when it was validated (keys repeated within the
/// post are matched to their first entry instead). They are complete only while no other writer
/// has moved the chain head; once one has, every batch looks its keys up again inside its transaction.
/// </summary>
internal sealed class KnownKeys(Dictionary<string, BookedKey> booked, AuditSequence head)
{
    private AuditSequence _expected = head;
    private bool _stale;

    public IReadOnlyDictionary<string, BookedKey> Booked => booked;

    public bool AreCurrent(ChainHead current)
    {
        _stale |= current.Sequence != _expected;
        return !_stale;
    }

    /// <summary>Our own batch was committed as <paramref name="sequence"/>: the head moved, but not by another writer.</summary>
    public void Committed(AuditSequence sequence) => _expected = sequence;
}

/// <summary>The outcome of recomputing balances from the journal.</summary>
public sealed record BalanceRebuild(int RowCount, IReadOnlyList<string> Differences, bool Replaced);

/// <summary>A balance with codes and a decimal amount at the asset's scale (debit positive), for reports.</summary>
public sealed record BalanceLine(string LedgerAccountCode, string AssetCode, decimal Amount)
{
    /// <summary>Maps stored rows to codes, dropping zero balances, ordered by account code then asset code.</summary>
    public static IReadOnlyList<BalanceLine> FromRows(IReadOnlyList<BalanceRow> rows, ReferenceLookup reference) =>
        rows.Where(r => r.Units != 0)
            .Select(r =>
            {
                Asset asset = reference.AssetsById[r.Asset];
                return new BalanceLine(reference.LedgerAccountsById[r.LedgerAccount].Code, asset.Code, asset.ToAmount(r.Units));
            })
            .OrderBy(l => l.LedgerAccountCode, StringComparer.Ordinal)
            .ThenBy(l => l.AssetCode, StringComparer.Ordinal)
            .ToList();
}
