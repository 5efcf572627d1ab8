using System.Collections.Immutable;
using System.Globalization;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Accounting;

/// <summary>A journal entry as submitted, before it is resolved against the chart of accounts and the assets.</summary>
public sealed record JournalEntryRequest(
    string Key,
    LocalDate EffectiveDate,
    string Reason,
    string SourceReference,
    IReadOnlyList<PostingRequest> Postings);

/// <summary>A request to reverse a booked entry: the reversal negates every posting and references the original.</summary>
public sealed record ReversalRequest(string Key, JournalEntryId Original, LocalDate EffectiveDate, string Reason);

/// <summary>A resolved, balanced entry waiting for its id, audit sequence and recorded time from the write path.</summary>
public sealed record JournalEntryDraft(
    IdempotencyKey Key,
    Sha256Hash PayloadHash,
    LocalDate EffectiveDate,
    string Reason,
    string SourceReference,
    JournalEntryId? Reverses,
    ImmutableArray<Posting> Postings);

/// <summary>
/// The pure rules that turn a submitted entry into a balanced draft or a rejection. Rules are
/// checked in this order, so the same input always reports the same first error:
/// <c>entry.key</c>, <c>entry.reason</c>, <c>entry.source</c>, <c>entry.postings-count</c>, then for each posting in order
/// <c>posting.ledger-account-unknown</c>, <c>posting.ledger-account-closed</c>, <c>posting.asset-unknown</c>,
/// <c>posting.amount-not-positive</c>, <c>posting.amount-precision</c>; finally <c>entry.unbalanced</c> per asset.
/// </summary>
public static class EntryRules
{
    /// <summary>Resolves and checks <paramref name="request"/>.</summary>
    public static Result<JournalEntryDraft> Decide(
        JournalEntryRequest request,
        IReadOnlyDictionary<string, LedgerAccount> ledgerAccounts,
        IReadOnlyDictionary<string, Asset> assets)
    {
        if (!IdempotencyKey.TryCreate(request.Key, out IdempotencyKey key, out string keyReason))
        {
            return new Rejection("entry.key", keyReason);
        }
        Rejection? text = CheckText(request.Reason, "entry.reason", "reason") ?? CheckSource(request.SourceReference);
        if (text is not null)
        {
            return text;
        }
        if (request.Postings.Count < 2 || request.Postings.Count > JournalEntry.PostingsMax)
        {
            return new Rejection("entry.postings-count",
                $"an entry needs 2 to {JournalEntry.PostingsMax} postings; it has {request.Postings.Count}");
        }
        var postings = new Posting[request.Postings.Count];
        for (int i = 0; i < postings.Length; i++)
        {
            Result<Posting> resolved = Resolve(request.Postings[i], ledgerAccounts, assets);
            if (resolved.Rejection is { } rejection)
            {
                return rejection.At(string.Create(CultureInfo.InvariantCulture, $"posting {i + 1}"));
            }
            postings[i] = resolved.Value;
        }
        // The array is never written again: wrapping it saves a copy on the hot path.
        ImmutableArray<Posting> lines = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(postings);
        Rejection? unbalanced = CheckBalanced(lines, assets.Values);
        if (unbalanced is not null)
        {
            return unbalanced;
        }
        return new JournalEntryDraft(key, CanonicalPayload.Hash(request), request.EffectiveDate,
            request.Reason, request.SourceReference, null, lines);
    }

    /// <summary>Builds the reversal of <paramref name="original"/>; rejects reversing an entry twice.</summary>
    public static Result<JournalEntryDraft> Reverse(ReversalRequest request, JournalEntry? original, JournalEntryId? alreadyReversedBy)
    {
        if (!IdempotencyKey.TryCreate(request.Key, out IdempotencyKey key, out string keyReason))
        {
            return new Rejection("entry.key", keyReason);
        }
        if (CheckText(request.Reason, "entry.reason", "reason") is { } text)
        {
            return text;
        }
        if (original is null)
        {
            return new Rejection("reversal.original-unknown", $"journal entry {request.Original} does not exist");
        }
        if (alreadyReversedBy is { } by)
        {
            return new Rejection("reversal.already-reversed", $"journal entry {original.Id} is already reversed by entry {by}");
        }
        return ReverseBooked(request, original.Id, original.Postings);
    }

