using BackOffice.Domain.Calendar;
using NodaTime;
using static BackOffice.Domain.Tests.Calendar.CalendarTestData;

namespace BackOffice.Domain.Tests.Calendar;

/// <summary>
/// The historical rules and one-off closures of 2000-2030, each date checked against the notice or
/// law named in docs/reference/calendars.md.
/// </summary>
public sealed class HolidayRuleTests
{
    [Theory]
    // NYSE one-off closures (NYSE notices; also in QuantLib's UnitedStates::NYSE calendar).
    [InlineData("XNYS", "2001-09-11")]
    [InlineData("XNYS", "2001-09-14")]
    [InlineData("XNYS", "2004-06-11")]
    [InlineData("XNYS", "2007-01-02")]
    [InlineData("XNYS", "2012-10-29")]
    [InlineData("XNYS", "2012-10-30")]
    [InlineData("XNYS", "2018-12-05")]
    [InlineData("XNAS", "2025-01-09")]
    // NYSE Rule 7.2: Saturday holidays close the Friday before, Sunday holidays the Monday after.
    [InlineData("XNYS", "2021-12-24")]
    [InlineData("XNYS", "2022-06-20")]
    [InlineData("XNYS", "2020-07-03")]
    [InlineData("XNYS", "2023-01-02")]
    // UK: moved and extra bank holidays (GOV.UK announcements).
    [InlineData("XLON", "2002-06-03")]
    [InlineData("XLON", "2002-06-04")]
    [InlineData("XLON", "2011-04-29")]
    [InlineData("XLON", "2012-06-04")]
    [InlineData("XLON", "2012-06-05")]
    [InlineData("XLON", "2020-05-08")]
    [InlineData("XLON", "2022-06-02")]
    [InlineData("XLON", "2022-06-03")]
    [InlineData("XLON", "2022-09-19")]
    [InlineData("XLON", "2023-05-08")]
    [InlineData("XLON", "2000-01-03")]
    // TARGET: 31 December 2001 (ECB calendar for 2001, QuantLib TARGET).
    [InlineData("TARGET2", "2001-12-31")]
    // Japan: 2019 accession and enthronement, with the sandwiched days 30 April and 2 May (JPX news release 21 Dec 2018).
    [InlineData("XTKS", "2019-04-30")]
    [InlineData("XTKS", "2019-05-01")]
    [InlineData("XTKS", "2019-05-02")]
    [InlineData("XTKS", "2019-10-22")]
    // Japan: Olympic moves of Marine Day, Sports Day and Mountain Day (Cabinet Office, 2020 and 2021).
    [InlineData("XTKS", "2020-07-23")]
    [InlineData("XTKS", "2020-07-24")]
    [InlineData("XTKS", "2020-08-10")]
    [InlineData("XTKS", "2021-07-22")]
    [InlineData("XTKS", "2021-07-23")]
    [InlineData("XTKS", "2021-08-09")]
    // Japan: citizens' holidays in September (Silver Week) 2009, 2015, 2026.
    [InlineData("XTKS", "2009-09-22")]
    [InlineData("XTKS", "2015-09-22")]
    [InlineData("XTKS", "2026-09-22")]
    // Japan: Emperor's Birthday 23 December until 2018 (2013 Monday), 23 February from 2020 (2021 Tuesday).
    [InlineData("XTKS", "2013-12-23")]
    [InlineData("XTKS", "2021-02-23")]
    // Japan before Happy Monday reached July and September (2003): 20 July 2001 Friday, 15 September 2000 Friday.
    [InlineData("XTKS", "2001-07-20")]
    [InlineData("XTKS", "2000-09-15")]
    // Japan before 2007: 4 May a citizens' holiday (2006 Thursday), 29 April Greenery Day (2005 Friday).
    [InlineData("XTKS", "2006-05-04")]
    [InlineData("XTKS", "2005-04-29")]
    // Japan from 2007: substitute holiday after consecutive holidays (3 May 2009 Sunday, observed Wednesday 6 May).
    [InlineData("XTKS", "2009-05-06")]
    // Xetra one-off closures (Deutsche Börse / FWB calendars for the year).
    [InlineData("XETR", "2017-10-31")]
    [InlineData("XETR", "2020-06-01")]
    public void Closed(string code, string date)
    {
        Assert.False(CalendarFor(code).IsBusinessDay(D(date)), $"{code} should be closed on {date}");
    }

