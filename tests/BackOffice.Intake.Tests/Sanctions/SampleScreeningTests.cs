using System.Globalization;
using BackOffice.Domain.Compliance;
using BackOffice.Intake.Csv;
using Xunit.Abstractions;

namespace BackOffice.Intake.Tests.Sanctions;

/// <summary>
/// Screening against the OFAC samples as read by the importer: variants of listed names that must hit
/// (word order, punctuation, accents, transliteration, misspellings, aliases), near-misses that must not,
/// and the precision and recall on the labelled set (Samples/labelled-names.csv) at the recommended
/// threshold, which docs/reference/screening.md reports.
/// </summary>
public sealed class SampleScreeningTests(ITestOutputHelper output)
{
    private static readonly Screener Screener = new(OfacCsvTests.ReadSamples().Value.List);

    private static IReadOnlyList<ScreeningHit> Hits(string name, SanctionsEntryType? kind = null) =>
        Screener.Screen(name, kind, Screener.RecommendedThreshold).Value.Hits;

    [Theory]
    [InlineData("Dmitry Khoroshev", 48603)] // given name first, middle name missing
    [InlineData("Yuryevich Dmitry Khoroshev", 48603)] // words in another order
    [InlineData("Khoroshev Dmitry Yuryevich", 48603)] // the comma gone
    [InlineData("Dmítry Khóroshev", 48603)] // accents added
    [InlineData("Dmitriy Yurievich Horoshev", 48603)] // transliteration variants
    [InlineData("Дмитрий Хорошев", 48603)] // Cyrillic script
    [InlineData("Dmitry Khoroshov", 48603)] // one letter wrong
    [InlineData("Dmirty Khorosehv", 48603)] // two pairs of letters swapped
    [InlineData("Dmitry Yurievich", 48603)] // the alias YURIEVICH, Dmitry
    [InlineData("LOCKBITSUPP", 48603)] // a weak alias, exactly
    [InlineData("Artyom Lifshitz", 29702)]
    [InlineData("Daniel Gonzalo Moreno", 15102)] // the alias MORENO JR., Daniel Gonzalo
    [InlineData("Aircraft Avionics Parts and Support Ltd", 19709)] // punctuation removed, & spelt out
    [InlineData("Qaddafi International Charity and Development Foundation", 12685)]
    [InlineData("HESA Trade Center", 11195)] // an alias
    [InlineData("Suex O.T.C. s.r.o.", 33151)]
    [InlineData("Bel Kap Steel", 44525)]
    [InlineData("EP PUS", 48727)]
    public void Variants_of_listed_names_hit_their_entry(string name, long uid)
    {
        IReadOnlyList<ScreeningHit> hits = Hits(name);
        Assert.True(hits.Count > 0 && hits[0].Uid == uid, $"{name}: {string.Join(" | ", hits.Select(h => h.Explain()))}");
    }

    [Theory]
    [InlineData("Dmitry Khoroshkin")] // same beginning, different surname
    [InlineData("Elena Khoroshev")] // the same surname only
    [InlineData("Carlos Moreno")]
    [InlineData("Daniel Romero")]
    [InlineData("Artem Lifanov")]
    [InlineData("Suez Trading")]
    [InlineData("TNT Trading International")]
    [InlineData("Aircraft Parts and Supply Ltd")]
    [InlineData("Gaddafi")]
    [InlineData("Makran Shipping Co")] // a weak alias inside a longer name
    [InlineData("Regions Bank")]
    [InlineData("John Smith")]
    public void Near_misses_do_not_hit(string name)
    {
        IReadOnlyList<ScreeningHit> hits = Hits(name);
        Assert.True(hits.Count == 0, $"{name}: {string.Join(" | ", hits.Select(h => h.Explain()))}");
    }

