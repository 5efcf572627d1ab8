using BackOffice.Domain.Compliance;
using BackOffice.Domain.Primitives;
using CsCheck;
using NodaTime;

namespace BackOffice.Domain.Tests.Compliance;

/// <summary>
/// Screening on a small hand-made list: what a score is made of (word order, missing middle names,
/// initials, fillers, joined articles), the kind filter, weak aliases, the explanation, determinism, the
/// limits; and, on random lists, that the index finds exactly what scoring every list name finds.
/// </summary>
public sealed class ScreenerTests
{
    private static readonly LocalDate Published = new(2026, 3, 2);

    private static SanctionsAlias Aka(long id, string name) => new(id, AliasType.AlsoKnownAs, name, AliasStrength.Strong, null);

    private static SanctionsAlias Weak(string name) => new(null, AliasType.AlsoKnownAs, name, AliasStrength.Weak, null);

    private static SanctionsEntry Entry(long uid, string name, SanctionsEntryType type, params SanctionsAlias[] aliases) =>
        new(uid, name, type, ["SDGT"], null, null, null, aliases, []);

    private static readonly SanctionsList List = SanctionsList.Create("2026-03-02", Published,
    [
        Entry(1, "HASSAN, Abdul Karim Mahmud", SanctionsEntryType.Individual, Aka(11, "AL-HASSAN, Abd al-Karim"), Weak("THE ENGINEER")),
        Entry(2, "PETROV, Ivan Sergeyevich", SanctionsEntryType.Individual),
        Entry(3, "GOLDEN CRESCENT TRADING COMPANY LIMITED", SanctionsEntryType.Entity, Aka(31, "GOLDEN CRESCENT TRADING CO")),
        Entry(4, "CRESCENT STAR", SanctionsEntryType.Vessel),
        Entry(5, "PETROVA, Anna", SanctionsEntryType.Individual),
        Entry(6, "ALMANSOUR, Khalid", SanctionsEntryType.Individual),
    ]).Value;

    private static readonly Screener Screener = new(List);

    private static IReadOnlyList<ScreeningHit> Hits(string name, SanctionsEntryType? kind = null, decimal threshold = Screener.RecommendedThreshold)
    {
        Result<ScreeningResult> result = Screener.Screen(name, kind, threshold);
        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        return result.Value.Hits;
    }

    private static decimal Score(string name, long uid) => Hits(name, threshold: 0.0001m).Single(h => h.Uid == uid).Score;

    /// <summary>The score as the explanation accounts for it: each pair's similarity times its weight, over all the weights.</summary>
    private static decimal Recomputed(ScreeningHit hit) =>
        decimal.Floor(hit.Words.Sum(w => w.Similarity * 10_000 * w.Weight) / hit.Words.Sum(w => w.Weight)) / 10_000;

    [Fact]
    public void The_same_words_in_any_order_score_one()
    {
        Assert.Equal(1m, Score("Ivan Sergeyevich Petrov", 2));
        Assert.Equal(1m, Score("PETROV IVAN SERGEYEVICH", 2));
        Assert.Equal(1m, Score("Sergeyevich, Petrov-Ivan", 2));
    }

    [Fact]
    public void A_missing_middle_name_costs_little_a_missing_surname_or_first_name_much()
    {
        // Weights are ten a letter, the list's surname counting double: ivan pairs (40 + 40), petrov pairs
        // (60 + 120), and sergeievich (110) is missing at three tenths: 260 / (260 + 33) = 0.8873.
        Assert.Equal(0.8873m, Score("Ivan Petrov", 2));
        // The surname missing: 300 / (300 + 120).
        Assert.Equal(0.7142m, Score("Ivan Sergeyevich", 2));
        Assert.Empty(Hits("Petrov"));
        Assert.Empty(Hits("Sergei Petrov"));
        Assert.Empty(Hits("Ivan Sergeyevich"));
    }

    [Fact]
    public void An_initial_pairs_with_a_word_that_begins_with_it()
    {
        ScreeningHit hit = Assert.Single(Hits("I. S. Petrov"));
        Assert.Equal(2, hit.Uid);
        Assert.Contains(hit.Words, w => w.Kind == WordMatchKind.Initial && w.ScreenedWord == "i" && w.ListWord == "ivan");
        Assert.DoesNotContain(Hits("A. Petrov", SanctionsEntryType.Individual), h => h.Uid == 2);
    }

