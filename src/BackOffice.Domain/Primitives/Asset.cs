using System.Globalization;

namespace BackOffice.Domain.Primitives;

/// <summary>What kind of thing an asset counts.</summary>
public enum AssetKind
{
    /// <summary>Cash in an ISO 4217 currency; scale is the currency's minor unit.</summary>
    Currency = 1,

    /// <summary>Units of an instrument (securities); scale is the smallest tradable fraction.</summary>
    Instrument = 2,
}

/// <summary>
/// What a posting counts: a currency (cash) or an instrument (securities), with the number of
/// decimal places an amount of it may carry. The ledger stores every amount as a whole number of
/// the asset's smallest unit ("units"): 12.34 USD is 1234 units at scale 2. That makes sums exact
/// in both databases and makes the hashed form of an entry canonical (10.0 and 10 are one value).
/// </summary>
public sealed record Asset(AssetId Id, string Code, AssetKind Kind, int Scale)
{
    /// <summary>Most decimal places any asset may have.</summary>
    public const int ScaleMax = 8;

    /// <summary>
    /// Converts an amount to units. Returns false when the amount carries more decimal places than
    /// the asset allows, or does not fit in 64 bits: the ledger never rounds silently.
    /// </summary>
    public bool TryToUnits(decimal amount, out long units)
    {
        units = 0;
        decimal scaled = amount * Pow10(Scale);
        if (scaled != decimal.Truncate(scaled) || scaled > long.MaxValue || scaled < long.MinValue)
        {
            return false;
        }
        units = (long)scaled;
        return true;
    }

    /// <summary>Converts units back to an amount with exactly <see cref="Scale"/> decimal places.</summary>
    public decimal ToAmount(long units)
    {
        // Built from its bits so the result carries exactly Scale decimal places (12.00, not 12).
        ulong magnitude = units < 0 ? unchecked((ulong)-(units + 1) + 1) : (ulong)units;
        return unchecked(new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, units < 0, (byte)Scale));
    }

    /// <summary>Formats units as an amount with the asset's scale, invariant culture (for CSV output).</summary>
    public string Format(long units) => ToAmount(units).ToString(CultureInfo.InvariantCulture);

    private static decimal Pow10(int scale)
    {
        decimal result = 1m;
        for (int i = 0; i < scale; i++)
        {
            result *= 10m;
        }
        return result;
    }
}
