using System.Collections.ObjectModel;
using System.Globalization;
using NodaTime;

namespace BackOffice.Domain.Calendar;

/// <summary>
/// Intended settlement dates of on-exchange trades: the trade date plus n business days of the
/// market's settlement system (not of the exchange). US equities count DTC days, Euronext and Xetra
/// count TARGET2/T2S days, London counts its own (CREST follows the England and Wales bank holidays),
/// and Tokyo counts JPX days. The standard n changed over time (see <see cref="StandardCycle"/>); an
/// explicit cycle of 0 to <see cref="CycleDaysMax"/> overrides it.
/// </summary>
/// <remarks>
/// Counting starts on the day after the trade date: T+1 is the first settlement business day after
/// the trade date, whether or not the trade date is itself a settlement day. T+0 settles on the trade
/// date when it is a settlement day, else on the next one.
/// <para>
/// <see cref="Compute"/> checks, in this order, so the same input always reports the same first rule:
/// <c>settlement.unknown-market</c>, <c>settlement.cycle-out-of-range</c>,
/// <c>settlement.trade-date-outside-calendar</c>, <c>settlement.trade-date-not-business-day</c>,
/// <c>settlement.date-outside-calendar</c>.
/// </para>
/// </remarks>
public static class SettlementDates
{
    /// <summary>Longest explicit cycle accepted, in business days (T+10).</summary>
    public const int CycleDaysMax = 10;

    /// <summary>
    /// Standard cycles by market, each row effective for trade dates on or after its date until the
    /// next row. Origins: docs/reference/calendars.md.
    /// </summary>
    private static readonly Dictionary<string, (LocalDate EffectiveFrom, int CycleDays)[]> StandardCycles =
        new(StringComparer.OrdinalIgnoreCase)
        {
            // SEC Rule 15c6-1: T+3 (1995), T+2 from 5 September 2017, T+1 from 28 May 2024.
            [MarketCalendars.Xnys] = UsCycles(),
            [MarketCalendars.Xnas] = UsCycles(),
            // EU and UK markets moved to T+2 on 6 October 2014 (CSDR Article 5 harmonisation).
            [MarketCalendars.Xlon] = [(BusinessCalendar.FirstCoveredDate, 3), (new LocalDate(2014, 10, 6), 2)],
            [MarketCalendars.Xpar] = [(BusinessCalendar.FirstCoveredDate, 3), (new LocalDate(2014, 10, 6), 2)],
            [MarketCalendars.Xams] = [(BusinessCalendar.FirstCoveredDate, 3), (new LocalDate(2014, 10, 6), 2)],
            // German exchange trades already settled T+2 before 2000 (ISSA Recommendations 2000, Germany).
            [MarketCalendars.Xetr] = [(BusinessCalendar.FirstCoveredDate, 2)],
            // JPX: T+2 for trades from 16 July 2019.
            [MarketCalendars.Xtks] = [(BusinessCalendar.FirstCoveredDate, 3), (new LocalDate(2019, 7, 16), 2)],
        };

