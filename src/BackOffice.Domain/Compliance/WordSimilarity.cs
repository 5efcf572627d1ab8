namespace BackOffice.Domain.Compliance;

/// <summary>
/// How alike two spelling keys are, in points from 0 (nothing alike) to <see cref="Scale"/> (the same),
/// in integer arithmetic so that every machine gives the same score to the last point.
/// <para>
/// Two keys are compared at all only when they are <see cref="Related"/>: equal, one deletion apart on
/// either side or both (a letter missing, added, changed, or two neighbours swapped), or with the same
/// consonant skeleton (vowels differ). The similarity of related keys is the mean of their Jaro-Winkler
/// similarity, which rewards a shared beginning and forgives transposed letters, and of one minus their
/// Damerau-Levenshtein distance over the longer length, which counts edits; the mean keeps a long
/// shared beginning from hiding a different ending.
/// </para>
/// </summary>
internal static class WordSimilarity
{
    /// <summary>Points of a perfect match: similarities and scores are in ten-thousandths.</summary>
    public const int Scale = 10_000;

    /// <summary>Shortest key that has deletion keys: one letter off a three-letter word is another word.</summary>
    public const int DeletionLengthMin = 4;

    /// <summary>Shortest consonant skeleton used as a key.</summary>
    public const int SkeletonLengthMin = 3;

    /// <summary>Longest key compared letter by letter; longer keys match only when equal.</summary>
    public const int KeyLengthMax = 64;