    [Theory]
    // NYSE: New Year's Day on a Saturday is not observed on the Friday (Rule 7.2, end of a yearly accounting period).
    [InlineData("XNYS", "2021-12-31")]
    [InlineData("XNYS", "2010-12-31")]
    // NYSE: no Juneteenth closure before 2022; Columbus and Veterans Day are trading days.
    [InlineData("XNYS", "2021-06-18")]
    [InlineData("XNYS", "2025-10-13")]
    [InlineData("XNYS", "2025-11-11")]
    // Federal Reserve: Saturday holidays are not observed on the Friday (2021-06-18: "Federal Reserve Financial Services
    // will operate normally on Friday, June 18", Federal Reserve Board press release 17 June 2021).
    [InlineData("USFED", "2021-06-18")]
    [InlineData("USFED", "2026-07-03")]
    [InlineData("USFED", "2027-12-24")]
    // Federal Reserve systems operated normally on the 2025-01-09 day of mourning (ABA Banking Journal, Jan 2025).
    [InlineData("USFED", "2025-01-09")]
    // UK: the usual early May and spring Mondays of the years when they moved.
    [InlineData("XLON", "2020-05-04")]
    [InlineData("XLON", "2022-05-30")]
    [InlineData("XLON", "2002-05-27")]
    // Euronext and TARGET2 do not move weekend holidays.
    [InlineData("XPAR", "2022-05-02")]
    [InlineData("TARGET2", "2021-12-27")]
    // Xetra trades on Whit Monday and German Unity Day in years without a one-off closure.
    [InlineData("XETR", "2024-05-20")]
    [InlineData("XETR", "2024-10-03")]
    // Japan: no Emperor's Birthday in 2019; no Sports Day in October 2020 and 2021 (moved to July).
    [InlineData("XTKS", "2019-12-23")]
    [InlineData("XTKS", "2020-10-12")]
    [InlineData("XTKS", "2021-10-11")]
    // Japan: no Mountain Day before 2016; TSE open on 1 October 2020 per calendar (the system failure was not a holiday).
    [InlineData("XTKS", "2015-08-11")]
    [InlineData("XTKS", "2020-10-01")]
    public void Open(string code, string date)
    {
        Assert.True(CalendarFor(code).IsBusinessDay(D(date)), $"{code} should be open on {date}");
    }

    [Fact]
    public void Dtc_is_closed_exactly_when_the_nyse_or_the_federal_reserve_is()
    {
        BusinessCalendar dtc = CalendarFor("DTC");
        BusinessCalendar nyse = CalendarFor("XNYS");
        BusinessCalendar fed = CalendarFor("USFED");

        for (LocalDate day = BusinessCalendar.FirstCoveredDate; day <= BusinessCalendar.LastCoveredDate; day = day.PlusDays(1))
        {
            Assert.Equal(nyse.IsBusinessDay(day) && fed.IsBusinessDay(day), dtc.IsBusinessDay(day));
        }
    }

    [Fact]
    public void Holidays_never_lists_a_weekend_and_is_sorted()
    {
        foreach (string code in MarketCalendars.Codes)
        {
            BusinessCalendar calendar = CalendarFor(code);
            for (int year = BusinessCalendar.FirstCoveredYear; year <= BusinessCalendar.LastCoveredYear; year++)
            {
                IReadOnlyList<LocalDate> holidays = calendar.Holidays(year);
                Assert.All(holidays, d => Assert.True(d.DayOfWeek < IsoDayOfWeek.Saturday && d.Year == year));
                Assert.Equal(holidays.OrderBy(d => d), holidays);
            }
        }
    }

    [Theory]
    // Easter Sunday: published tables (e.g. the US Naval Observatory list of Easter dates).
    [InlineData(2000, "2000-04-23")]
    [InlineData(2008, "2008-03-23")]
    [InlineData(2011, "2011-04-24")]
    [InlineData(2019, "2019-04-21")]
    [InlineData(2024, "2024-03-31")]
    [InlineData(2025, "2025-04-20")]
    [InlineData(2038, "2038-04-25")]
    public void Easter_sunday(int year, string expected)
    {
        Assert.Equal(D(expected), DateRules.EasterSunday(year));
    }

    [Theory]
    // Vernal and autumnal equinox days as gazetted by the National Astronomical Observatory of Japan.
    [InlineData("2000-03-20", "2000-09-23")]
    [InlineData("2002-03-21", "2002-09-23")]
    [InlineData("2004-03-20", "2004-09-23")]
    [InlineData("2011-03-21", "2011-09-23")]
    [InlineData("2012-03-20", "2012-09-22")]
    [InlineData("2016-03-20", "2016-09-22")]
    [InlineData("2019-03-21", "2019-09-23")]
    [InlineData("2020-03-20", "2020-09-22")]
    [InlineData("2023-03-21", "2023-09-23")]
    [InlineData("2024-03-20", "2024-09-22")]
    [InlineData("2025-03-20", "2025-09-23")]
    [InlineData("2026-03-20", "2026-09-23")]
    public void Japanese_equinoxes(string vernal, string autumnal)
    {
        int year = Year(vernal);
        Assert.Equal(D(vernal), JapaneseHolidays.VernalEquinox(year));
        Assert.Equal(D(autumnal), JapaneseHolidays.AutumnalEquinox(year));
    }

    [Fact]
    public void Asking_outside_the_covered_range_is_a_caller_error()
    {
        BusinessCalendar calendar = CalendarFor("XNYS");

        Assert.Throws<ArgumentOutOfRangeException>(() => calendar.IsBusinessDay(D("1999-12-31")));
        Assert.Throws<ArgumentOutOfRangeException>(() => calendar.IsBusinessDay(D("2031-01-01")));
        Assert.Throws<ArgumentOutOfRangeException>(() => calendar.Holidays(2031));
        Assert.Throws<ArgumentOutOfRangeException>(() => calendar.AddBusinessDays(D("2030-12-30"), 5));
        Assert.False(calendar.TryAddBusinessDays(D("2000-01-03"), -1, out _));
    }
}
