using System.Globalization;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Domain.Accounting;

/// <summary>A day's change of the firm's own position in a foreign currency.</summary>
public readonly record struct CurrencyFlow(LocalDate Date, decimal Amount);

/// <summary>
/// One foreign currency revalued: the firm's net position in it, what that position cost in the
/// reporting currency (each day's flow at that day's rate), what it is worth at the closing rate,
/// and the difference, the unrealized FX gain (positive) or loss, rounded to the reporting
/// currency's minor units.
/// </summary>
public sealed record CurrencyRevaluation(string Currency, string ReportingCurrency, decimal Position, decimal HistoricalValue, decimal ClosingRate,
    LocalDate ClosingRateDate, decimal ClosingValue, decimal Unrealized);

/// <summary>
/// Revaluation of the firm's foreign-currency positions. In a ledger balanced per currency, the
/// firm's own net position in a currency is what its income, expense and equity accounts hold in
/// it (negated): the EUR commissions it earned and has not converted, less the EUR fees it paid.
/// Each day's change of that position entered the books at that day's rate; at the close the whole
/// position is worth <c>position × closing rate</c>, and the difference is unrealized FX P&amp;L. The
/// revaluation entry is reversed on the next business day, so the books carry one revaluation at a
/// time and each day's is computed afresh from history (the method of a "reversing" revaluation).
/// </summary>
public static class FxRevaluation
{
    /// <summary>
    /// Revalues <paramref name="flows"/> (in date order) at <paramref name="rates"/>, each the rate
    /// in force from its date: one unit of <paramref name="currency"/> in <paramref name="reporting"/>.
    /// A flow dated before the first rate, or a closing date with no rate, is refused naming both.
    /// The historical value is kept at full precision; only the unrealized amount is rounded
    /// (half away from zero, like valuations).
    /// </summary>
    public static Result<CurrencyRevaluation> Revalue(string currency, string reporting, IReadOnlyList<CurrencyFlow> flows,
        IReadOnlyList<(LocalDate Date, decimal Rate)> rates, LocalDate close, int reportingScale)
    {
        Invariant.That(currency != reporting, "a currency is revalued into another");
        decimal position = 0m, historical = 0m;
        int r = -1;
        foreach (CurrencyFlow flow in flows)
        {
            Invariant.That(flow.Date <= close, "flows are on or before the close");
            while (r + 1 < rates.Count && rates[r + 1].Date <= flow.Date)
            {
                r++;
            }
            if (r < 0)
            {
                return Missing(currency, reporting, flow.Date);
            }
            position += flow.Amount;
            historical += flow.Amount * rates[r].Rate;
        }
        while (r + 1 < rates.Count && rates[r + 1].Date <= close)
        {
            r++;
        }
        if (r < 0)
        {
            return Missing(currency, reporting, close);
        }
        (LocalDate rateDate, decimal closing) = rates[r];
        decimal value = position * closing;
        decimal unrealized = Math.Round(value - historical, reportingScale, MidpointRounding.AwayFromZero);
        return new CurrencyRevaluation(currency, reporting, position, historical, closing, rateDate, value, unrealized);
    }

    /// <summary>
    /// The rates of <paramref name="currency"/> in <paramref name="reporting"/> from rates quoted
    /// either way round (an inverse quote is inverted); when a day has both, the direct quote wins.
    /// </summary>
    public static IReadOnlyList<(LocalDate Date, decimal Rate)> Rates(string currency, string reporting, IEnumerable<FxRate> quotes)
    {
        var byDate = new SortedDictionary<LocalDate, decimal>();
        foreach (FxRate quote in quotes.OrderBy(q => q.Base == currency ? 1 : 0))
        {
            if (quote.Base == currency && quote.Quote == reporting)
            {
                byDate[quote.Date] = quote.Rate;
            }
            else if (quote.Base == reporting && quote.Quote == currency && quote.Rate != 0m)
            {
                byDate[quote.Date] = 1m / quote.Rate;
            }
        }
        return byDate.Select(p => (p.Key, p.Value)).ToList();
    }

    private static Rejection Missing(string currency, string reporting, LocalDate date) =>
        new("eod.fx-rate", string.Create(CultureInfo.InvariantCulture,
            $"no {currency}/{reporting} rate on or before {LocalDatePattern.Iso.Format(date)}; load the rate (refdata import fx-rates) and run again"));
}