    /// <summary>The reversal of an entry known by its id and postings (booked earlier in the same command or read back).</summary>
    public static JournalEntryDraft ReverseBooked(ReversalRequest request, JournalEntryId originalId, ImmutableArray<Posting> originalPostings)
    {
        Invariant.That(IdempotencyKey.TryCreate(request.Key, out IdempotencyKey key, out _), "a reversal key built by the system is valid");
        ImmutableArray<Posting> negated = originalPostings.Select(p => p.Negate()).ToImmutableArray();
        return new JournalEntryDraft(key, CanonicalPayload.Hash(request), request.EffectiveDate, request.Reason,
            "reversal of " + originalId, originalId, negated);
    }

    private static Result<Posting> Resolve(PostingRequest line, IReadOnlyDictionary<string, LedgerAccount> ledgerAccounts, IReadOnlyDictionary<string, Asset> assets)
    {
        if (!ledgerAccounts.TryGetValue(line.LedgerAccountCode, out LedgerAccount? account))
        {
            return new Rejection("posting.ledger-account-unknown", $"ledger account '{line.LedgerAccountCode}' is not in the chart of accounts");
        }
        if (!account.IsOpen)
        {
            return new Rejection("posting.ledger-account-closed", $"ledger account '{account.Code}' is closed");
        }
        if (!assets.TryGetValue(line.AssetCode, out Asset? asset))
        {
            return new Rejection("posting.asset-unknown", $"asset '{line.AssetCode}' is neither a known currency nor a known instrument");
        }
        if (line.Amount <= 0m)
        {
            return new Rejection("posting.amount-not-positive", string.Create(CultureInfo.InvariantCulture,
                $"amount must be positive (the direction says debit or credit); it is {line.Amount}"));
        }
        if (!asset.TryToUnits(line.Amount, out long units))
        {
            return new Rejection("posting.amount-precision", string.Create(CultureInfo.InvariantCulture,
                $"amount {line.Amount} has more than {asset.Scale} decimal places allowed for {asset.Code}, or is too large"));
        }
        return new Posting(account.Id, asset.Id, line.Direction == Direction.Debit ? units : -units);
    }

    private static Rejection? CheckBalanced(ImmutableArray<Posting> lines, IEnumerable<Asset> assets)
    {
        if (JournalEntry.IsBalancedPerAsset(lines.AsSpan()))
        {
            return null;
        }
        foreach (IGrouping<AssetId, Posting> group in lines.GroupBy(p => p.Asset))
        {
            long debits = group.Where(p => p.Units > 0).Sum(p => p.Units);
            long credits = -group.Where(p => p.Units < 0).Sum(p => p.Units);
            if (debits != credits)
            {
                Asset asset = assets.First(a => a.Id == group.Key);
                return new Rejection("entry.unbalanced",
                    $"entry does not balance in {asset.Code}: debits {asset.Format(debits)}, credits {asset.Format(credits)}");
            }
        }
        Invariant.That(false, "an unbalanced entry has an asset whose debits differ from its credits");
        return null;
    }

    private static Rejection? CheckText(string value, string rule, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return new Rejection(rule, $"{field} is missing");
        }
        return value.Length > JournalEntry.TextLengthMax
            ? new Rejection(rule, $"{field} is longer than {JournalEntry.TextLengthMax} characters")
            : null;
    }

    private static Rejection? CheckSource(string value) =>
        value.Length > JournalEntry.TextLengthMax
            ? new Rejection("entry.source", $"source reference is longer than {JournalEntry.TextLengthMax} characters")
            : null;
}
