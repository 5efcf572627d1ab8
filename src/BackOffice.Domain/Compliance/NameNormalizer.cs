using System.Globalization;
using System.Text;

namespace BackOffice.Domain.Compliance;

/// <summary>How much a word of a name says about who is named, which sets its weight in a score.</summary>
public enum NameWordClass
{
    /// <summary>An ordinary name word ("khoroshev", "dialog", "532"): full weight, and the words screening looks up.</summary>
    Distinctive = 1,

    /// <summary>A common business word ("trading", "international", "bank"): four tenths of the weight.</summary>
    Generic = 2,

    /// <summary>A legal form, article, conjunction or honorific ("ltd", "of", "the", "jr"): a tenth of the weight.</summary>
    Filler = 3,
}

/// <summary>
/// One word of a name after normalization. <paramref name="Text"/> is the word as written, in lower-case
/// ASCII ("dmitry"); <paramref name="Key"/> is its spelling key, with transliteration variants folded
/// ("dmitri"), which is what words are compared by; <paramref name="AlternateKey"/> is the key without
/// a joined Arabic article ("alhassan" → "hasan"), or for a known spelling the key of the word as
/// written ("mostafa", keyed "mustafa"), or null.
/// </summary>
public readonly record struct NameWord(string Text, string Key, string? AlternateKey, NameWordClass Class)
{
    /// <summary>True for a single letter: an initial, compared only by its letter.</summary>
    public bool IsInitial => Text.Length == 1 && char.IsAsciiLetter(Text[0]);

    /// <summary>True for a word holding a digit: compared only for equality (vessel and aircraft marks).</summary>
    public bool HasDigit => Text.AsSpan().IndexOfAnyInRange('0', '9') >= 0;
}

/// <summary>
/// Puts names into one comparable form, so that spelling, script and punctuation do not decide a
/// match. The steps, in order:
/// <list type="number">
/// <item>Accents dropped from Latin letters as Unicode's compatibility decomposition (NFKD) would drop
/// them ("Dmítry" → "dmitry", "Nguyễn" → "nguyen"), ligatures and full-width letters spelt out, and the
/// letters that do not decompose replaced (ß ss, æ ae, œ oe, ø o, ł l, đ d, ð d, þ th, ı i, ħ h).</item>
/// <item>Cyrillic letters transliterated to Latin (Х kh, Ж zh, Ц ts, Ч ch, Ш sh, Щ shch, Ю yu, Я ya,
/// Ы y, Ъ and Ь dropped; Ukrainian І Ї Є Ґ too). Other scripts (Arabic, Chinese, Greek) are kept as
/// written and match only the same script.</item>
/// <item>Lower case; apostrophes dropped ("D'S" → "ds"); initialisms joined ("S.R.O." → "sro"); every
/// other punctuation mark, hyphen and symbol a space.</item>
/// <item>The Arabic article and filiation words standing alone dropped: al, el, ul, bin, ibn, bint.</item>
/// </list>
/// Each word then gets a spelling key (<see cref="Fold"/>) that folds common transliteration variants.
/// Everything here is a pure function of the text.
/// </summary>
public static class NameNormalizer
{
    private static readonly HashSet<string> Dropped = new(StringComparer.Ordinal) { "al", "el", "ul", "bin", "ibn", "bint", "binti" };

    private static readonly HashSet<string> Fillers = new(StringComparer.Ordinal)
    {
        // Articles, conjunctions and prepositions of the languages common on the lists.
        "and", "of", "the", "for", "in", "on", "at", "to", "de", "del", "della", "der", "den", "des", "du", "da", "das",
        "do", "dos", "di", "la", "le", "les", "lo", "van", "von", "et", "und", "po", "na", "im", "ve", "va",
        // Legal forms.
        "co", "company", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc", "llp", "lp", "plc",
        "sa", "sas", "sarl", "srl", "sro", "spa", "ag", "gmbh", "kg", "bv", "nv", "oy", "ab", "as", "jsc", "ojsc",
        "pjsc", "cjsc", "ooo", "oao", "zao", "pao", "ao", "tov", "fze", "fzco", "fzc", "pte", "pvt", "sdn", "bhd",
        "kft", "doo", "private", "public", "joint", "stock",
        // Russian and Ukrainian legal forms written out in transliteration, as the SDN list writes many
        // entities: obshchestvo s ogranichennoi otvetstvennostyu (limited liability company), aktsionernoe
        // obshchestvo (joint-stock company), zakrytoe, otkrytoe, publichnoe (closed, open, public),
        // tovarystvo z obmezhenoyu vidpovidalnistyu (the Ukrainian LLC). Spellings vary: each common one.
        "obshchestvo", "obshestvo", "ogranichennoi", "ogranichennoy", "ogranichennoj", "otvetstvennostyu", "otvetstvennostiu",
        "otvetstvennostju", "aktsionernoe", "aktsionernoye", "aktsionernoi", "zakrytoe", "zakrytoye", "otkrytoe", "otkrytoye",
        "publichnoe", "publichnoye", "tovarystvo", "tovaristvo", "obmezhenoyu", "obmezhenoiu", "vidpovidalnistyu", "vidpovidalnistiu",
        // Honorifics and generational suffixes.
        "mr", "mrs", "ms", "dr", "sheikh", "shaykh", "haji", "hajji", "jr", "sr", "ii", "iii", "iv",
    };