    /// <summary>The similarity of two keys in points, or 0 when they are not <see cref="Related"/>.</summary>
    public static int Of(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return Scale;
        }
        if (!Related(a, b))
        {
            return 0;
        }
        return (JaroWinkler(a, b) + EditSimilarity(a, b)) / 2;
    }

    /// <summary>
    /// <see cref="Of"/> when it is at least <paramref name="minimum"/> points, else 0; faster than
    /// <see cref="Of"/>, as it stops as soon as the words cannot reach the minimum: the mean of two
    /// similarities of at most 1 reaches it only when the edit similarity is at least 2 × minimum − 1.
    /// </summary>
    public static int AtLeast(string a, string b, int minimum)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return Scale;
        }
        int longer = Math.Max(a.Length, b.Length);
        int editMinimum = 2 * minimum - Scale;
        // The length difference alone is that many edits.
        if ((long)Scale * (longer - Math.Abs(a.Length - b.Length)) < (long)editMinimum * longer || !Related(a, b))
        {
            return 0;
        }
        int edit = EditSimilarity(a, b);
        if (edit < editMinimum)
        {
            return 0;
        }
        int similarity = (JaroWinkler(a, b) + edit) / 2;
        return similarity >= minimum ? similarity : 0;
    }

    /// <summary>
    /// True when <paramref name="a"/> and <paramref name="b"/> share one of their <see cref="Keys"/>:
    /// this is the relation the screening index is built on, decided here directly.
    /// </summary>
    public static bool Related(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }
        if (HasDigit(a) || HasDigit(b) || a.Length > KeyLengthMax || b.Length > KeyLengthMax)
        {
            return false;
        }
        if (OneDeletion(a, b) || OneDeletion(b, a) || DeletionEach(a, b))
        {
            return true;
        }
        string? skeletonA = Skeleton(a), skeletonB = Skeleton(b);
        return skeletonA is not null && string.Equals(skeletonA, skeletonB, StringComparison.Ordinal);
    }

    /// <summary>
    /// The blocking keys of a spelling key: the key itself; for keys of four letters or more, the key with
    /// each one letter deleted; and, prefixed with '#', its consonant skeleton of three letters or more.
    /// Keys holding a digit, and keys longer than <see cref="KeyLengthMax"/>, have only themselves.
    /// </summary>
    public static IEnumerable<string> Keys(string key)
    {
        yield return key;
        if (HasDigit(key) || key.Length > KeyLengthMax)
        {
            yield break;
        }
        if (key.Length >= DeletionLengthMin)
        {
            for (int i = 0; i < key.Length; i++)
            {
                yield return string.Concat(key.AsSpan(0, i), key.AsSpan(i + 1));
            }
        }
        if (Skeleton(key) is { } skeleton)
        {
            yield return "#" + skeleton;
        }
    }

    /// <summary>
    /// The first letter and then the consonants, a repeated consonant once ("horoshev" → "hrshv"), or null
    /// when that is shorter than <see cref="SkeletonLengthMin"/>.
    /// </summary>
    public static string? Skeleton(string key)
    {
        if (key.Length < SkeletonLengthMin || HasDigit(key))
        {
            return null;
        }
        Span<char> letters = stackalloc char[Math.Min(key.Length, KeyLengthMax)];
        int length = 0;
        letters[length++] = key[0];
        for (int i = 1; i < letters.Length; i++)
        {
            char c = key[i];
            if (!NameNormalizer.IsVowel(c) && c != letters[length - 1])
            {
                letters[length++] = c;
            }
        }
        return length >= SkeletonLengthMin ? new string(letters[..length]) : null;
    }

    /// <summary>
    /// Jaro-Winkler similarity in points (prefix scale 0.1, a common prefix of up to four letters, applied
    /// when the Jaro similarity is at least 0.7), computed as one fraction and rounded down once.
    /// </summary>
    public static int JaroWinkler(string a, string b)
    {
        (long numerator, long denominator) = Jaro(a, b);
        if (numerator == 0)
        {
            return 0;
        }
        int prefix = 0;
        if (10 * numerator >= 7 * denominator)
        {
            while (prefix < 4 && prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
            {
                prefix++;
            }
        }
        // jaro + prefix * (1 - jaro) / 10, with jaro = numerator / denominator.
        return (int)(Scale * (10 * numerator + prefix * (denominator - numerator)) / (10 * denominator));
    }

    /// <summary>One minus the Damerau-Levenshtein (optimal string alignment) distance over the longer length, in points.</summary>
    public static int EditSimilarity(string a, string b)
    {
        int longer = Math.Max(a.Length, b.Length);
        return longer == 0 ? Scale : Scale * (longer - Distance(a, b)) / longer;
    }

    /// <summary>The Jaro similarity as a fraction: (m/la + m/lb + (m - t)/m) / 3 over the common denominator 3·la·lb·m.</summary>
    private static (long Numerator, long Denominator) Jaro(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return (0, 1);
        }
        int window = Math.Max(0, Math.Max(a.Length, b.Length) / 2 - 1);
        Span<bool> matchedA = stackalloc bool[a.Length];
        Span<bool> matchedB = stackalloc bool[b.Length];
        int matches = 0;
        for (int i = 0; i < a.Length; i++)
        {
            int from = Math.Max(0, i - window), to = Math.Min(b.Length - 1, i + window);
            for (int j = from; j <= to; j++)
            {
                if (!matchedB[j] && a[i] == b[j])
                {
                    matchedA[i] = matchedB[j] = true;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0)
        {
            return (0, 1);
        }
        int outOfOrder = 0;
        for (int i = 0, j = 0; i < a.Length; i++)
        {
            if (!matchedA[i])
            {
                continue;
            }
            while (!matchedB[j])
            {
                j++;
            }
            if (a[i] != b[j])
            {
                outOfOrder++;
            }
            j++;
        }
        long m = matches, la = a.Length, lb = b.Length, t = outOfOrder / 2;
        return (m * lb * m + m * la * m + (m - t) * la * lb, 3 * la * lb * m);
    }

    private static int Distance(string a, string b)
    {
        int columns = b.Length + 1;
        Span<int> previous2 = stackalloc int[columns];
        Span<int> previous = stackalloc int[columns];
        Span<int> current = stackalloc int[columns];
        for (int j = 0; j < columns; j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j < columns; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int best = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    best = Math.Min(best, previous2[j - 2] + 1);
                }
                current[j] = best;
            }
            Span<int> recycled = previous2;
            previous2 = previous;
            previous = current;
            current = recycled;
        }
        return previous[columns - 1];
    }

    /// <summary>True when <paramref name="shorter"/> is <paramref name="longer"/> with one letter deleted (and the longer has deletion keys).</summary>
    private static bool OneDeletion(string longer, string shorter)
    {
        if (longer.Length != shorter.Length + 1 || longer.Length < DeletionLengthMin)
        {
            return false;
        }
        int prefix = CommonPrefix(longer, shorter);
        int suffix = CommonSuffix(longer, shorter);
        return prefix + suffix >= shorter.Length;
    }

    /// <summary>True when one letter deleted from each of two keys of one length (four or more) leaves the same text.</summary>
    private static bool DeletionEach(string a, string b)
    {
        int n = a.Length;
        if (n != b.Length || n < DeletionLengthMin)
        {
            return false;
        }
        int prefix = CommonPrefix(a, b);
        int suffix = CommonSuffix(a, b);
        if (prefix + suffix >= n - 1)
        {
            return true; // the same position deleted: one letter changed
        }
        // Different positions: between the common prefix and suffix one key is the other shifted by one.
        int end = n - 1 - suffix;
        return Shifted(a, b, prefix, end) || Shifted(b, a, prefix, end);
    }

    /// <summary>True when x[k + 1] == y[k] for every k in [from, to).</summary>
    private static bool Shifted(string x, string y, int from, int to)
    {
        for (int k = from; k < to; k++)
        {
            if (x[k + 1] != y[k])
            {
                return false;
            }
        }
        return true;
    }

    private static int CommonPrefix(string a, string b)
    {
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }
        return i;
    }

    private static int CommonSuffix(string a, string b)
    {
        int i = 0;
        while (i < a.Length && i < b.Length && a[^(i + 1)] == b[^(i + 1)])
        {
            i++;
        }
        return i;
    }

    private static bool HasDigit(string key) => key.AsSpan().IndexOfAnyInRange('0', '9') >= 0;
}
