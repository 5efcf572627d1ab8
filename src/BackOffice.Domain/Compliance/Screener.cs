using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.Compliance;

/// <summary>
/// Screens names against one version of a sanctions list, by fuzzy matching of names
/// (docs/reference/screening.md). Built once per list version, then immutable and safe to share
/// between threads; every method is a pure function of the list and its arguments, so the same name
/// gives the same hits in the same order every time.
/// <para>
/// A name is compared only with the list names that share a distinctive word with it, found through an
/// index: every word of every list name is filed under its blocking keys (its spelling key, the key
/// with one letter deleted, its consonant skeleton), so a screened word finds the list words it is
/// related to without comparing it with the whole list. Each list name reached that way is first held
/// against an upper bound of its score, and only a name that could reach the threshold is scored in
/// full. The result is the same as scoring every list name (a test checks it on random lists).
/// </para>
/// </summary>
public sealed class Screener
{
    /// <summary>
    /// The threshold the labelled test set supports (0.80, the same as two words need to pair;
    /// docs/reference/screening.md gives the precision and recall at it and around it). A firm sets its
    /// own: a lower one finds more variants and raises more false alerts.
    /// </summary>
    public const decimal RecommendedThreshold = 0.80m;

    /// <summary>Most words a screened name may have.</summary>
    public const int ScreenedWordsMax = 64;

    /// <summary>The lowest similarity at which two words are paired (0.80): below it they count as different words.</summary>
    internal const int WordSimilarityMin = 8_000;

    /// <summary>The similarity of an initial and a word that begins with it (0.80).</summary>
    internal const int InitialSimilarity = 8_000;

    /// <summary>What a missing second or later given name costs, in tenths of its weight.</summary>
    internal const int OptionalCostTenths = 3;

    /// <summary>Most distinct screened words whose look-ups one <see cref="ScreenAll"/> call remembers.</summary>
    internal const int LookupCacheMax = 1 << 20;

    private const int Scale = WordSimilarity.Scale;

    private readonly IndexedName[] _names;
    private readonly IndexedName[] _weakNames;
    private readonly SanctionsEntryType[] _nameTypes;
    private readonly int[] _nameCostMins;
    private readonly int[] _nameWeightMaxes;
    private readonly int[][] _nameForms;
    private readonly int[][] _nameAlternateForms;
    private readonly string[] _forms;
    private readonly Posting[] _postings;
    private readonly Dictionary<string, int[]> _blocks;
    private readonly Dictionary<char, Posting> _initials;
    private readonly Dictionary<string, int[]> _weakExact;

    /// <summary>Indexes the names of <paramref name="list"/>: primary names and strong aliases for fuzzy matching, weak aliases for exact matching.</summary>
    public Screener(SanctionsList list)
    {
        List = list;
        var names = new List<IndexedName>();
        var weakNames = new List<IndexedName>();
        for (int e = 0; e < list.Entries.Count; e++)
        {
            SanctionsEntry entry = list.Entries[e];
            AddName(names, e, entry, entry.Name, MatchedNameKind.PrimaryName, null);
            foreach (SanctionsAlias alias in entry.Aliases)
            {
                AddName(alias.Strength == AliasStrength.Weak ? weakNames : names, e, entry, alias.Name,
                    alias.Strength == AliasStrength.Weak ? MatchedNameKind.WeakAlias : MatchedNameKind.StrongAlias, alias.Type);
            }
        }
        _names = [.. names];
        _weakNames = [.. weakNames];
        // The fields the bound reads for every name a screened name reaches, kept apart from the names so
        // that the scan over them stays in a few arrays.
        _nameTypes = _names.Select(n => n.Type).ToArray();
        _nameCostMins = _names.Select(n => n.CostMin).ToArray();
        _nameWeightMaxes = _names.Select(n => n.WeightMax).ToArray();
        (_forms, _postings, _blocks, _initials, _nameForms, _nameAlternateForms) = BuildIndex(_names);
        _weakExact = _weakNames.Select((n, i) => (Key: ExactKey(n.Words), Index: i))
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Index).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The list version this screener screens against.</summary>
    public SanctionsList List { get; }

