using BackOffice.Domain.Trading;

namespace BackOffice.Domain.Compliance.TransactionReporting;

/// <summary>
/// The short-selling indicator (RTS 22 field 62) from the books: a sale is short, in whole or in
/// part, when the account held less than the quantity sold just before it, counting every active
/// trade of the account in the instrument in execution order (the trade-date position). ESMA's
/// guidelines ask for SESH for a sale short in whole or in part, SELL otherwise.
/// </summary>
public static class ShortSales
{
    /// <summary>
    /// The indicator of each sale in <paramref name="sales"/> (trade ids), from <paramref name="activeInExecutionOrder"/>:
    /// the latest version of every active trade up to the sales' date, in execution order.
    /// </summary>
    public static IReadOnlyDictionary<long, ShortSelling> Flags(IEnumerable<TradeVersion> activeInExecutionOrder, IReadOnlySet<long> sales)
    {
        var flags = new Dictionary<long, ShortSelling>();
        if (sales.Count == 0)
        {
            return flags;
        }
        var positions = new Dictionary<(string Account, string Isin), decimal>();
        foreach (TradeVersion t in activeInExecutionOrder)
        {
            var key = (t.Account, t.Isin);
            decimal before = positions.GetValueOrDefault(key);
            if (t.Side == TradeSide.Sell && sales.Contains(t.TradeId))
            {
                flags[t.TradeId] = before < t.Quantity ? ShortSelling.Short : ShortSelling.NotShort;
            }
            positions[key] = t.Side == TradeSide.Buy ? before + t.Quantity : before - t.Quantity;
        }
        return flags;
    }
}