    [Fact]
    public void Spelling_variants_and_small_misspellings_still_hit()
    {
        Assert.Equal(2, Assert.Single(Hits("Iwan Sergeevich Pietrov")).Uid);
        Assert.Equal(1, Hits("Abdel Kareem Hasan")[0].Uid);
        Assert.Equal(6, Assert.Single(Hits("Khaled Al Mansour")).Uid);
        Assert.Equal(6, Assert.Single(Hits("Khalid Mansour")).Uid);
    }

    [Fact]
    public void A_misspelt_name_the_table_of_spellings_knows_is_one_letter_from_the_word_as_written()
    {
        // Mostafa is keyed mustafa by the table; Mostofa is not in it, two letters from mustafa, one from mostafa.
        var screener = new Screener(SanctionsList.Create("v", Published, [Entry(7, "REZAEI, Mostafa Amir", SanctionsEntryType.Individual)]).Value);

        var result = screener.Screen("Rezaei, Mostofa Amir", null, Screener.RecommendedThreshold);

        Assert.Equal(7, Assert.Single(result.Value.Hits).Uid);
        NameWord mostafa = NameNormalizer.Words("Mostafa")[0];
        Assert.Equal(("mustafa", "mostafa"), (mostafa.Key, mostafa.AlternateKey));
        Assert.Null(NameNormalizer.Words("Mustafa")[0].AlternateKey);
    }

    [Fact]
    public void Two_companies_that_share_only_a_russian_legal_form_written_out_do_not_hit_each_other()
    {
        var screener = new Screener(SanctionsList.Create("v", Published,
            [Entry(8, "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU KAGAIN", SanctionsEntryType.Entity)]).Value);

        Assert.Empty(screener.Screen("Obshchestvo s Ogranichennoy Otvetstvennostyu Petrotek", null, Screener.RecommendedThreshold).Value.Hits);
        Assert.Equal(8, Assert.Single(screener.Screen("Obshchestvo s Ogranichennoi Otvetstvennostyu Kagayn", null, Screener.RecommendedThreshold).Value.Hits).Uid);
    }

    [Fact]
    public void Legal_forms_and_common_business_words_weigh_less_than_the_name()
    {
        Assert.Equal(3, Assert.Single(Hits("Golden Crescent")).Uid);
        Assert.True(Score("Golden Crescent Trading Co", 3) > Score("Golden Crescent Shipping", 3));
        Assert.Empty(Hits("Crescent Shipping Limited", SanctionsEntryType.Entity));
    }

    [Fact]
    public void A_kind_limits_screening_to_entries_of_that_type()
    {
        Assert.Equal([4L], Hits("Crescent Star").Select(h => h.Uid));
        Assert.Empty(Hits("Crescent Star", SanctionsEntryType.Entity));
        Assert.Equal([4L], Hits("Crescent Star", SanctionsEntryType.Vessel).Select(h => h.Uid));
    }

    [Fact]
    public void A_weak_alias_hits_only_when_the_whole_name_is_the_same()
    {
        ScreeningHit hit = Assert.Single(Hits("The Engineer"));
        Assert.Equal((1L, MatchedNameKind.WeakAlias, 1m), (hit.Uid, hit.MatchedNameKind, hit.Score));
        Assert.Empty(Hits("The Engineers"));
        Assert.Empty(Hits("Chief Engineer"));
    }

