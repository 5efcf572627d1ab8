using System.Globalization;
using System.Text;
using NodaTime;

namespace BackOffice.Domain.Compliance;

/// <summary>Which of an entry's names a hit matched.</summary>
public enum MatchedNameKind
{
    /// <summary>The entry's primary name.</summary>
    PrimaryName = 1,

    /// <summary>A strong alias (aka, fka or nka), matched like the primary name.</summary>
    StrongAlias = 2,

    /// <summary>A weak alias, matched only by the whole name being the same after normalization.</summary>
    WeakAlias = 3,
}

/// <summary>How one word of the screened name and one word of the list name were paired, or left alone.</summary>
public enum WordMatchKind
{
    /// <summary>Written the same after normalization (case, accents, punctuation).</summary>
    Same = 1,

    /// <summary>Spelt differently, the same after folding transliteration variants ("dmitry", "dmitriy").</summary>
    SameAfterFolding = 2,

    /// <summary>Spelt similarly: a letter or two missing, added, changed or swapped.</summary>
    Similar = 3,

    /// <summary>An initial paired with a word that begins with it.</summary>
    Initial = 4,

    /// <summary>A word of the screened name with no counterpart on the list name: it counts against the score in full.</summary>
    ScreenedOnly = 5,

    /// <summary>A word of the list name with no counterpart in the screened name: it counts against the score in full.</summary>
    ListOnly = 6,

    /// <summary>A second or later given name of an individual, missing from the screened name: it counts three tenths.</summary>
    ListOnlyOptional = 7,
}

/// <summary>
/// One line of a hit's explanation: a word of the screened name (<paramref name="ScreenedWord"/>) and the word
/// of the list name it was paired with (<paramref name="ListWord"/>), normalized, with their similarity
/// from 0 to 1; an unpaired word has null on the other side and similarity 0. <paramref name="Weight"/> is
/// what the pair or word weighs in the score: the words' lengths, scaled down for common business words
/// and fillers.
/// </summary>
public sealed record WordMatch(string? ScreenedWord, string? ListWord, decimal Similarity, WordMatchKind Kind, int Weight);

/// <summary>
/// A list entry whose name (or one of its aliases) scored at or above the threshold against a screened
/// name, with what was matched and why: the name or alias, each word pairing with its similarity, the
/// score and the threshold it was held against.
/// </summary>
/// <param name="Uid">The entry's uid on the list (OFAC's ent_num).</param>
/// <param name="EntryName">The entry's primary name, as the list writes it.</param>
/// <param name="EntryType">Individual, entity, vessel or aircraft.</param>
/// <param name="Programs">The entry's sanctions programs.</param>
/// <param name="MatchedName">The name or alias that scored best, as the list writes it.</param>
/// <param name="MatchedNameKind">Whether that is the primary name, a strong alias or a weak alias.</param>
/// <param name="AliasType">For an alias, aka, fka or nka; null for the primary name.</param>
/// <param name="Score">The score from 0 to 1, to four decimals (see docs/reference/screening.md).</param>
/// <param name="Threshold">The threshold the score was held against.</param>
/// <param name="Words">The word pairings behind the score: paired words first, strongest first, then unpaired ones.</param>
public sealed record ScreeningHit(
    long Uid,
    string EntryName,
    SanctionsEntryType EntryType,
    IReadOnlyList<string> Programs,
    string MatchedName,
    MatchedNameKind MatchedNameKind,
    AliasType? AliasType,
    decimal Score,
    decimal Threshold,
    IReadOnlyList<WordMatch> Words)
{
    /// <summary>The hit in one paragraph, for an alert and its reviewer.</summary>
    public string Explain()
    {
        var text = new StringBuilder();
        string through = MatchedNameKind switch
        {
            MatchedNameKind.PrimaryName => "its primary name",
            MatchedNameKind.StrongAlias => $"its {Describe(AliasType)} \"{MatchedName}\"",
            _ => $"its weak alias \"{MatchedName}\" (the whole name is the same)",
        };
        text.Append(CultureInfo.InvariantCulture,
            $"{Uid} {EntryName} ({EntryType.ToString().ToLowerInvariant()}; {string.Join(", ", Programs)}) matched through {through}: ");
        text.Append(CultureInfo.InvariantCulture, $"score {Score:0.0000} at threshold {Threshold:0.0000}. ");
        text.Append(string.Join("; ", Words.Select(Describe)));
        text.Append('.');
        return text.ToString();
    }

    private static string Describe(AliasType? type) => type switch
    {
        Compliance.AliasType.FormerlyKnownAs => "former name (fka)",
        Compliance.AliasType.NowKnownAs => "current name (nka)",
        _ => "alias (aka)",
    };

    private static string Describe(WordMatch word) => word.Kind switch
    {
        WordMatchKind.Same => $"{word.ScreenedWord} = {word.ListWord}",
        WordMatchKind.SameAfterFolding => $"{word.ScreenedWord} = {word.ListWord} (spelling variant)",
        WordMatchKind.Similar => string.Create(CultureInfo.InvariantCulture, $"{word.ScreenedWord} ~ {word.ListWord} {word.Similarity:0.0000}"),
        WordMatchKind.Initial => string.Create(CultureInfo.InvariantCulture, $"{word.ScreenedWord} ~ {word.ListWord} (initial) {word.Similarity:0.0000}"),
        WordMatchKind.ScreenedOnly => $"{word.ScreenedWord} not on the list name",
        WordMatchKind.ListOnly => $"{word.ListWord} not in the screened name",
        _ => $"{word.ListWord} not in the screened name (a further given name, counted lightly)",
    };
}

/// <summary>
/// The outcome of screening one name against one list version: the hits, best first (then by uid), and
/// what is needed to show later how the decision was taken: the name as screened and as normalized, the
/// kind it was screened as (null: against every entry), the threshold, and the list's version and
/// publication date.
/// </summary>
public sealed record ScreeningResult(
    string Name,
    string NormalizedName,
    SanctionsEntryType? Kind,
    decimal Threshold,
    string ListVersion,
    LocalDate ListPublishedOn,
    IReadOnlyList<ScreeningHit> Hits);

/// <summary>
/// One of our names to screen: a client account holder, a counterparty or a withdrawal's beneficiary.
/// <paramref name="Reference"/> is our own key for it (not used in matching); <paramref name="Kind"/>, when
/// known, limits the screening to entries of that type (a person is not screened against vessels).
/// </summary>
public sealed record ScreeningSubject(string Reference, string Name, SanctionsEntryType? Kind);
