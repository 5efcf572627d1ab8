using BackOffice.Application.Lots;
using BackOffice.Application.Ports;
using BackOffice.Domain.Calendar;
using BackOffice.Domain.Lots;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Application.Reporting;

/// <summary>
/// One position valued: quantity from the ledger, cost from the open lots, market value at the
/// day's price, and the same in the account's base currency. A figure that cannot be computed is
/// null and the line carries the <see cref="Exception"/> that says why; it is never zero.
/// </summary>
public sealed record ValuationLine(
    string Account,
    string Instrument,
    decimal Quantity,
    string Currency,
    decimal Cost,
    decimal? Price,
    LocalDate? PriceDate,
    string? PriceSource,
    decimal? MarketValue,
    decimal? Unrealized,
    string BaseCurrency,
    decimal? FxRate,
    decimal? MarketValueBase,
    decimal? UnrealizedBase,
    string? Exception);

/// <summary>Positions valued as of a date, and the exceptions among them.</summary>
public sealed record Valuation(LocalDate AsOf, int MaxPriceAgeDays, IReadOnlyList<ValuationLine> Lines)
{
    /// <summary>Lines that could not be fully valued.</summary>
    public IReadOnlyList<ValuationLine> Exceptions { get; } = Lines.Where(l => l.Exception is not null).ToList();
}

/// <summary>
/// Marks client positions to market. Quantities are the ledger's (trade-date basis), costs the
/// open lots' (<see cref="LotService"/>); they must agree, and a position whose lots do not sum to
/// it is an exception. A price counts when it is dated on or before the as-of date and at most
/// <c>maxPriceAgeDays</c> business days of the listing market before it (default 0: the price of
/// the last business day); otherwise the position has a stale or missing price. Bond prices are
/// per 100 of face. Amounts are rounded to the currency's minor units, half away from zero.
/// </summary>
public sealed class ValuationService(IBackOfficeStore store)
{
    /// <summary>Values every client position as of <paramref name="asOf"/>, relieving lots by <paramref name="method"/> (each account's own when null).</summary>
    /// <param name="lots">The lots as of <paramref name="asOf"/> by <paramref name="method"/>, when the caller has run them already.</param>
    public async Task<Valuation> ValueAsync(LocalDate asOf, int maxPriceAgeDays, LotMethod? method, CancellationToken cancellationToken, LotBook? lots = null)
    {
        Domain.Primitives.Invariant.That(maxPriceAgeDays >= 0, "a price age is not negative");
        PositionReport positions = await new ReportService(store).PositionsAsync(asOf, null, BalanceBasis.EffectiveDate, cancellationToken);
        lots ??= await new LotService(store).RunAsync(asOf, method, cancellationToken);
        MarketData marks = await store.ReadMarksAsync(asOf, cancellationToken);
        TradeReferenceData reference = await store.ReadTradeReferenceAsync(cancellationToken);
        var costs = lots.Open.GroupBy(l => (l.Account, l.Instrument)).ToDictionary(g => g.Key, g => (Quantity: g.Sum(l => l.Lot.Quantity), Cost: g.Sum(l => l.Lot.TotalCost)));

        var lines = new List<ValuationLine>();
        foreach (PositionLine position in positions.Lines)
        {
            Instrument? instrument = reference.FindByIsin(position.Instrument);
            string currency = instrument?.Currency ?? "";
            string baseCurrency = reference.ClientAccounts.TryGetValue(position.Holder, out ClientAccount? account) ? account.BaseCurrency : currency;
            var (lotQuantity, cost) = costs.GetValueOrDefault((position.Holder, position.Instrument));
            string? exception = null;
            decimal? price = null, marketValue = null, unrealized = null, fx = null, marketValueBase = null, unrealizedBase = null;
            marks.Prices.TryGetValue(position.Instrument, out Price? mark);
            if (instrument is null)
            {
                exception = "instrument.unknown";
            }
            else if (lotQuantity != position.Quantity)
            {
                exception = "lots.position-mismatch";
            }
            else if (mark is null)
            {
                exception = "price.missing";
            }
            else if (mark.Currency != currency)
            {
                exception = "price.currency-mismatch";
            }
            else if (Stale(mark.Date, asOf, instrument.ListingMic, maxPriceAgeDays))
            {
                exception = "price.stale";
            }
            else
            {
                price = mark.Value;
                decimal perUnit = instrument.AssetClass == AssetClass.Debt ? mark.Value / 100m : mark.Value;
                int scale = reference.Currencies.TryGetValue(currency, out Currency? c) ? c.MinorUnits : 2;
                marketValue = Money(position.Quantity * perUnit, scale);
                unrealized = marketValue - cost;
                int baseScale = reference.Currencies.TryGetValue(baseCurrency, out Currency? b) ? b.MinorUnits : 2;
                if (Rate(marks, currency, baseCurrency) is { } rate)
                {
                    fx = rate;
                    marketValueBase = Money(marketValue.Value * rate, baseScale);
                    unrealizedBase = Money(unrealized.Value * rate, baseScale);
                }
                else
                {
                    exception = "fx.missing";
                }
            }
            lines.Add(new ValuationLine(position.Holder, position.Instrument, position.Quantity, currency, cost, price ?? mark?.Value, mark?.Date, mark?.Source,
                marketValue, unrealized, baseCurrency, fx, marketValueBase, unrealizedBase, exception));
        }
        return new Valuation(asOf, maxPriceAgeDays, lines);
    }

    // Rounded half away from zero to the currency's minor units, and written with all of them (104895.00, not 104895.0).
    private static decimal Money(decimal amount, int scale) =>
        Math.Round(amount, scale, MidpointRounding.AwayFromZero) + new decimal(0, 0, 0, false, (byte)scale);

    // Too old when more business days of the listing market than allowed lie after its date, up to the as-of date.
    private static bool Stale(LocalDate priceDate, LocalDate asOf, string mic, int maxAge) =>
        MarketCalendars.TryGetTradingCalendar(mic, out BusinessCalendar calendar) && BusinessCalendar.Covers(priceDate) && BusinessCalendar.Covers(asOf)
            ? calendar.BusinessDaysBetween(priceDate, asOf) > maxAge
            : Period.Between(priceDate, asOf, PeriodUnits.Days).Days > maxAge;

    // The rate from one currency to another: 1 for the same, the pair's rate, or the inverse of the reverse pair.
    private static decimal? Rate(MarketData marks, string from, string to) =>
        from == to ? 1m
        : marks.FxRates.TryGetValue((from, to), out FxRate? direct) ? direct.Rate
        : marks.FxRates.TryGetValue((to, from), out FxRate? reverse) ? 1m / reverse.Rate
        : null;
}
