using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Lots;

/// <summary>What a what-if row does.</summary>
public enum LotEventKind
{
    /// <summary>A purchase.</summary>
    Buy = 1,

    /// <summary>A sale.</summary>
    Sell = 2,

    /// <summary>A split or reverse split of an instrument, for every holder.</summary>
    Split = 3,
}

/// <summary>One row of a what-if history: a trade of one account, or a split of an instrument.</summary>
/// <param name="Sequence">The row's number: unique, and the execution order of trades on the same day.</param>
/// <param name="Account">The account (ignored for a split, which applies to every holder).</param>
/// <param name="Fees">Fees of the trade: added to a purchase's cost, taken from a sale's proceeds.</param>
/// <param name="Location">Where the row came from, for messages ("line 4").</param>
public sealed record LotEvent(long Sequence, LocalDate TradeDate, string Account, string Instrument, LotEventKind Kind, decimal Quantity, decimal Price,
    SplitRatio? Ratio, string Location, decimal Fees = 0m);

/// <summary>A trade that closed lots: a sale of long lots, or a purchase covering short lots.</summary>
public sealed record LotSale(long Sequence, string Account, string Instrument, LocalDate TradeDate, IReadOnlyList<LotRelief> Reliefs)
{
    /// <summary>Units closed.</summary>
    public decimal Quantity => Reliefs.Sum(r => r.Quantity);

    /// <summary>Proceeds of the closed units.</summary>
    public decimal Proceeds => Reliefs.Sum(r => r.Proceeds);

    /// <summary>Cost basis of the closed units.</summary>
    public decimal CostBasis => Reliefs.Sum(r => r.CostBasis);

    /// <summary>Realized gain (negative: loss).</summary>
    public decimal Realized => Proceeds - CostBasis;
}

/// <summary>The outcome of a what-if history: every closing trade and the lots left open.</summary>
public sealed record LotResult(IReadOnlyList<LotSale> Sales, IReadOnlyDictionary<(string Account, string Instrument), LotPool> Pools)
{
    /// <summary>Realized gain per account and instrument that closed anything, in ordinal order.</summary>
    public IEnumerable<(string Account, string Instrument, decimal Realized)> Gains =>
        Sales.GroupBy(s => (s.Account, s.Instrument))
            .OrderBy(g => g.Key.Account, StringComparer.Ordinal).ThenBy(g => g.Key.Instrument, StringComparer.Ordinal)
            .Select(g => (g.Key.Account, g.Key.Instrument, g.Sum(s => s.Realized)));

    /// <summary>Open lots per account and instrument in ordinal order, each pool's lots in the order they were opened.</summary>
    public IEnumerable<(string Account, string Instrument, Lot Lot)> OpenLots =>
        Pools.OrderBy(p => p.Key.Account, StringComparer.Ordinal).ThenBy(p => p.Key.Instrument, StringComparer.Ordinal)
            .SelectMany(p => p.Value.Lots.Select(l => (p.Key.Account, p.Key.Instrument, l)));
}

/// <summary>
/// Runs a history of trades and splits through the lot rules (<see cref="LotPool"/>): the same
/// engine the books use, exposed as a what-if calculator. Rows are applied by trade date; on one
/// date, splits first (they take effect before the day's trades), then trades by sequence.
/// </summary>
public static class LotCalculator
{
    /// <summary>Applies <paramref name="events"/> with every account relieving lots by <paramref name="method"/>.</summary>
    public static Result<LotResult> Run(IReadOnlyList<LotEvent> events, LotMethod method, int moneyScale = 2)
    {
        var seen = new Dictionary<long, string>();
        foreach (LotEvent e in events)
        {
            if (!seen.TryAdd(e.Sequence, e.Location))
            {
                return new Rejection("lots.sequence-duplicate", $"sequence {e.Sequence} is also used at {seen[e.Sequence]}", e.Location);
            }
        }
        var pools = new Dictionary<(string, string), LotPool>();
        var sales = new List<LotSale>();
        List<LotEvent> ordered = events.OrderBy(e => e.TradeDate).ThenBy(e => e.Kind == LotEventKind.Split ? 0 : 1).ThenBy(e => e.Sequence).ToList();
        for (int order = 0; order < ordered.Count; order++)
        {
            // FIFO and LIFO follow this processing order (by date, then sequence), not the sequence alone.
            LotEvent e = ordered[order];
            if (e.Kind == LotEventKind.Split)
            {
                foreach (var ((_, instrument), pool) in pools)
                {
                    if (instrument == e.Instrument)
                    {
                        pool.Split(e.Ratio!.Value);
                    }
                }
                continue;
            }
            if (!pools.TryGetValue((e.Account, e.Instrument), out LotPool? holding))
            {
                holding = new LotPool(method, moneyScale);
                pools[(e.Account, e.Instrument)] = holding;
            }
            decimal amount = e.Kind == LotEventKind.Buy ? e.Quantity * e.Price + e.Fees : e.Quantity * e.Price - e.Fees;
            Result<IReadOnlyList<LotRelief>> reliefs = e.Price < 0 ? new Rejection("lots.price", $"price must not be negative, not {e.Price}")
                : e.Fees < 0 ? new Rejection("lots.fees", $"fees must not be negative, not {e.Fees}")
                : e.Kind == LotEventKind.Buy
                    ? holding.Acquire(order, e.TradeDate, e.Quantity, amount, lotId: e.Sequence)
                    : holding.Dispose(order, e.TradeDate, e.Quantity, amount, lotId: e.Sequence);
            if (reliefs.Rejection is { } rejection)
            {
                return rejection.At(e.Location);
            }
            if (reliefs.Value.Count > 0)
            {
                sales.Add(new LotSale(e.Sequence, e.Account, e.Instrument, e.TradeDate, reliefs.Value));
            }
        }
        return new LotResult(sales, pools);
    }
}