    private static readonly HashSet<string> Generics = new(StringComparer.Ordinal)
    {
        "bank", "trading", "trade", "international", "group", "holding", "holdings", "industries", "industry",
        "industrial", "shipping", "services", "service", "enterprise", "enterprises", "investment", "investments",
        "general", "global", "import", "export", "commercial", "development", "foundation", "organization",
        "organisation", "center", "centre", "association", "institute", "national", "energy", "oil", "gas",
        "petroleum", "petrochemical", "marine", "maritime", "logistics", "construction", "engineering", "technology",
        "technologies", "manufacturing", "factory", "exchange", "finance", "financial", "capital", "partners",
        "management", "solutions", "systems", "products", "resources", "agency", "charity", "fund", "airlines",
        "air", "transport", "project", "projects", "office", "union", "society", "establishment", "firm",
    };

    // Lower-case Latin letters with accents (Latin-1 Supplement, Latin Extended-A and -B, Latin Extended
    // Additional) and the letter each decomposes to under Unicode NFKD once its marks are removed. Kept as
    // data because string.Normalize does nothing under invariant globalization, which every project runs in.
    private const string AccentedLetters =
        "àáâãäåçèéêëìíîïñòóôõöùúûüýÿāăąćĉċčďēĕėęěĝğġģĥĩīĭįĵķĺļľńņňōŏőŕŗřś" +
        "ŝşšţťũūŭůűųŵŷźżžſơưǎǐǒǔǖǘǚǜǟǡǧǩǫǭǰǵǹǻȁȃȅȇȉȋȍȏȑȓȕȗșțȟȧȩȫȭȯȱȳḁḃḅḇḉ" +
        "ḋḍḏḑḓḕḗḙḛḝḟḡḣḥḧḩḫḭḯḱḳḵḷḹḻḽḿṁṃṅṇṉṋṍṏṑṓṕṗṙṛṝṟṡṣṥṧṩṫṭṯṱṳṵṷṹṻṽṿẁẃẅẇẉ" +
        "ẋẍẏẑẓẕẖẗẘẙẛạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ";

    private const string BaseLetters =
        "aaaaaaceeeeiiiinooooouuuuyyaaaccccdeeeeegggghiiiijklllnnnooorrrs" +
        "sssttuuuuuuwyzzzsouaiouuuuuaagkoojgnaaaeeiioorruusthaeooooyabbbc" +
        "dddddeeeeefghhhhhiikkkllllmmmnnnnoooopprrrrsssssttttuuuuuvvwwwww" +
        "xxyzzzhtwysaaaaaaaaaaaaeeeeeeeeiioooooooooooouuuuuuuyyyy";

    private static readonly Dictionary<char, char> Unaccented = AccentedLetters.Zip(BaseLetters).ToDictionary(p => p.First, p => p.Second);

    // Spelling variants of common given names that the letter rules below do not bring together. Only
    // transliterations of one name, never translations (Pyotr is not Peter).
    private static readonly Dictionary<string, string> Variants = BuildVariants(
        ("muhammad", ["mohammed", "mohammad", "mohamed", "mohamad", "muhammed", "muhamad", "muhamed", "mohammet", "mohd", "mhd"]),
        ("ahmad", ["ahmed", "ahmet"]),
        ("yusuf", ["yousef", "yousuf", "youssef", "yusef", "yussuf", "yousif", "yusif", "jusuf"]),
        ("husayn", ["hussein", "husain", "hussain", "hossein", "husein", "hussien", "husseyn"]),
        ("hasan", ["hassan", "hasson"]),
        ("abd", ["abdul", "abdel", "abdal", "abdol", "abdoul", "abdu"]),
        ("usama", ["osama", "oussama"]),
        ("umar", ["omar", "omer"]),
        ("uthman", ["othman", "osman", "usman", "othmane"]),
        ("khalid", ["khaled"]),
        ("mahmud", ["mahmoud", "mahmood"]),
        ("mustafa", ["mostafa", "moustafa", "mustapha", "moustapha"]),
        ("yahya", ["yahia", "yehia", "yahiya"]),
        ("ibrahim", ["ebrahim", "ibraheem"]),
        ("ismail", ["ismael", "ismayil"]),
        ("abu", ["abou"]),
        ("said", ["saeed", "sayed", "sayyid", "sayid"]),
        ("aleksandr", ["alexander", "aleksander", "alexandr", "alexandre"]),
        ("yevgeny", ["evgeny", "evgeniy", "yevgeniy", "evgenii", "yevgenii"]),
        ("pyotr", ["petr", "piotr"]));