    /// <summary>How many names (primary names and strong aliases) are matched fuzzily.</summary>
    public int NameCount => _names.Length;

    /// <summary>How many distinct word spellings the index holds.</summary>
    public int FormCount => _forms.Length;

    /// <summary>Null when <paramref name="threshold"/> is usable: above 0, at most 1, at most four decimals.</summary>
    public static Rejection? CheckThreshold(decimal threshold) =>
        threshold is > 0m and <= 1m && decimal.Round(threshold, 4, MidpointRounding.ToZero) == threshold
            ? null
            : new Rejection("screening.threshold", $"the threshold must be above 0 and at most 1, with at most four decimals, not {threshold}");

    /// <summary>
    /// Screens one name. <paramref name="kind"/>, when given, limits the screening to entries of that
    /// type. Refused: a bad threshold (<c>screening.threshold</c>), a name longer than
    /// <see cref="NameNormalizer.NameLengthMax"/> characters or of more than <see cref="ScreenedWordsMax"/>
    /// words (<c>screening.name-too-long</c>).
    /// </summary>
    public Result<ScreeningResult> Screen(string name, SanctionsEntryType? kind, decimal threshold) =>
        ScreenAll([new ScreeningSubject("", name, kind)], threshold)[0];

    /// <summary>
    /// Screens every subject, in order: the result at position i is subject i's. One call remembers the
    /// index look-ups of the words it has seen, so a batch of many names costs less per name than
    /// screening them one by one. Sequential: to use more cores, give each core its own slice.
    /// </summary>
    public IReadOnlyList<Result<ScreeningResult>> ScreenAll(IReadOnlyList<ScreeningSubject> subjects, decimal threshold)
    {
        if (CheckThreshold(threshold) is { } badThreshold)
        {
            return subjects.Select(_ => (Result<ScreeningResult>)badThreshold).ToArray();
        }
        int points = (int)(threshold * Scale);
        var scratch = new Scratch(_names.Length, _forms.Length);
        var results = new Result<ScreeningResult>[subjects.Count];
        for (int i = 0; i < subjects.Count; i++)
        {
            ScreeningSubject subject = subjects[i];
            Result<Query> query = Query.Of(subject.Name);
            results[i] = query.Rejection is { } refused
                ? refused
                : Outcome(subject, query.Value, threshold, Candidates(query.Value, subject.Kind, points, scratch));
        }
        return results;
    }

    /// <summary>
    /// The same screening as <see cref="Screen"/>, without the index: every list name is tried. Slow; it
    /// exists to check the index against it.
    /// </summary>
    internal Result<ScreeningResult> ScreenEveryName(string name, SanctionsEntryType? kind, decimal threshold)
    {
        if (CheckThreshold(threshold) is { } badThreshold)
        {
            return badThreshold;
        }
        Result<Query> query = Query.Of(name);
        if (query.Rejection is { } refused)
        {
            return refused;
        }
        int points = (int)(threshold * Scale);
        var best = new Dictionary<int, (int Score, int Name)>();
        for (int n = 0; n < _names.Length; n++)
        {
            IndexedName listName = _names[n];
            bool shares = query.Value.Words.Where((_, i) => query.Value.Lookup[i])
                .Any(q => listName.Words.Any(c => PairSimilarity(q, c) > 0));
            if ((kind is null || listName.Type == kind) && shares)
            {
                Keep(best, listName.Entry, Align(query.Value, listName, Similarities(query.Value, listName)).Score, n, points);
            }
        }
        return Outcome(new ScreeningSubject("", name, kind), query.Value, threshold, WithWeakAliases(best, query.Value, kind));
    }