    [Fact]
    public void A_hit_names_the_alias_it_matched_and_explains_every_word()
    {
        ScreeningHit hit = Assert.Single(Hits("Abd al-Karim al-Hassan"));
        Assert.Equal((1L, "AL-HASSAN, Abd al-Karim", MatchedNameKind.StrongAlias, AliasType.AlsoKnownAs), (hit.Uid, hit.MatchedName, hit.MatchedNameKind, hit.AliasType));
        Assert.Equal(1m, hit.Score);
        Assert.Equal(Screener.RecommendedThreshold, hit.Threshold);
        // Equal similarities: the heavier pair first.
        Assert.Equal(["hassan", "karim", "abd"], hit.Words.Select(w => w.ScreenedWord));
        Assert.All(hit.Words, w => Assert.Equal((WordMatchKind.Same, 1m), (w.Kind, w.Similarity)));
        string explained = hit.Explain();
        Assert.Contains("1 HASSAN, Abdul Karim Mahmud (individual; SDGT) matched through its alias (aka) \"AL-HASSAN, Abd al-Karim\"", explained, StringComparison.Ordinal);
        Assert.Contains("score 1.0000 at threshold 0.8000", explained, StringComparison.Ordinal);
        Assert.Contains("hassan = hassan", explained, StringComparison.Ordinal);
    }

