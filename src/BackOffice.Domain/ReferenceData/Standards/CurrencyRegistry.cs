using System.Collections.Frozen;
using System.Globalization;
using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.ReferenceData.Standards;

/// <summary>
/// The ISO 4217 currencies in circulation (List One of the maintenance agency, SIX) with their
/// minor units: the number of decimal places a cash amount in that currency carries (USD 2, JPY 0,
/// KWD 3, CLF 4). Loaded once, on first use, from <c>iso4217-currencies.csv</c> embedded in this
/// assembly; the source, its publication date and its licence are in the README beside that file and
/// in <c>docs/reference/identifiers.md</c>.
/// </summary>
/// <remarks>
/// Codes that ISO 4217 lists without a minor unit (gold XAU, silver XAG, SDR XDR, the test code XTS,
/// "no currency" XXX and the bond-market units) are left out: the back office cannot hold cash in them.
/// Funds codes with a minor unit (for example USN, CLF, UYW) are included. Look-up is exact: codes
/// are upper case.
/// </remarks>
public static class CurrencyRegistry
{
    /// <summary>The embedded file the currencies are read from.</summary>
    public const string FileName = "iso4217-currencies.csv";

    /// <summary>Largest minor unit the list may contain; ISO 4217 uses 0 to 4.</summary>
    public const int MinorUnitsMax = 4;

    private static readonly Lazy<FrozenDictionary<string, Currency>> ByCode = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<IReadOnlyList<Currency>> Ordered = new(
        () => [.. ByCode.Value.Values.OrderBy(c => c.Code, StringComparer.Ordinal)], LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<FrozenDictionary<string, int>> MinorUnits = new(
        () => ByCode.Value.ToFrozenDictionary(p => p.Key, p => p.Value.MinorUnits, StringComparer.Ordinal), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Number of currencies (166 in the shipped list).</summary>
    public static int Count => ByCode.Value.Count;

    /// <summary>Every currency, in alphabetical order of code.</summary>
    public static IReadOnlyList<Currency> All => Ordered.Value;

    /// <summary>Minor units by alphabetic code, for example USD → 2, JPY → 0, KWD → 3.</summary>
    public static IReadOnlyDictionary<string, int> MinorUnitsByCode => MinorUnits.Value;

    /// <summary>The currency with an alphabetic code such as "EUR"; false for a code not in the list.</summary>
    public static bool TryGet(string code, out Currency currency)
    {
        if (code is not null && ByCode.Value.TryGetValue(code, out Currency? found))
        {
            currency = found;
            return true;
        }
        currency = null!;
        return false;
    }

    /// <summary>The minor units of a currency code; false (and 0) for a code not in the list.</summary>
    public static bool TryGetMinorUnits(string code, out int minorUnits)
    {
        bool known = TryGet(code, out Currency currency);
        minorUnits = known ? currency.MinorUnits : 0;
        return known;
    }

    private static FrozenDictionary<string, Currency> Load()
    {
        Dictionary<string, Currency> currencies = new(StringComparer.Ordinal);
        foreach (string[] row in StandardsCsv.ReadRows(FileName, "alpha3,numeric,minor_units,name"))
        {
            string code = row[0];
            Invariant.That(code.Length == 3 && code.All(char.IsAsciiLetterUpper), $"{FileName}: bad code '{code}'");
            int numeric = ParseNumber(row[1], 999, code);
            int minorUnits = ParseNumber(row[2], MinorUnitsMax, code);
            Invariant.That(currencies.TryAdd(code, new Currency(code, numeric, minorUnits, row[3])), $"{FileName}: duplicate code {code}");
        }
        return currencies.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static int ParseNumber(string text, int max, string code)
    {
        bool parsed = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value);
        Invariant.That(parsed && value <= max, $"{FileName}: {code} has a bad number '{text}'");
        return value;
    }
}