    /// <summary>The best name of each entry that scores at or above the threshold, found through the index.</summary>
    private Dictionary<int, (int Score, int Name)> Candidates(Query query, SanctionsEntryType? kind, int points, Scratch scratch)
    {
        var best = new Dictionary<int, (int Score, int Name)>();
        long otherWeight = 0;
        int otherCount = 0;
        var lookups = new WordLookup?[query.Words.Length];
        for (int i = 0; i < query.Words.Length; i++)
        {
            if (!query.Lookup[i])
            {
                otherWeight += query.Weights[i];
                otherCount++;
                continue;
            }
            lookups[i] = scratch.Lookup(this, query.Words[i]);
            foreach (Match match in lookups[i]!.Matches)
            {
                long similarity = match.Similarity, weight = query.Weights[i];
                int[] names = match.Posting.Names, weights = match.Posting.Weights;
                for (int k = 0; k < names.Length; k++)
                {
                    int n = names[k];
                    if (kind is not null && _nameTypes[n] != kind)
                    {
                        continue;
                    }
                    if (scratch.Bounds[n] == 0)
                    {
                        scratch.Touched.Add(n);
                    }
                    scratch.Bounds[n] += similarity * (weight + weights[k]);
                }
            }
        }
        foreach (int n in scratch.Touched)
        {
            // An upper bound of the score's numerator (each screened word at its best possible pairing) and a
            // lower bound of its denominator (every list word unpaired at its least cost): a name whose bound
            // is below the threshold cannot reach it.
            long bound = scratch.Bounds[n] + (long)Scale * (otherWeight + (long)otherCount * _nameWeightMaxes[n]);
            scratch.Bounds[n] = 0;
            if (bound >= (long)points * (query.WeightSum + _nameCostMins[n]))
            {
                IndexedName listName = _names[n];
                int cells = query.Words.Length * listName.Words.Length;
                int[] similarities = IndexedSimilarities(query, n, lookups, scratch.Matrix(cells));
                Keep(best, listName.Entry, Pair(query, listName, similarities, scratch.Keys(cells), scratch.PairedQuery, scratch.PairedList(listName.Words.Length)).Score, n, points);
            }
        }
        scratch.Touched.Clear();
        return WithWeakAliases(best, query, kind);
    }

    private static void Keep(Dictionary<int, (int Score, int Name)> best, int entry, int score, int name, int points)
    {
        // The best-scoring name of the entry, the earlier one (primary name before aliases) on a tie, however the names were reached.
        if (score >= points && (!best.TryGetValue(entry, out (int Score, int Name) known) || score > known.Score || (score == known.Score && name < known.Name)))
        {
            best[entry] = (score, name);
        }
    }

    /// <summary>Adds the entries whose weak alias is exactly the screened name (negative name numbers are weak names).</summary>
    private Dictionary<int, (int Score, int Name)> WithWeakAliases(Dictionary<int, (int Score, int Name)> best, Query query, SanctionsEntryType? kind)
    {
        if (_weakExact.TryGetValue(ExactKey(query.Words), out int[]? weak))
        {
            foreach (int w in weak)
            {
                IndexedName listName = _weakNames[w];
                if ((kind is null || listName.Type == kind) && (!best.TryGetValue(listName.Entry, out (int Score, int Name) known) || known.Score < Scale))
                {
                    best[listName.Entry] = (Scale, -1 - w);
                }
            }
        }
        return best;
    }

    private ScreeningResult Outcome(ScreeningSubject subject, Query query, decimal threshold, Dictionary<int, (int Score, int Name)> best)
    {
        ScreeningHit[] hits = best
            .Select(p => Hit(query, p.Value.Name >= 0 ? _names[p.Value.Name] : _weakNames[-1 - p.Value.Name], threshold))
            .OrderByDescending(h => h.Score).ThenBy(h => h.Uid)
            .ToArray();
        return new ScreeningResult(subject.Name, query.Normalized, subject.Kind, threshold, List.Version, List.PublishedOn, hits);
    }

