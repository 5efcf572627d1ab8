using System.Collections.Frozen;
using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.ReferenceData.Standards;

/// <summary>
/// The ISO 3166-1 alpha-2 country codes (all 249 officially assigned codes, with their English short
/// names), used to check the country part of an ISIN, a BIC and an address. Loaded once, on first use,
/// from <c>iso3166-countries.csv</c> embedded in this assembly; the source and licence are in the
/// README beside that file and in <c>docs/reference/identifiers.md</c>.
/// </summary>
/// <remarks>
/// Only officially assigned codes are listed. User-assigned codes such as <c>XK</c> (Kosovo, used by
/// SWIFT in BICs) and the ISIN prefixes reserved by ISO 6166 (<c>XS</c>, <c>EU</c>...) are not country
/// codes; the identifier rules that accept them say so themselves. Look-up is exact: codes are
/// upper case.
/// </remarks>
public static class CountryRegistry
{
    /// <summary>The embedded file the codes are read from.</summary>
    public const string FileName = "iso3166-countries.csv";

    private static readonly Lazy<FrozenDictionary<string, string>> NamesByCode = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<IReadOnlyList<string>> Ordered = new(
        () => [.. NamesByCode.Value.Keys.Order(StringComparer.Ordinal)], LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Number of country codes (249 in the shipped list).</summary>
    public static int Count => NamesByCode.Value.Count;

    /// <summary>Every code, in alphabetical order.</summary>
    public static IReadOnlyList<string> Codes => Ordered.Value;

    /// <summary>True when <paramref name="alpha2"/> is an officially assigned ISO 3166-1 alpha-2 code (upper case).</summary>
    public static bool IsAssigned(string alpha2) => alpha2 is not null && NamesByCode.Value.ContainsKey(alpha2);

    /// <summary>The English short name of a code, for example "France" for FR; false for an unknown code.</summary>
    public static bool TryGetName(string alpha2, out string name)
    {
        if (alpha2 is not null && NamesByCode.Value.TryGetValue(alpha2, out string? found))
        {
            name = found;
            return true;
        }
        name = string.Empty;
        return false;
    }

    private static FrozenDictionary<string, string> Load()
    {
        Dictionary<string, string> names = new(StringComparer.Ordinal);
        foreach (string[] row in StandardsCsv.ReadRows(FileName, "alpha2,name"))
        {
            string code = row[0];
            Invariant.That(code.Length == 2 && code.All(char.IsAsciiLetterUpper), $"{FileName}: bad code '{code}'");
            Invariant.That(row[1].Length > 0, $"{FileName}: {code} has no name");
            Invariant.That(names.TryAdd(code, row[1]), $"{FileName}: duplicate code {code}");
        }
        return names.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
