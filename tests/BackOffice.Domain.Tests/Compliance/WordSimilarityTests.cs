using BackOffice.Domain.Compliance;
using CsCheck;

namespace BackOffice.Domain.Tests.Compliance;

/// <summary>
/// Word similarity: the published Jaro-Winkler values, Damerau-Levenshtein edits, which words are related
/// at all, and the law the index stands on: two keys are related exactly when they share a blocking key.
/// </summary>
public sealed class WordSimilarityTests
{
    [Theory]
    [InlineData("martha", "marhta", 9611)]
    [InlineData("dwayne", "duane", 8400)]
    [InlineData("dixon", "dicksonx", 8133)]
    [InlineData("abc", "xyz", 0)]
    [InlineData("same", "same", 10_000)]
    public void Jaro_winkler_gives_the_published_values_in_points(string a, string b, int points) =>
        Assert.Equal(points, WordSimilarity.JaroWinkler(a, b));

    [Theory]
    [InlineData("horoshev", "horoshov", 8750)]
    [InlineData("dmitri", "dmirti", 8333)]
    [InlineData("ca", "ac", 5000)]
    [InlineData("moreno", "marino", 6666)]
    [InlineData("", "", 10_000)]
    public void Edit_similarity_counts_one_edit_per_change_and_per_swap(string a, string b, int points) =>
        Assert.Equal(points, WordSimilarity.EditSimilarity(a, b));

    [Theory]
    [InlineData("horoshev", "horoshov", true)] // one letter changed
    [InlineData("dmitri", "dimitri", true)] // one letter added
    [InlineData("dmitri", "dmirti", true)] // two letters swapped
    [InlineData("chorosev", "horoshev", true)] // a letter deleted from each, at different places
    [InlineData("kadafi", "gadafi", true)]
    [InlineData("hrshv", "hurushiv", true)] // same consonants
    [InlineData("moreno", "romero", false)]
    [InlineData("tnk", "tnt", false)] // three letters: no deletion keys
    [InlineData("532", "533", false)] // numbers only match equal
    [InlineData("horoshev", "horoshkin", false)]
    public void Related_means_equal_one_deletion_apart_or_the_same_consonants(string a, string b, bool related)
    {
        Assert.Equal(related, WordSimilarity.Related(a, b));
        Assert.Equal(related, WordSimilarity.Related(b, a));
        Assert.Equal(related, WordSimilarity.Of(a, b) > 0);
    }

    [Fact]
    public void Related_keys_score_the_mean_of_jaro_winkler_and_edit_similarity()
    {
        Assert.Equal((WordSimilarity.JaroWinkler("horoshev", "horoshov") + 8750) / 2, WordSimilarity.Of("horoshev", "horoshov"));
        Assert.Equal(10_000, WordSimilarity.Of("532", "532"));
        Assert.Equal(0, WordSimilarity.Of("moreno", "romero"));
    }

    [Fact]
    public void The_skeleton_keeps_the_first_letter_and_the_consonants()
    {
        Assert.Equal("hrshv", WordSimilarity.Skeleton("horoshev"));
        Assert.Equal("artm", WordSimilarity.Skeleton("artiom"));
        Assert.Null(WordSimilarity.Skeleton("ali"));
        Assert.Null(WordSimilarity.Skeleton("a532"));
    }

    [Fact]
    public void Two_keys_are_related_exactly_when_they_share_a_blocking_key()
    {
        // Short words over few letters, so that every kind of relation (and its absence) comes up often.
        Gen<string> word = Gen.Char["aeiohrsk"].Array[1, 7].Select(c => new string(c));
        Gen.Select(word, word).Sample(pair =>
        {
            (string a, string b) = pair;
            bool shareKey = WordSimilarity.Keys(a).Intersect(WordSimilarity.Keys(b), StringComparer.Ordinal).Any();
            Assert.True(shareKey == WordSimilarity.Related(a, b), $"{a} {b}: shared key {shareKey}");
        }, iter: 20_000);
    }

    [Fact]
    public void The_early_stopping_comparison_agrees_with_the_full_one()
    {
        Gen<string> word = Gen.Char["aeiohrskt"].Array[1, 9].Select(c => new string(c));
        Gen.Select(word, word, Gen.Int[5_000, 10_000]).Sample(sample =>
        {
            (string a, string b, int minimum) = sample;
            int full = WordSimilarity.Of(a, b);
            Assert.Equal(full >= minimum ? full : 0, WordSimilarity.AtLeast(a, b, minimum));
        }, iter: 20_000);
    }

    [Fact]
    public void Scores_are_symmetric_and_between_zero_and_one()
    {
        Gen<string> word = Gen.Char["aeiounrstdm"].Array[1, 10].Select(c => new string(c));
        Gen.Select(word, word).Sample(pair =>
        {
            int forward = WordSimilarity.Of(pair.Item1, pair.Item2);
            Assert.InRange(forward, 0, WordSimilarity.Scale);
            Assert.Equal(WordSimilarity.EditSimilarity(pair.Item1, pair.Item2), WordSimilarity.EditSimilarity(pair.Item2, pair.Item1));
        }, iter: 5_000);
    }
}