    private ScreeningHit Hit(Query query, IndexedName listName, decimal threshold)
    {
        SanctionsEntry entry = List.Entries[listName.Entry];
        Alignment alignment = Align(query, listName, Similarities(query, listName));
        int score = listName.Kind == MatchedNameKind.WeakAlias ? Scale : alignment.Score;
        return new ScreeningHit(entry.Uid, entry.Name, entry.Type, entry.Programs, listName.Text, listName.Kind, listName.AliasType,
            Points(score), threshold, Explain(query, listName, alignment));
    }

    /// <summary>
    /// Pairs the words of a screened name with those of a list name, greedily: the most similar pair first
    /// (then the heavier, then the earlier), each word in at most one pair. The score is the similarity of
    /// each pair times its two weights, over the weight of every word (a missing optional given name at
    /// three tenths): 1 when every word pairs exactly, lower for each weak or missing pairing.
    /// </summary>
    private static Alignment Align(Query query, IndexedName listName, int[] similarities)
    {
        var keys = new long[similarities.Length];
        var pairedQuery = new int[query.Words.Length];
        var pairedList = new int[listName.Words.Length];
        (int score, int count) = Pair(query, listName, similarities, keys, pairedQuery, pairedList);
        var chosen = new List<(int Similarity, int Weight, int I, int J)>();
        for (int k = count - 1; k >= 0; k--)
        {
            (int similarity, int weight, int i, int j) = Decode(keys[k]);
            if (pairedQuery[i] == j)
            {
                chosen.Add((similarity, weight, i, j));
            }
        }
        return new Alignment(score, chosen, pairedQuery, pairedList);
    }