    [Fact]
    public void The_explanation_lists_paired_words_then_unpaired_ones_with_their_weights()
    {
        ScreeningHit hit = Hits("Iwan Petrov Smith", threshold: 0.5m).Single(h => h.Uid == 2);
        Assert.Equal(MatchedNameKind.PrimaryName, hit.MatchedNameKind);
        Assert.Equal(
            [("petrov", "petrov", WordMatchKind.Same, 180), ("iwan", "ivan", WordMatchKind.SameAfterFolding, 80),
             ("smith", null, WordMatchKind.ScreenedOnly, 40), (null, "sergeyevich", WordMatchKind.ListOnlyOptional, 33)],
            hit.Words.Select(w => (w.ScreenedWord, w.ListWord, w.Kind, w.Weight)));
        Assert.Equal(0.7807m, hit.Score); // 260 / (260 + 40 + 33); "smith" has the key "smit"
        Assert.Equal(Recomputed(hit), hit.Score);
        string explained = hit.Explain();
        Assert.Contains("iwan = ivan (spelling variant)", explained, StringComparison.Ordinal);
        Assert.Contains("sergeyevich not in the screened name (a further given name, counted lightly)", explained, StringComparison.Ordinal);
        Assert.Contains("smith not on the list name", explained, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_score_is_what_its_explanation_adds_up_to()
    {
        foreach (string name in new[] { "Abdel Kareem Hasan", "I. S. Petrov", "Golden Crescent Shipping", "Petrova Ann", "Khalid Mansur", "Crescent" })
        {
            Assert.All(Hits(name, threshold: 0.3m), hit => Assert.Equal(Recomputed(hit), hit.Score));
        }
    }

    [Fact]
    public void Hits_come_best_first_then_by_uid_and_carry_the_list_version()
    {
        ScreeningResult result = Screener.Screen("Petrov", SanctionsEntryType.Individual, 0.3m).Value;
        // petrova is one letter from petrov (0.9142 alike), but PETROVA, Anna has less left unpaired.
        Assert.Equal([5L, 2L], result.Hits.Select(h => h.Uid));
        Assert.True(result.Hits[0].Score > result.Hits[1].Score);
        Assert.True(result.Hits[0].Score >= result.Hits[1].Score);
        Assert.Equal(("2026-03-02", Published, "petrov", SanctionsEntryType.Individual), (result.ListVersion, result.ListPublishedOn, result.NormalizedName, result.Kind));
    }

    [Fact]
    public void Screening_is_deterministic_whatever_the_order_the_list_was_given_in()
    {
        SanctionsList reversed = SanctionsList.Create(List.Version, List.PublishedOn, List.Entries.Reverse()).Value;
        string[] names = ["Petrov", "Abdul Hassan", "Crescent", "Khalid", "Golden Crescent Trading"];
        foreach (string name in names)
        {
            string Signature(Screener s) => string.Join("|", s.Screen(name, null, 0.3m).Value.Hits.Select(h => $"{h.Uid}:{h.Score}:{h.MatchedName}"));
            Assert.Equal(Signature(Screener), Signature(new Screener(reversed)));
            Assert.Equal(Signature(Screener), Signature(Screener));
        }
    }

    [Fact]
    public void A_batch_gives_each_subject_the_result_it_gets_alone()
    {
        ScreeningSubject[] subjects = [new("c1", "Ivan Petrov", null), new("c2", "Anna Petrova", SanctionsEntryType.Individual), new("c3", "Nobody Here", null)];
        IReadOnlyList<Result<ScreeningResult>> batch = Screener.ScreenAll(subjects, 0.8m);
        Assert.Equal(3, batch.Count);
        for (int i = 0; i < subjects.Length; i++)
        {
            Assert.Equal(Screener.Screen(subjects[i].Name, subjects[i].Kind, 0.8m).Value.Hits.Select(h => (h.Uid, h.Score)), batch[i].Value.Hits.Select(h => (h.Uid, h.Score)));
        }
        Assert.Empty(batch[2].Value.Hits);
    }

    [Fact]
    public void A_bad_threshold_or_an_overlong_name_is_refused()
    {
        Assert.Equal("screening.threshold", Screener.Screen("x", null, 0m).Rejection?.Rule);
        Assert.Equal("screening.threshold", Screener.Screen("x", null, 1.5m).Rejection?.Rule);
        Assert.Equal("screening.threshold", Screener.Screen("x", null, 0.12345m).Rejection?.Rule);
        Assert.Null(Screener.CheckThreshold(1m));
        Assert.Equal("screening.name-too-long", Screener.Screen(new string('a', NameNormalizer.NameLengthMax + 1), null, 0.8m).Rejection?.Rule);
        Assert.Equal("screening.name-too-long", Screener.Screen(string.Join(' ', Enumerable.Repeat("ab", Screener.ScreenedWordsMax + 1)), null, 0.8m).Rejection?.Rule);
        Assert.Empty(Hits("  ,.- "));
    }

    [Fact]
    public void The_index_finds_exactly_the_hits_that_scoring_every_list_name_finds()
    {
        // Names drawn from a small vocabulary with spelling variants, initials, fillers and joined
        // articles, so that related words, shared blocks and near-threshold scores are common.
        string[] vocabulary =
        [
            "hassan", "hasan", "hasson", "alhassan", "karim", "kareem", "abdul", "abd", "ivan", "iwan", "petrov", "pietrov", "petrova",
            "golden", "crescent", "cresent", "star", "trading", "company", "ltd", "the", "of", "al", "a", "k", "p", "532", "533",
            "khoroshev", "horoshev", "khoroshkin", "dmitri", "dmitry", "mansour", "almansour", "elmansur", "yusuf", "youssef",
        ];
        Gen<string> name = Gen.Int[0, vocabulary.Length - 1].Array[1, 5].Select(ix => string.Join(' ', ix.Select(i => vocabulary[i])));
        Gen<SanctionsEntryType> type = Gen.Int[1, 4].Select(t => (SanctionsEntryType)t);
        Gen<(string Name, SanctionsEntryType Type, string[] Aliases)> entry = Gen.Select(name, type, name.Array[0, 2]);
        Gen.Select(entry.Array[1, 12], name.Array[1, 8], Gen.Int[50, 99], Gen.Int[0, 4]).Sample(sample =>
        {
            ((string Name, SanctionsEntryType Type, string[] Aliases)[] entries, string[] queries, int percent, int kind) = sample;
            SanctionsList list = SanctionsList.Create("random", Published, entries.Select((e, i) =>
                Entry(i + 1, e.Type == SanctionsEntryType.Individual ? e.Name.Replace(" ", ", ", StringComparison.Ordinal) : e.Name, e.Type,
                    [.. e.Aliases.Select((a, j) => j == 1 ? Weak(a) : Aka((i + 1) * 10 + j, a))]))).Value;
            var screener = new Screener(list);
            decimal threshold = percent / 100m;
            SanctionsEntryType? filter = kind == 0 ? null : (SanctionsEntryType)kind;
            foreach (string query in queries)
            {
                string Signature(ScreeningResult r) => string.Join("|", r.Hits.Select(h => $"{h.Uid}:{h.Score}:{h.MatchedName}:{string.Join(",", h.Words.Select(w => $"{w.ScreenedWord}/{w.ListWord}/{w.Similarity}"))}"));
                Assert.Equal(Signature(screener.ScreenEveryName(query, filter, threshold).Value), Signature(screener.Screen(query, filter, threshold).Value));
            }
        }, iter: 400);
    }
}
