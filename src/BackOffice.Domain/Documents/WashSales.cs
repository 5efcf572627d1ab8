using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Documents;

/// <summary>How long a lot was held when it was sold, as Form 1099-B reports it (box 2).</summary>
public enum GainTerm
{
    /// <summary>Held one year or less: taxed as ordinary income in the United States.</summary>
    ShortTerm = 1,

    /// <summary>Held more than one year.</summary>
    LongTerm = 2,
}

/// <summary>The holding-period rule that decides short or long term.</summary>
public static class HoldingPeriod
{
    /// <summary>
    /// Long term when the lot was held more than one year: the holding period starts the day after
    /// the acquisition and includes the sale date, so a lot bought on 2025-03-10 and sold on
    /// 2026-03-10 (exactly one year) is short term, and sold on 2026-03-11 long term. A lot bought
    /// on 29 February reaches its anniversary on 28 February (NodaTime's year arithmetic).
    /// </summary>
    public static GainTerm Term(LocalDate acquired, LocalDate sold) => sold > acquired.PlusYears(1) ? GainTerm.LongTerm : GainTerm.ShortTerm;
}

/// <summary>
/// One lot, or part of one, that a sale closed, as the lot rules relieved it (the input of the
/// wash-sale rule). Amounts are in the instrument's currency: proceeds net of the sale's fees,
/// cost basis with the purchase's fees.
/// </summary>
/// <param name="SaleId">The closing trade (every lot a sale closes carries its id).</param>
/// <param name="LotId">The lot closed: the id of the purchase that opened it.</param>
/// <param name="ShortCover">True when a purchase covered a short sale: the lot was the short sale itself.</param>
public sealed record LotSale(long SaleId, string Account, string Instrument, long LotId, LocalDate Acquired, LocalDate Sold, decimal Quantity, decimal Proceeds,
    decimal CostBasis, bool ShortCover = false);

/// <summary>Units a purchase put into a lot: a possible replacement for a loss sale.</summary>
/// <param name="LotId">The lot the purchase opened (the purchase's trade id).</param>
public sealed record LotPurchase(string Account, string Instrument, long LotId, LocalDate Acquired, decimal Quantity);

/// <summary>
/// One row of a realized-gains report (Form 1099-B): a lot sold, with its basis as adjusted by
/// earlier wash sales, the loss a wash sale disallows, and the term.
/// </summary>
/// <param name="Acquired">The acquisition date reported: a replacement lot's own date moved back by the holding period it took over (box 1b).</param>
/// <param name="CostBasis">The lot's cost plus any loss disallowed on earlier sales that it replaced (box 1e).</param>
/// <param name="WashSaleDisallowed">The part of this sale's loss that is not allowed because replacement units were bought within 30 days (box 1g).</param>
/// <param name="ReplacementLots">The lots whose basis took this sale's disallowed loss, in the order they took it.</param>
public sealed record GainLine(long SaleId, string Account, string Instrument, long LotId, decimal Quantity, LocalDate Acquired, LocalDate Sold, decimal Proceeds,
    decimal CostBasis, decimal WashSaleDisallowed, GainTerm Term, IReadOnlyList<long> ReplacementLots)
{
    /// <summary>The gain or loss reported: proceeds less basis, plus the loss disallowed (a disallowed loss is not a loss this year).</summary>
    public decimal Gain => Proceeds - CostBasis + WashSaleDisallowed;
}

/// <summary>
/// The wash-sale rule (US Internal Revenue Code section 1091, as brokers report it on Form
/// 1099-B for the same instrument in the same account): a sale at a loss is a wash sale to the
/// extent the account bought the same instrument within 30 days before or after the sale. That
/// part of the loss is disallowed; it is added to the basis of the replacement units, and their
/// holding period takes over the sold lot's (it "tacks"), so the loss is deferred, not lost.
/// <para>
/// How units are matched: sales are taken in execution order; each loss lot looks for
/// replacement units among the account's purchases of the instrument dated from 30 days before
/// to 30 days after the sale, oldest first (then by lot id), leaving out the lots this same sale
/// closes, lots already closed before the sale, and units that already replaced an earlier loss.
/// Each replacement unit serves once. When fewer units were bought than sold, only their share
/// of the loss is disallowed. A replacement lot's added basis is spread over its units and
/// relieved with them when it is sold; its holding period tacks by the first loss it replaces.
/// Each piece of a disallowed loss is rounded to <c>moneyScale</c> decimals, half away from zero,
/// and the last piece of a fully replaced loss takes what is left, so the pieces add up to it.
/// A purchase that covers a short sale is reported short term and is not tested for wash sales.
/// </para>
/// </summary>
public static class WashSaleRule
{
    /// <summary>Days before and after a loss sale in which a purchase makes it a wash sale.</summary>
    public const int WindowDays = 30;

    // What the rule keeps per lot while it walks the sales: units still open, basis added by wash
    // sales not yet relieved, days of holding period taken over, and units still free to replace.
    private sealed class LotState(decimal open)
    {
        public decimal Open = open;
        public decimal AddedBasis;
        public int TackedDays;
        public decimal FreeToReplace = open;
    }

