using NodaTime;

namespace BackOffice.Domain.Lots;

/// <summary>How a disposal chooses the lots it relieves.</summary>
public enum LotMethod
{
    /// <summary>First in, first out: the earliest acquisition first (the default).</summary>
    Fifo = 1,

    /// <summary>Last in, first out: the latest acquisition first.</summary>
    Lifo = 2,

    /// <summary>Highest in, first out: the highest unit cost first (for short lots, the highest unit proceeds).</summary>
    Hifo = 3,

    /// <summary>Average cost: the holding is one pool at its average unit cost.</summary>
    Average = 4,

    /// <summary>The lots the trade names, in the order it names them.</summary>
    Specific = 5,
}

/// <summary>
/// An open lot: what one fill acquired (or, for a short lot, sold short), at what cost, still held.
/// </summary>
/// <param name="Id">The lot's identity: the sequence of the fill that opened it (an average pool keeps its first fill's).</param>
/// <param name="Order">Execution order of the opening fill (FIFO and LIFO sort by it).</param>
/// <param name="AcquisitionDate">Trade date of the opening fill; splits keep it.</param>
/// <param name="Quantity">Units still open: positive for a long lot, negative for a short lot.</param>
/// <param name="TotalCost">
/// What the open units cost, fees included (for a short lot: minus the proceeds of the short sale,
/// net of fees), so <see cref="TotalCost"/> has the sign of <see cref="Quantity"/>.
/// </param>
/// <remarks>A value, not an object: a book of a million open lots holds them inline in its pools.</remarks>
public readonly record struct Lot(long Id, long Order, LocalDate AcquisitionDate, decimal Quantity, decimal TotalCost)
{
    /// <summary>Cost (or short proceeds) per unit.</summary>
    public decimal UnitCost => TotalCost / Quantity;

    /// <summary>True for a lot opened by a short sale.</summary>
    public bool IsShort => Quantity < 0;
}

/// <summary>One lot (or part of one) closed by a trade.</summary>
/// <param name="LotId">The lot relieved.</param>
/// <param name="AcquisitionDate">When the lot was opened.</param>
/// <param name="Quantity">Units closed (positive: long units sold, or short units covered).</param>
/// <param name="CostBasis">For long units, what they cost; for short units covered, what covering them cost.</param>
/// <param name="Proceeds">For long units, what selling them brought; for short units, what the short sale brought.</param>
public sealed record LotRelief(long LotId, LocalDate AcquisitionDate, decimal Quantity, decimal CostBasis, decimal Proceeds)
{
    /// <summary>Proceeds minus cost basis.</summary>
    public decimal Realized => Proceeds - CostBasis;
}

/// <summary>
/// A stock split or reverse split: each held unit becomes <see cref="New"/>/<see cref="Old"/> units
/// ("2:1" doubles a holding, "1:10" divides it by ten).
/// </summary>
public readonly record struct SplitRatio(decimal New, decimal Old)
{
    /// <summary>Units after the split per unit before it.</summary>
    public decimal Factor => New / Old;

    /// <summary>Reads "N:M" with N and M positive numbers.</summary>
    public static Primitives.Result<SplitRatio> Parse(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0
            && decimal.TryParse(text.AsSpan(0, colon), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out decimal newUnits)
            && decimal.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out decimal oldUnits)
            && newUnits > 0 && oldUnits > 0)
        {
            return new SplitRatio(newUnits, oldUnits);
        }
        return new Primitives.Rejection("lots.split-ratio", $"'{text}' is not a split ratio: write new:old with positive numbers, such as 2:1 or 1:10");
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Plain(New)}:{Plain(Old)}");

    // Without trailing zeros, however the number was stored (2.0 is 2).
    private static decimal Plain(decimal value) => value / 1.000000000000000000000000000000000m;
}