    private static readonly Dictionary<string, string> SettlementCalendarCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        [MarketCalendars.Xnys] = MarketCalendars.Dtc,
        [MarketCalendars.Xnas] = MarketCalendars.Dtc,
        [MarketCalendars.Xlon] = MarketCalendars.Xlon,
        [MarketCalendars.Xpar] = MarketCalendars.Target2,
        [MarketCalendars.Xams] = MarketCalendars.Target2,
        [MarketCalendars.Xetr] = MarketCalendars.Target2,
        [MarketCalendars.Xtks] = MarketCalendars.Xtks,
    };

    /// <summary>The MICs that have settlement rules: XNYS, XNAS, XLON, XPAR, XAMS, XETR, XTKS.</summary>
    public static IReadOnlyList<string> Markets { get; } = new ReadOnlyCollection<string>(
        [MarketCalendars.Xnys, MarketCalendars.Xnas, MarketCalendars.Xlon, MarketCalendars.Xpar,
         MarketCalendars.Xams, MarketCalendars.Xetr, MarketCalendars.Xtks]);

    /// <summary>
    /// The intended settlement date of a trade agreed on <paramref name="mic"/> on
    /// <paramref name="tradeDate"/>, using <paramref name="cycleDays"/> when given, else the standard
    /// cycle for that market and date. Business rejections are returned, never thrown.
    /// </summary>
    public static SettlementDateResult Compute(string mic, LocalDate tradeDate, int? cycleDays)
    {
        if (mic is null || !SettlementCalendarCodes.TryGetValue(mic, out string? settlementCode))
        {
            return SettlementDateResult.Rejected("settlement.unknown-market",
                $"'{mic}' is not a market with settlement rules; known: {string.Join(", ", Markets)}");
        }
        string market = mic.ToUpperInvariant();
        if (cycleDays is < 0 or > CycleDaysMax)
        {
            return SettlementDateResult.Rejected("settlement.cycle-out-of-range", string.Create(CultureInfo.InvariantCulture,
                $"settlement cycle T+{cycleDays} is outside T+0..T+{CycleDaysMax}"));
        }
        if (!BusinessCalendar.Covers(tradeDate))
        {
            return SettlementDateResult.Rejected("settlement.trade-date-outside-calendar",
                $"trade date {BusinessCalendar.Iso(tradeDate)} is outside the covered range {BusinessCalendar.CoveredRangeText}");
        }
        if (!MarketCalendars.Get(market).IsBusinessDay(tradeDate))
        {
            return SettlementDateResult.Rejected("settlement.trade-date-not-business-day",
                $"trade date {BusinessCalendar.Iso(tradeDate)} is not a business day of {market}");
        }
        int cycle = cycleDays ?? StandardCycle(market, tradeDate);
        BusinessCalendar settlement = MarketCalendars.Get(settlementCode);
        if (!TrySettle(settlement, tradeDate, cycle, out LocalDate settlementDate))
        {
            return SettlementDateResult.Rejected("settlement.date-outside-calendar", string.Create(CultureInfo.InvariantCulture,
                $"T+{cycle} on {settlementCode} from {BusinessCalendar.Iso(tradeDate)} falls after {BusinessCalendar.Iso(BusinessCalendar.LastCoveredDate)}, the end of the covered range {BusinessCalendar.CoveredRangeText}"));
        }
        return SettlementDateResult.Accepted(settlementDate, cycle, settlement.Code);
    }

    /// <summary>
    /// The standard settlement cycle (the n of T+n) for a trade on <paramref name="mic"/> on
    /// <paramref name="tradeDate"/>: US T+3, T+2 from 2017-09-05, T+1 from 2024-05-28; London, Paris
    /// and Amsterdam T+3, T+2 from 2014-10-06; Xetra T+2; Tokyo T+3, T+2 from 2019-07-16.
    /// </summary>
    /// <exception cref="ArgumentException">The MIC is not one of <see cref="Markets"/>.</exception>
    public static int StandardCycle(string mic, LocalDate tradeDate)
    {
        if (mic is null || !StandardCycles.TryGetValue(mic, out (LocalDate EffectiveFrom, int CycleDays)[]? history))
        {
            throw new ArgumentException($"'{mic}' is not a market with settlement rules", nameof(mic));
        }
        int cycle = history[0].CycleDays;
        foreach ((LocalDate effectiveFrom, int days) in history)
        {
            if (tradeDate >= effectiveFrom)
            {
                cycle = days;
            }
        }
        return cycle;
    }

    private static bool TrySettle(BusinessCalendar settlement, LocalDate tradeDate, int cycle, out LocalDate settlementDate)
    {
        if (cycle > 0)
        {
            return settlement.TryAddBusinessDays(tradeDate, cycle, out settlementDate);
        }
        // T+0: the trade date itself when the settlement system is open, else its next business day.
        if (settlement.IsBusinessDay(tradeDate))
        {
            settlementDate = tradeDate;
            return true;
        }
        return settlement.TryAddBusinessDays(tradeDate, 1, out settlementDate);
    }

    private static (LocalDate EffectiveFrom, int CycleDays)[] UsCycles() =>
    [
        (BusinessCalendar.FirstCoveredDate, 3),
        (new LocalDate(2017, 9, 5), 2),
        (new LocalDate(2024, 5, 28), 1),
    ];
}