    /// <summary>
    /// The gain lines of <paramref name="sales"/> (given in execution order), with wash sales
    /// matched against <paramref name="purchases"/>. Lines come back in the order of the sales.
    /// </summary>
    public static IReadOnlyList<GainLine> Apply(IReadOnlyList<LotSale> sales, IReadOnlyList<LotPurchase> purchases, int moneyScale)
    {
        Invariant.That(moneyScale is >= 0 and <= 10, "money scale is 0 to 10 decimals");
        var lots = new Dictionary<(string Account, string Instrument, long Lot), LotState>();
        var byHolding = new Dictionary<(string Account, string Instrument), List<LotPurchase>>();
        foreach (LotPurchase purchase in purchases)
        {
            Invariant.That(purchase.Quantity > 0, "a purchase buys a positive quantity");
            lots[(purchase.Account, purchase.Instrument, purchase.LotId)] = new LotState(purchase.Quantity);
            (byHolding.TryGetValue((purchase.Account, purchase.Instrument), out List<LotPurchase>? list) ? list : byHolding[(purchase.Account, purchase.Instrument)] = []).Add(purchase);
        }
        foreach (List<LotPurchase> list in byHolding.Values)
        {
            list.Sort((a, b) => a.Acquired != b.Acquired ? a.Acquired.CompareTo(b.Acquired) : a.LotId.CompareTo(b.LotId));
        }
        var lines = new List<GainLine>(sales.Count);
        for (int i = 0; i < sales.Count; i++)
        {
            LotSale sale = sales[i];
            Invariant.That(sale.Quantity > 0, "a sale closes a positive quantity");
            var key = (sale.Account, sale.Instrument, sale.LotId);
            if (!lots.TryGetValue(key, out LotState? state))
            {
                // A short lot, or a lot whose purchase was not given: nothing was added to it.
                lots[key] = state = new LotState(sale.Quantity) { FreeToReplace = 0 };
            }
            decimal added = Relieve(state, sale.Quantity, moneyScale);
            LocalDate acquired = sale.Acquired.PlusDays(-state.TackedDays);
            decimal basis = sale.CostBasis + added;
            decimal loss = basis - sale.Proceeds;
            if (loss <= 0 || sale.ShortCover)
            {
                lines.Add(Line(sale, acquired, basis, 0m, []));
                continue;
            }
            // The lots this same sale closes are not its replacements.
            var closedBySale = new HashSet<long>();
            for (int j = i; j < sales.Count && sales[j].SaleId == sale.SaleId; j++)
            {
                closedBySale.Add(sales[j].LotId);
            }
            for (int j = i - 1; j >= 0 && sales[j].SaleId == sale.SaleId; j--)
            {
                closedBySale.Add(sales[j].LotId);
            }
            int heldDays = Period.Between(acquired, sale.Sold, PeriodUnits.Days).Days;
            (decimal disallowed, List<long> replacements) = Replace(sale, loss, heldDays, closedBySale, byHolding.GetValueOrDefault((sale.Account, sale.Instrument)) ?? [], lots,
                moneyScale);
            lines.Add(Line(sale, acquired, basis, disallowed, replacements));
        }
        return lines;
    }

    private static GainLine Line(LotSale sale, LocalDate acquired, decimal basis, decimal disallowed, IReadOnlyList<long> replacements) =>
        new(sale.SaleId, sale.Account, sale.Instrument, sale.LotId, sale.Quantity, acquired, sale.Sold, sale.Proceeds, basis, disallowed,
            sale.ShortCover ? GainTerm.ShortTerm : HoldingPeriod.Term(acquired, sale.Sold), replacements);

    // The share of a lot's added basis that goes with `quantity` of its units: all of it when the last units go.
    private static decimal Relieve(LotState state, decimal quantity, int moneyScale)
    {
        decimal added = quantity >= state.Open ? state.AddedBasis
            : Math.Round(state.AddedBasis * quantity / state.Open, moneyScale, MidpointRounding.AwayFromZero);
        state.AddedBasis -= added;
        state.Open = Math.Max(0m, state.Open - quantity);
        state.FreeToReplace = Math.Min(state.FreeToReplace, state.Open);
        return added;
    }

    // Matches a loss lot with replacement units and moves the disallowed loss onto them.
    private static (decimal Disallowed, List<long> Replacements) Replace(LotSale sale, decimal loss, int heldDays, HashSet<long> closedBySale,
        List<LotPurchase> candidates, Dictionary<(string, string, long), LotState> lots, int moneyScale)
    {
        LocalDate from = sale.Sold.PlusDays(-WindowDays), to = sale.Sold.PlusDays(WindowDays);
        decimal needed = sale.Quantity, disallowed = 0m;
        var replacements = new List<long>();
        foreach (LotPurchase purchase in candidates)
        {
            if (needed == 0 || purchase.Acquired > to)
            {
                break;
            }
            LotState replacement = lots[(purchase.Account, purchase.Instrument, purchase.LotId)];
            if (purchase.Acquired < from || closedBySale.Contains(purchase.LotId) || replacement.FreeToReplace <= 0)
            {
                continue;
            }
            decimal take = Math.Min(needed, replacement.FreeToReplace);
            needed -= take;
            // The last piece of a fully replaced loss takes the remainder, so the pieces add up to the loss.
            decimal piece = needed == 0 ? loss - disallowed : Math.Round(loss * take / sale.Quantity, moneyScale, MidpointRounding.AwayFromZero);
            disallowed += piece;
            replacement.FreeToReplace -= take;
            replacement.AddedBasis += piece;
            if (replacement.TackedDays == 0)
            {
                replacement.TackedDays = heldDays;
            }
            replacements.Add(purchase.LotId);
        }
        return (disallowed, replacements);
    }
}