    /// <summary>A Latin letter without its accents, lower case ('É' is 'e'); any other character lower-cased.</summary>
    public static char Unaccent(char c)
    {
        char lower = char.ToLowerInvariant(c);
        return Unaccented.TryGetValue(lower, out char plain) ? plain : lower;
    }

    /// <summary>Longest name normalized, in characters; a longer one is not a name.</summary>
    public const int NameLengthMax = 1024;

    /// <summary>
    /// The name with accents, script, case and punctuation normalized, words in their original order and
    /// separated by single spaces ("KHOROSHEV, Dmítry" → "khoroshev dmitry"). Dropped words are kept here.
    /// </summary>
    public static string Plain(string name) => string.Join(' ', Split(name));

    /// <summary>The words of <paramref name="name"/>, in order, with the standalone articles dropped (see the type's summary).</summary>
    public static IReadOnlyList<NameWord> Words(string name)
    {
        var words = new List<NameWord>();
        foreach (string text in Split(name))
        {
            if (Dropped.Contains(text))
            {
                continue;
            }
            NameWordClass wordClass = Fillers.Contains(text) ? NameWordClass.Filler
                : Generics.Contains(text) ? NameWordClass.Generic
                : NameWordClass.Distinctive;
            string key = Fold(text);
            string? alternate = null;
            if (text.Length >= 7 && (text.StartsWith("al", StringComparison.Ordinal) || text.StartsWith("el", StringComparison.Ordinal)))
            {
                // The article written joined to the name: "alhassan" is also "hassan". Only when at least five
                // letters remain, so that "albert" does not become "bert".
                alternate = Fold(text[2..]);
            }
            else if (Variants.ContainsKey(text) && FoldLetters(text) is var written && written != key)
            {
                // A known spelling ("mostafa" keyed as "mustafa") is also kept as written, so that a
                // misspelling of it that the table does not know ("mostofa") is still one letter away.
                alternate = written;
            }
            words.Add(new NameWord(text, key, alternate, wordClass));
        }
        return words;
    }

    /// <summary>
    /// The spelling key of one normalized word: known variants of common given names first
    /// ("mohammed" → "muhammad"), then these letter rules in order, on the whole word:
    /// a leading "ye" is "e" (Yevgeny, Evgeny); "yo" after a consonant "e" (Artyom, Artem); "shch" "sh"; "sch" "sh"; "tch" "ch"; "dzh" and "dj" "i" (as for "j", below);
    /// "kh" "h"; "gh" "g"; "ph" "f"; "th" "t"; "dh" "d"; "ck" "k"; "q" "k"; "x" "ks"; "w" "v"; "tz" "ts";
    /// "ou" "u"; "oo" "u"; "ee" "i"; "j" "i"; "y" "i"; then any doubled letter once ("hassan" → "hasan"),
    /// and a final "h" after a vowel dropped ("abdullah" → "abdula"). Words holding a digit are kept as they are.
    /// </summary>
    public static string Fold(string word)
    {
        if (word.AsSpan().IndexOfAnyInRange('0', '9') >= 0)
        {
            return word;
        }
        return FoldLetters(Variants.GetValueOrDefault(word, word));
    }

    /// <summary>The letter rules of <see cref="Fold"/> alone, without the table of known spellings.</summary>
    private static string FoldLetters(string text)
    {
        if (text.AsSpan().IndexOfAnyInRange('0', '9') >= 0)
        {
            return text;
        }
        if (text.StartsWith("ye", StringComparison.Ordinal))
        {
            text = text[1..];
        }
        var folded = new StringBuilder(text.Length + 2);
        for (int i = 0; i < text.Length;)
        {
            if (i > 0 && !IsVowel(text[i - 1]) && text[i - 1] != 'y' && string.CompareOrdinal(text, i, "yo", 0, 2) == 0)
            {
                // Cyrillic ё after a consonant, written yo or e: Artyom and Artem, Fyodor and Fedor.
                folded.Append('e');
                i += 2;
                continue;
            }
            (string replacement, int consumed) = Rule(text, i);
            folded.Append(replacement);
            i += consumed;
        }
        var result = new StringBuilder(folded.Length);
        for (int i = 0; i < folded.Length; i++)
        {
            if (i > 0 && folded[i] == folded[i - 1])
            {
                continue;
            }
            result.Append(folded[i]);
        }
        if (result.Length > 2 && result[^1] == 'h' && IsVowel(result[^2]))
        {
            result.Length--;
        }
        return result.ToString();
    }

