using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Domain.Lots;

/// <summary>
/// What the lot rules read of a trade: the latest version of an active trade, reduced to who holds
/// what, on which day, which way, how much, for how much (<paramref name="Gross"/> before charges,
/// <paramref name="Charges"/> their sum) and the lots it names, if any.
/// </summary>
/// <param name="LotIds">The lots a disposal names (specific identification); null when it names none.</param>
public readonly record struct LotTrade(long TradeId, string Account, string Isin, string Currency, LocalDate TradeDate, TradeSide Side, decimal Quantity,
    decimal Gross, decimal Charges, IReadOnlyList<long>? LotIds);
