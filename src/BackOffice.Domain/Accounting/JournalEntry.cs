using System.Collections.Immutable;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Accounting;

/// <summary>
/// A balanced, immutable group of postings with an effective (business) date, the time it was
/// recorded, a reason and a source reference. Entries are never edited or deleted: a correction
/// is a reversal (<see cref="Reverses"/> names the original) followed by a new entry.
/// </summary>
/// <remarks>
/// The effective date says which business day the entry belongs to; the recorded time says when
/// the books learned of it. Balances can be read on either axis ("as of" and "as known at").
/// </remarks>
public sealed record JournalEntry
{
    /// <summary>Most postings one entry may carry.</summary>
    public const int PostingsMax = 128;

    /// <summary>Longest reason or source reference accepted.</summary>
    public const int TextLengthMax = 500;

    public required JournalEntryId Id { get; init; }
    public required AuditSequence AuditSequence { get; init; }
    public required LocalDate EffectiveDate { get; init; }
    public required Instant RecordedAt { get; init; }
    public required string Reason { get; init; }
    public required string SourceReference { get; init; }
    public required JournalEntryId? Reverses { get; init; }
    public required IdempotencyKey Key { get; init; }
    public required Sha256Hash PayloadHash { get; init; }
    public required ImmutableArray<Posting> Postings { get; init; }

    /// <summary>True when, for every asset, the signed units sum to zero.</summary>
    public static bool IsBalancedPerAsset(ReadOnlySpan<Posting> postings)
    {
        // Entries are small (at most PostingsMax lines): a quadratic scan allocates nothing.
        for (int i = 0; i < postings.Length; i++)
        {
            AssetId asset = postings[i].Asset;
            bool firstOfAsset = true;
            for (int j = 0; j < i; j++)
            {
                if (postings[j].Asset == asset)
                {
                    firstOfAsset = false;
                    break;
                }
            }
            if (!firstOfAsset)
            {
                continue;
            }
            long sum = 0;
            for (int j = i; j < postings.Length; j++)
            {
                if (postings[j].Asset == asset)
                {
                    sum = checked(sum + postings[j].Units);
                }
            }
            if (sum != 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Asserts the entry's invariants; called when an entry is built and again when it is loaded.</summary>
    public void AssertValid()
    {
        Invariant.That(Id.Value > 0, "journal entry ids start at 1");
        Invariant.That(Postings.Length >= 2 && Postings.Length <= PostingsMax, "a journal entry has 2 to PostingsMax postings");
        Invariant.That(IsBalancedPerAsset(Postings.AsSpan()), $"journal entry {Id} must balance per asset");
        foreach (Posting posting in Postings)
        {
            Invariant.That(posting.Units != 0, $"journal entry {Id} has a zero posting");
        }
    }
}