    /// <summary>True for a, e, i, o, u (a key has no y: it is folded to i).</summary>
    internal static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';

    private static (string Replacement, int Consumed) Rule(string text, int i)
    {
        ReadOnlySpan<char> rest = text.AsSpan(i);
        if (rest.StartsWith("shch", StringComparison.Ordinal))
        {
            return ("sh", 4);
        }
        if (rest.StartsWith("sch", StringComparison.Ordinal))
        {
            return ("sh", 3);
        }
        if (rest.StartsWith("tch", StringComparison.Ordinal))
        {
            return ("ch", 3);
        }
        if (rest.StartsWith("dzh", StringComparison.Ordinal))
        {
            return ("i", 3);
        }
        if (rest.Length >= 2)
        {
            string? pair = rest[..2] switch
            {
                "dj" => "i",
                "kh" => "h",
                "gh" => "g",
                "ph" => "f",
                "th" => "t",
                "dh" => "d",
                "ck" => "k",
                "tz" => "ts",
                "ou" => "u",
                "oo" => "u",
                "ee" => "i",
                _ => null,
            };
            if (pair is not null)
            {
                return (pair, 2);
            }
        }
        return rest[0] switch
        {
            'q' => ("k", 1),
            'x' => ("ks", 1),
            'w' => ("v", 1),
            'j' or 'y' => ("i", 1),
            char c => (c.ToString(), 1),
        };
    }

    /// <summary>The normalized words of <paramref name="name"/>, none dropped.</summary>
    private static List<string> Split(string name)
    {
        string text = name.Length > NameLengthMax ? name[..NameLengthMax] : name;
        var words = new List<string>();
        var word = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsAsciiLetter(c) || char.IsAsciiDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (c is '\'' or '\u2019' or '\u2018' or '\u02BC' or '\u02BB' or '`' or '\u00B4' or '\u2032')
            {
                // An apostrophe joins: O'Brien is obrien, D'S is ds.
            }
            else if (c == '.' && JoinsInitialism(text, i))
            {
                // The period of an initialism: S.R.O. is sro.
            }
            else if (char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                // An accent left by the decomposition.
            }
            else if (c is >= '\uFF01' and <= '\uFF5E')
            {
                // A full-width form: the ASCII character it is a wide copy of.
                char narrow = (char)(c - 0xFEE0);
                if (char.IsAsciiLetterOrDigit(narrow))
                {
                    word.Append(char.ToLowerInvariant(narrow));
                }
                else
                {
                    Flush(word, words);
                }
            }
            else if (char.IsLetterOrDigit(c))
            {
                word.Append(Letter(char.ToLowerInvariant(c)));
            }
            else
            {
                Flush(word, words);
            }
        }
        Flush(word, words);
        return words;
    }

    private static void Flush(StringBuilder word, List<string> words)
    {
        if (word.Length > 0)
        {
            words.Add(word.ToString());
            word.Clear();
        }
    }

    /// <summary>True when the period at <paramref name="i"/> follows a single letter and precedes a letter: "S.R", not "ST.P".</summary>
    private static bool JoinsInitialism(string text, int i) =>
        i >= 1 && i + 1 < text.Length && char.IsLetter(text[i - 1]) && char.IsLetter(text[i + 1])
        && (i == 1 || !char.IsLetter(text[i - 2]));

    /// <summary>A lower-case letter outside ASCII: its Latin spelling, or the letter itself for scripts not transliterated.</summary>
    private static string Letter(char c) => Unaccented.TryGetValue(c, out char plain) ? plain.ToString() : c switch
    {
        'ß' => "ss",
        'ĳ' => "ij",
        'ǆ' or 'ǳ' => "dz",
        'ǉ' => "lj",
        'ǌ' => "nj",
        'ﬀ' => "ff",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        'ﬃ' => "ffi",
        'ﬄ' => "ffl",
        'ﬅ' or 'ﬆ' => "st",
        'İ' => "i",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' or 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        'ħ' => "h",
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' or 'ґ' => "g",
        'д' => "d",
        'е' or 'э' => "e",
        'є' => "ye",
        'ж' => "zh",
        'з' => "z",
        'и' or 'і' or 'й' => "i",
        'ё' => "e",
        'ї' => "yi",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' or 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        _ => c.ToString(),
    };

    private static Dictionary<string, string> BuildVariants(params (string Canonical, string[] Variants)[] groups)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string canonical, string[] variants) in groups)
        {
            foreach (string variant in variants)
            {
                map.Add(variant, canonical);
            }
        }
        return map;
    }
}
