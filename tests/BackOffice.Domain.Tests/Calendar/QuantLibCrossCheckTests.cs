using BackOffice.Domain.Calendar;
using NodaTime;

namespace BackOffice.Domain.Tests.Calendar;

/// <summary>
/// Every day from 2000 to 2030 compared with QuantLib's calendars (the QLNet port), a maintained
/// library used across the industry. The two agree except on the days listed, each with the reason
/// ours is right (sources in docs/reference/calendars.md). A new difference fails the test.
/// </summary>
public sealed class QuantLibCrossCheckTests
{
    public static TheoryData<string, string[]> Calendars => new()
    {
        // QLNet 1.13.2 predates the NYSE closure for President Carter's national day of mourning.
        { "XNYS", ["2025-01-09"] },
        { "XLON", [] },
        { "TARGET2", [] },
        // Before the 2007 holidays law, 6 May was a substitute holiday only after a national holiday on
        // Sunday; in 2003 the Sunday (4 May) was not yet Greenery Day, so the TSE was open on 6 May.
        { "XTKS", ["2003-05-06"] },
        // Deutsche Börse closes Xetra on 31 December, and on the one-off days in calendars.md.
        { "XETR", ["2000-10-03", "2001-12-31", "2002-12-31", "2003-12-31", "2004-12-31", "2007-05-28", "2007-12-31", "2008-12-31",
                   "2009-12-31", "2010-12-31", "2012-12-31", "2013-12-31", "2014-12-31", "2015-12-31", "2016-05-16", "2016-10-03",
                   "2017-06-05", "2017-10-03", "2017-10-31", "2018-10-03", "2018-12-31", "2019-12-31", "2020-06-01", "2020-12-31",
                   "2021-05-24", "2021-12-31", "2024-12-31", "2025-12-31", "2026-12-31", "2027-12-31", "2029-12-31", "2030-12-31"] },
        // Euronext closes early on 24 and 31 December (14:05 CET); QuantLib counts those as holidays.
        { "XPAR", Enumerable.Range(2001, 30).SelectMany(y => new[] { new LocalDate(y, 12, 24), new LocalDate(y, 12, 31) })
                   .Where(d => d.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday))
                   .Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToArray() },
        // The Federal Reserve does not observe a Saturday holiday on the Friday before (Juneteenth 2027).
        { "USFED", ["2027-06-18"] },
    };

    private static QLNet.Calendar QuantLib(string code) => code switch
    {
        "XNYS" => new QLNet.UnitedStates(QLNet.UnitedStates.Market.NYSE),
        "XLON" => new QLNet.UnitedKingdom(QLNet.UnitedKingdom.Market.Exchange),
        "TARGET2" => new QLNet.TARGET(),
        "XTKS" => new QLNet.Japan(),
        "XETR" => new QLNet.Germany(QLNet.Germany.Market.Xetra),
        "XPAR" => new QLNet.France(QLNet.France.Market.Exchange),
        "USFED" => new QLNet.UnitedStates(QLNet.UnitedStates.Market.FederalReserve),
        _ => throw new ArgumentOutOfRangeException(nameof(code)),
    };

    [Theory, MemberData(nameof(Calendars))]
    public void Every_day_agrees_with_QuantLib_except_the_documented_ones(string code, string[] documented)
    {
        Assert.True(MarketCalendars.TryGetTradingCalendar(code, out BusinessCalendar ours));
        QLNet.Calendar theirs = QuantLib(code);
        var differences = new List<string>();
        for (LocalDate day = BusinessCalendar.FirstCoveredDate; day <= BusinessCalendar.LastCoveredDate; day = day.PlusDays(1))
        {
            if (ours.IsBusinessDay(day) != theirs.isBusinessDay(new QLNet.Date(day.Day, day.Month, day.Year)))
            {
                differences.Add(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        Assert.Equal(documented, differences);
    }
}