    /// <summary>
    /// The greedy pairing of <see cref="Align"/> into buffers the caller owns: <paramref name="keys"/> gets the
    /// candidate pairs in ascending order of strength (the first <c>Count</c>), <paramref name="pairedQuery"/>
    /// and <paramref name="pairedList"/> the word each word was paired with, or -1. Returns the score.
    /// </summary>
    private static (int Score, int Count) Pair(Query query, IndexedName listName, int[] similarities, long[] keys, int[] pairedQuery, int[] pairedList)
    {
        int rows = query.Words.Length, columns = listName.Words.Length, count = 0;
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                int similarity = similarities[i * columns + j];
                if (similarity > 0)
                {
                    keys[count++] = Encode(similarity, query.Weights[i] + listName.Weights[j], i, j);
                }
            }
        }
        Array.Sort(keys, 0, count);
        Array.Fill(pairedQuery, -1, 0, rows);
        Array.Fill(pairedList, -1, 0, columns);
        long numerator = 0;
        for (int k = count - 1; k >= 0; k--)
        {
            (int similarity, int weight, int i, int j) = Decode(keys[k]);
            if (pairedQuery[i] < 0 && pairedList[j] < 0)
            {
                pairedQuery[i] = j;
                pairedList[j] = i;
                numerator += (long)similarity * weight;
            }
        }
        long denominator = query.WeightSum;
        for (int j = 0; j < columns; j++)
        {
            denominator += pairedList[j] >= 0 ? listName.Weights[j] : listName.Costs[j];
        }
        return (denominator == 0 ? 0 : (int)(numerator / denominator), count);
    }

    // A candidate pair as one number whose order is the pairing order: similarity, then weight, then the
    // earlier screened word, then the earlier list word (both stored reversed, so larger is earlier).
    private const int PairWordBits = 14, PairQueryBits = 6, PairWeightBits = 24;

    private static long Encode(int similarity, int weight, int i, int j)
    {
        Invariant.That(i < 1 << PairQueryBits && j < 1 << PairWordBits && weight < 1 << PairWeightBits, "a name too long to pair");
        return ((long)similarity << (PairWeightBits + PairQueryBits + PairWordBits))
            | ((long)weight << (PairQueryBits + PairWordBits))
            | ((long)((1 << PairQueryBits) - 1 - i) << PairWordBits)
            | (long)((1 << PairWordBits) - 1 - j);
    }

    private static (int Similarity, int Weight, int I, int J) Decode(long key) => (
        (int)(key >> (PairWeightBits + PairQueryBits + PairWordBits)),
        (int)((key >> (PairQueryBits + PairWordBits)) & ((1 << PairWeightBits) - 1)),
        (1 << PairQueryBits) - 1 - (int)((key >> PairWordBits) & ((1 << PairQueryBits) - 1)),
        (1 << PairWordBits) - 1 - (int)(key & ((1 << PairWordBits) - 1)));

    /// <summary>The similarity of every screened word (rows) with every word of a list name (columns), by <see cref="PairSimilarity"/>.</summary>
    private static int[] Similarities(Query query, IndexedName listName)
    {
        int columns = listName.Words.Length;
        int[] similarities = new int[query.Words.Length * columns];
        for (int i = 0; i < query.Words.Length; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                similarities[i * columns + j] = PairSimilarity(query.Words[i], listName.Words[j]);
            }
        }
        return similarities;
    }

    /// <summary>
    /// The same similarities as <see cref="Similarities"/>, into <paramref name="similarities"/>, taking those of
    /// looked-up words from their look-ups rather than comparing the words again.
    /// </summary>
    private int[] IndexedSimilarities(Query query, int n, WordLookup?[] lookups, int[] similarities)
    {
        IndexedName listName = _names[n];
        int columns = listName.Words.Length;
        for (int i = 0; i < query.Words.Length; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                NameWord listed = listName.Words[j];
                if (lookups[i] is not { } lookup || listed.IsInitial)
                {
                    similarities[i * columns + j] = PairSimilarity(query.Words[i], listed);
                    continue;
                }
                int similarity = lookup.Similarities.GetValueOrDefault(_nameForms[n][j]);
                if (_nameAlternateForms[n][j] is >= 0 and int alternate)
                {
                    similarity = Math.Max(similarity, lookup.Similarities.GetValueOrDefault(alternate));
                }
                similarities[i * columns + j] = similarity;
            }
        }
        return similarities;
    }

    /// <summary>
    /// The similarity of a screened word and a list word in points, or 0 when they do not pair: initials
    /// pair with a word beginning with the same letter, other words when their keys (or a joined article's
    /// alternate keys) are related and at least <see cref="WordSimilarityMin"/> alike.
    /// </summary>
    internal static int PairSimilarity(NameWord screened, NameWord listed)
    {
        if (screened.IsInitial || listed.IsInitial)
        {
            if (screened.IsInitial && listed.IsInitial)
            {
                return screened.Text[0] == listed.Text[0] ? Scale : 0;
            }
            NameWord full = screened.IsInitial ? listed : screened;
            NameWord initial = screened.IsInitial ? screened : listed;
            return !full.HasDigit && full.Text[0] == initial.Text[0] ? InitialSimilarity : 0;
        }
        int best = WordSimilarity.AtLeast(screened.Key, listed.Key, WordSimilarityMin);
        if (screened.AlternateKey is { } screenedAlternate)
        {
            best = Math.Max(best, WordSimilarity.AtLeast(screenedAlternate, listed.Key, WordSimilarityMin));
        }
        if (listed.AlternateKey is { } listedAlternate)
        {
            best = Math.Max(best, WordSimilarity.AtLeast(screened.Key, listedAlternate, WordSimilarityMin));
            if (screened.AlternateKey is { } both)
            {
                best = Math.Max(best, WordSimilarity.AtLeast(both, listedAlternate, WordSimilarityMin));
            }
        }
        return best;
    }

    private static IEnumerable<string> Forms(NameWord word)
    {
        yield return word.Key;
        if (word.AlternateKey is { } alternate)
        {
            yield return alternate;
        }
    }

    private static List<WordMatch> Explain(Query query, IndexedName listName, Alignment alignment)
    {
        var words = new List<WordMatch>();
        foreach ((int similarity, int weight, int i, int j) in alignment.Pairs)
        {
            NameWord a = query.Words[i], b = listName.Words[j];
            WordMatchKind kind = a.IsInitial != b.IsInitial ? WordMatchKind.Initial
                : string.Equals(a.Text, b.Text, StringComparison.Ordinal) ? WordMatchKind.Same
                : similarity == Scale ? WordMatchKind.SameAfterFolding
                : WordMatchKind.Similar;
            words.Add(new WordMatch(a.Text, b.Text, Points(similarity), kind, weight));
        }
        for (int i = 0; i < query.Words.Length; i++)
        {
            if (alignment.PairedQuery[i] < 0)
            {
                words.Add(new WordMatch(query.Words[i].Text, null, 0m, WordMatchKind.ScreenedOnly, query.Weights[i]));
            }
        }
        for (int j = 0; j < listName.Words.Length; j++)
        {
            if (alignment.PairedList[j] < 0)
            {
                words.Add(new WordMatch(null, listName.Words[j].Text, 0m,
                    listName.Optional[j] ? WordMatchKind.ListOnlyOptional : WordMatchKind.ListOnly, listName.Costs[j]));
            }
        }
        return words;
    }

    private static decimal Points(int points) => points / (decimal)Scale;

    /// <summary>The words' keys in order of the keys: a name's identity for exact (weak alias) matching, whatever the word order.</summary>
    private static string ExactKey(IEnumerable<NameWord> words) => string.Join(' ', words.Select(w => w.Key).Order(StringComparer.Ordinal));

    private static int Weight(NameWord word) => Math.Max(1, word.Key.Length * word.Class switch
    {
        NameWordClass.Distinctive => 10,
        NameWordClass.Generic => 4,
        _ => 1,
    });

    private static void AddName(List<IndexedName> names, int entryIndex, SanctionsEntry entry, string text, MatchedNameKind kind, AliasType? aliasType)
    {
        // An individual's name is "LAST, First Middle". The surname says most about who is named: its words
        // count double. The given names after the first may be missing from a screened name, and cost
        // three tenths when they are.
        int comma = text.IndexOf(',', StringComparison.Ordinal);
        bool structured = entry.Type == SanctionsEntryType.Individual && comma > 0;
        IReadOnlyList<NameWord> surname = NameNormalizer.Words(structured ? text[..comma] : text);
        IReadOnlyList<NameWord> given = structured ? NameNormalizer.Words(text[(comma + 1)..]) : [];
        NameWord[] words = [.. surname, .. given];
        if (words.Length == 0)
        {
            return;
        }
        bool[] optional = words.Select((_, i) => i > surname.Count).ToArray();
        int[] weights = words.Select((w, i) => Weight(w) * (structured && i < surname.Count ? 2 : 1)).ToArray();
        int[] costs = weights.Select((w, i) => optional[i] ? Math.Max(1, w * OptionalCostTenths / 10) : w).ToArray();
        names.Add(new IndexedName(entryIndex, entry.Type, text, kind, aliasType, words, weights, costs, optional, costs.Sum(), weights.Max()));
    }

    private static (string[] Forms, Posting[] Postings, Dictionary<string, int[]> Blocks, Dictionary<char, Posting> Initials,
        int[][] NameForms, int[][] NameAlternateForms) BuildIndex(IndexedName[] names)
    {
        var formIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var postings = new List<List<(int Name, int Weight)>>();
        var initials = new SortedDictionary<char, List<(int Name, int Weight)>>();
        int[][] nameForms = new int[names.Length][], nameAlternateForms = new int[names.Length][];
        int Form(string form, int n, int weight)
        {
            if (!formIds.TryGetValue(form, out int id))
            {
                id = formIds.Count;
                formIds.Add(form, id);
                postings.Add([]);
            }
            AddPosting(postings[id], n, weight);
            return id;
        }
        for (int n = 0; n < names.Length; n++)
        {
            IndexedName name = names[n];
            nameForms[n] = new int[name.Words.Length];
            nameAlternateForms[n] = new int[name.Words.Length];
            for (int j = 0; j < name.Words.Length; j++)
            {
                NameWord word = name.Words[j];
                nameForms[n][j] = nameAlternateForms[n][j] = -1;
                if (word.IsInitial)
                {
                    if (!initials.TryGetValue(word.Text[0], out List<(int Name, int Weight)>? initial))
                    {
                        initials.Add(word.Text[0], initial = []);
                    }
                    AddPosting(initial, n, name.Weights[j]);
                    continue;
                }
                nameForms[n][j] = Form(word.Key, n, name.Weights[j]);
                if (word.AlternateKey is { } alternate)
                {
                    nameAlternateForms[n][j] = Form(alternate, n, name.Weights[j]);
                }
            }
        }
        string[] forms = new string[formIds.Count];
        foreach ((string form, int id) in formIds)
        {
            forms[id] = form;
        }
        var blocks = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int id = 0; id < forms.Length; id++)
        {
            foreach (string key in WordSimilarity.Keys(forms[id]).Distinct(StringComparer.Ordinal))
            {
                if (!blocks.TryGetValue(key, out List<int>? ids))
                {
                    blocks.Add(key, ids = []);
                }
                ids.Add(id);
            }
        }
        return (forms, postings.Select(p => new Posting(p)).ToArray(),
            blocks.ToDictionary(b => b.Key, b => b.Value.ToArray(), StringComparer.Ordinal),
            initials.ToDictionary(i => i.Key, i => new Posting(i.Value)), nameForms, nameAlternateForms);
    }

    /// <summary>
    /// Adds name <paramref name="n"/> once, with the heaviest weight a word of it filed here has: names are
    /// added in ascending order, so a repeat is the last one.
    /// </summary>
    private static void AddPosting(List<(int Name, int Weight)> posting, int n, int weight)
    {
        if (posting.Count > 0 && posting[^1].Name == n)
        {
            posting[^1] = (n, Math.Max(posting[^1].Weight, weight));
        }
        else
        {
            posting.Add((n, weight));
        }
    }

    /// <summary>The list names (in ascending order) holding a word form or an initial, each with that word's weight in it.</summary>
    private sealed class Posting(List<(int Name, int Weight)> entries)
    {
        public int[] Names { get; } = entries.Select(e => e.Name).ToArray();

        public int[] Weights { get; } = entries.Select(e => e.Weight).ToArray();
    }

    /// <summary>A list name as indexed: its words with their weights, what each costs when unpaired, and the bounds' inputs.</summary>
    private sealed record IndexedName(
        int Entry,
        SanctionsEntryType Type,
        string Text,
        MatchedNameKind Kind,
        AliasType? AliasType,
        NameWord[] Words,
        int[] Weights,
        int[] Costs,
        bool[] Optional,
        int CostMin,
        int WeightMax);

    /// <summary>A screened name, normalized: its words, their weights, and which of them are looked up in the index.</summary>
    private sealed record Query(string Normalized, NameWord[] Words, int[] Weights, int WeightSum, bool[] Lookup)
    {
        public static Result<Query> Of(string name)
        {
            if (name.Length > NameNormalizer.NameLengthMax)
            {
                return new Rejection("screening.name-too-long", $"a screened name may have at most {NameNormalizer.NameLengthMax} characters; this one has {name.Length}");
            }
            NameWord[] words = [.. NameNormalizer.Words(name)];
            if (words.Length > ScreenedWordsMax)
            {
                return new Rejection("screening.name-too-long", $"a screened name may have at most {ScreenedWordsMax} words; this one has {words.Length}");
            }
            int[] weights = words.Select(Weight).ToArray();
            // The distinctive words find the candidates; a name of common words only is looked up by all of them.
            bool anyDistinctive = words.Any(w => w.Class == NameWordClass.Distinctive && !w.IsInitial);
            bool[] lookup = words.Select(w => !w.IsInitial && (w.Class == NameWordClass.Distinctive || !anyDistinctive)).ToArray();
            return new Query(NameNormalizer.Plain(name), words, weights, weights.Sum(), lookup);
        }
    }

    private sealed record Alignment(int Score, List<(int Similarity, int Weight, int I, int J)> Pairs, int[] PairedQuery, int[] PairedList);

    /// <summary>List names holding a word that pairs with one screened word, and their similarity.</summary>
    private readonly record struct Match(Posting Posting, int Similarity);

    /// <summary>What the index gives for one screened word: the names it reaches, and its similarity with each word form it pairs with.</summary>
    private sealed record WordLookup(Match[] Matches, Dictionary<int, int> Similarities);

    /// <summary>The working memory of one <see cref="ScreenAll"/> call: score bounds per list name, and remembered look-ups.</summary>
    private sealed class Scratch(int names, int forms)
    {
        private readonly int[] _formStamps = new int[forms];
        private readonly Dictionary<string, WordLookup> _lookups = new(StringComparer.Ordinal);
        private int[] _matrix = new int[256];
        private long[] _keys = new long[256];
        private int[] _pairedList = new int[64];
        private int _stamp;

        public long[] Bounds { get; } = new long[names];

        public List<int> Touched { get; } = [];

        /// <summary>Which list word each screened word is paired with, for one list name at a time.</summary>
        public int[] PairedQuery { get; } = new int[ScreenedWordsMax];

        /// <summary>Candidate pair keys for at least <paramref name="cells"/> pairs, reused from one list name to the next.</summary>
        public long[] Keys(int cells)
        {
            if (_keys.Length < cells)
            {
                _keys = new long[cells];
            }
            return _keys;
        }

        /// <summary>Which screened word each list word is paired with, for a list name of <paramref name="words"/> words.</summary>
        public int[] PairedList(int words)
        {
            if (_pairedList.Length < words)
            {
                _pairedList = new int[words];
            }
            return _pairedList;
        }

        /// <summary>A similarity matrix of at least <paramref name="cells"/> cells, reused from one list name to the next.</summary>
        public int[] Matrix(int cells)
        {
            if (_matrix.Length < cells)
            {
                _matrix = new int[cells];
            }
            return _matrix;
        }

        /// <summary>The list words that pair with <paramref name="word"/>, by the index: each form sharing a blocking key with it, kept when alike enough.</summary>
        public WordLookup Lookup(Screener screener, NameWord word)
        {
            string cacheKey = $"{word.Key}\u0001{word.AlternateKey}\u0001{word.Text[0]}";
            if (_lookups.TryGetValue(cacheKey, out WordLookup? known))
            {
                return known;
            }
            var found = new List<Match>();
            var similarities = new Dictionary<int, int>();
            _stamp++;
            foreach (string form in Forms(word))
            {
                foreach (string key in WordSimilarity.Keys(form))
                {
                    if (!screener._blocks.TryGetValue(key, out int[]? ids))
                    {
                        continue;
                    }
                    foreach (int id in ids)
                    {
                        if (_formStamps[id] == _stamp)
                        {
                            continue;
                        }
                        _formStamps[id] = _stamp;
                        string listed = screener._forms[id];
                        int similarity = WordSimilarity.AtLeast(word.Key, listed, WordSimilarityMin);
                        if (word.AlternateKey is { } alternate)
                        {
                            similarity = Math.Max(similarity, WordSimilarity.AtLeast(alternate, listed, WordSimilarityMin));
                        }
                        if (similarity > 0)
                        {
                            found.Add(new Match(screener._postings[id], similarity));
                            similarities.Add(id, similarity);
                        }
                    }
                }
            }
            if (!word.HasDigit && screener._initials.TryGetValue(word.Text[0], out Posting? initial))
            {
                found.Add(new Match(initial, InitialSimilarity));
            }
            if (_lookups.Count >= LookupCacheMax)
            {
                _lookups.Clear();
            }
            var lookup = new WordLookup([.. found], similarities);
            _lookups.Add(cacheKey, lookup);
            return lookup;
        }
    }
}