    [Fact]
    public void A_hit_on_the_samples_explains_itself_with_the_list_version()
    {
        ScreeningResult result = Screener.Screen("Dmitriy Horoshev", SanctionsEntryType.Individual, Screener.RecommendedThreshold).Value;
        ScreeningHit hit = Assert.Single(result.Hits);
        Assert.Equal(("2026-03-02 sample", 48603L, MatchedNameKind.StrongAlias, "KHOROSHEV, Dmitriy Yurevich"), (result.ListVersion, hit.Uid, hit.MatchedNameKind, hit.MatchedName));
        Assert.Equal(
            "48603 KHOROSHEV, Dmitry Yuryevich (individual; CYBER2) matched through its alias (aka) \"KHOROSHEV, Dmitriy Yurevich\": "
            + "score 0.9375 at threshold 0.8000. horoshev = khoroshev (spelling variant); dmitriy = dmitriy; yurevich not in the screened name (a further given name, counted lightly).",
            hit.Explain());
    }

    [Fact]
    public void The_labelled_set_keeps_its_precision_and_recall()
    {
        // The floors sit a little under the figures the set gives today (docs/reference/screening.md): a
        // change to normalization or scoring that loses a hit or adds a false one has to be looked at.
        const decimal precisionFloor = 0.95m, recallFloor = 0.93m;
        (int truePositives, int falsePositives, int falseNegatives, List<string> misses) = Evaluate(Screener.RecommendedThreshold);
        decimal precision = truePositives / (decimal)(truePositives + falsePositives);
        decimal recall = truePositives / (decimal)(truePositives + falseNegatives);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"threshold {Screener.RecommendedThreshold}: {truePositives} hits found, {falseNegatives} missed, {falsePositives} false; precision {precision:0.000}, recall {recall:0.000}"));
        misses.ForEach(output.WriteLine);
        Assert.True(precision >= precisionFloor, $"precision {precision:0.000}");
        Assert.True(recall >= recallFloor, $"recall {recall:0.000}");
        Assert.True(truePositives + falseNegatives >= 50 && LabelledSet().Count >= 80, "the labelled set must stay large enough to mean something");
    }

    [Fact]
    public void A_higher_threshold_trades_recall_for_precision_on_the_labelled_set()
    {
        (int tp80, int fp80, int fn80, _) = Evaluate(0.80m);
        (int tp90, int fp90, int fn90, _) = Evaluate(0.90m);
        (int tp70, int fp70, _, _) = Evaluate(0.70m);
        Assert.True(tp90 <= tp80 && fn90 >= fn80 && fp90 <= fp80);
        Assert.True(tp70 >= tp80 && fp70 >= fp80);
    }

    private static (int TruePositives, int FalsePositives, int FalseNegatives, List<string> Misses) Evaluate(decimal threshold)
    {
        int truePositives = 0, falsePositives = 0, falseNegatives = 0;
        var misses = new List<string>();
        foreach ((string query, SanctionsEntryType? kind, long? expected, string note) in LabelledSet())
        {
            IReadOnlyList<ScreeningHit> hits = Screener.Screen(query, kind, threshold).Value.Hits;
            bool found = expected is { } uid && hits.Any(h => h.Uid == uid);
            truePositives += found ? 1 : 0;
            falseNegatives += expected is not null && !found ? 1 : 0;
            int wrong = hits.Count(h => h.Uid != expected);
            falsePositives += wrong;
            if ((expected is not null && !found) || wrong > 0)
            {
                misses.Add($"  {query} ({note}): expected {expected?.ToString(CultureInfo.InvariantCulture) ?? "none"}, hits {string.Join(", ", hits.Select(h => h.Uid))}");
            }
        }
        return (truePositives, falsePositives, falseNegatives, misses);
    }

    private static List<(string Query, SanctionsEntryType? Kind, long? Expected, string Note)> LabelledSet()
    {
        using var csv = new CsvStream(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Sanctions", "Samples", "labelled-names.csv")));
        return csv.Records().Skip(1).Select(record =>
        {
            Assert.Null(record.Error);
            string[] f = record.Fields;
            SanctionsEntryType? kind = f[1] switch
            {
                "" => null,
                "individual" => SanctionsEntryType.Individual,
                "entity" => SanctionsEntryType.Entity,
                "vessel" => SanctionsEntryType.Vessel,
                "aircraft" => SanctionsEntryType.Aircraft,
                _ => throw new FormatException($"line {record.Line}: kind '{f[1]}'"),
            };
            return (f[0], kind, f[2].Length == 0 ? (long?)null : long.Parse(f[2], CultureInfo.InvariantCulture), f[3]);
        }).ToList();
    }
}
