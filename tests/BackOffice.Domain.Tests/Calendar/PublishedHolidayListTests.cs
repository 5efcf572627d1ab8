using BackOffice.Domain.Calendar;
using NodaTime;
using static BackOffice.Domain.Tests.Calendar.CalendarTestData;

namespace BackOffice.Domain.Tests.Calendar;

/// <summary>
/// Each calendar against the holiday lists its operator published for 2024-2027, typed in by hand
/// from the source named above each list (weekday closures only; weekend holidays close nothing).
/// These are the outputs of the publishers, not of the code under test.
/// </summary>
public sealed class PublishedHolidayListTests
{
    public static TheoryData<string, int, string[]> UnitedStatesLists() => new()
    {
        // NYSE 2024: NYSE Group, "2022, 2023 and 2024 holiday and early closings calendar" (ir.theice.com press release,
        // mirrored at https://mondovisione.com/media-and-resources/news/nyse-group-announces-2022-2023-and-2024-holiday-and-early-closings-calendar/)
        { "XNYS", 2024, ["2024-01-01", "2024-01-15", "2024-02-19", "2024-03-29", "2024-05-27", "2024-06-19", "2024-07-04", "2024-09-02", "2024-11-28", "2024-12-25"] },
        // NYSE 2025-2027: NYSE Group, "2025, 2026 and 2027 holiday and early closings calendar", 8 Nov 2024
        // (https://mondovisione.com/media-and-resources/news/nyse-group-announces-2025-2026-and-2027-holiday-and-early-closings-calendar/),
        // plus 2025-01-09, national day of mourning for President Carter (NYSE Group statement, 30 Dec 2024).
        { "XNYS", 2025, ["2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25"] },
        { "XNYS", 2026, ["2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25"] },
        { "XNYS", 2027, ["2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18", "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24"] },
        // Nasdaq keeps the NYSE holidays ("Both stock exchanges observe the same holiday schedule",
        // https://www.thestreet.com/markets/market-holidays; nasdaqtrader.com calendar not re-read), and Nasdaq
        // closed its US markets on 2025-01-09 (Nasdaq statement, 30 Dec 2024, reported by AP).
        { "XNAS", 2024, ["2024-01-01", "2024-01-15", "2024-02-19", "2024-03-29", "2024-05-27", "2024-06-19", "2024-07-04", "2024-09-02", "2024-11-28", "2024-12-25"] },
        { "XNAS", 2025, ["2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25"] },
        { "XNAS", 2026, ["2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25"] },
        { "XNAS", 2027, ["2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18", "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24"] },
        // Federal Reserve 2025-2027: Federal Reserve Bank of Richmond holiday schedule, https://richmondfed.org/about_us/holiday_schedule
        // ("If any of the following holidays falls on a Saturday, Federal Reserve Banks will be open the preceding Friday.
        // If the holiday falls on a Sunday, Federal Reserve Banks will be closed the following Monday").
        // 2024: the Reserve Bank rule above, as listed for 2024 by a member bank that follows the Fed schedule
        // (https://www.sandyspringbank.com/about-us/tools-and-resources/bank-holidays).
        { "USFED", 2024, ["2024-01-01", "2024-01-15", "2024-02-19", "2024-05-27", "2024-06-19", "2024-07-04", "2024-09-02", "2024-10-14", "2024-11-11", "2024-11-28", "2024-12-25"] },
        { "USFED", 2025, ["2025-01-01", "2025-01-20", "2025-02-17", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01", "2025-10-13", "2025-11-11", "2025-11-27", "2025-12-25"] },
        // 2026: Independence Day is a Saturday (Reserve Banks open Friday 3 July).
        { "USFED", 2026, ["2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-09-07", "2026-10-12", "2026-11-11", "2026-11-26", "2026-12-25"] },
        // 2027: Juneteenth and Christmas are Saturdays (open the Friday); Independence Day is a Sunday (closed Monday 5 July).
        { "USFED", 2027, ["2027-01-01", "2027-01-18", "2027-02-15", "2027-05-31", "2027-07-05", "2027-09-06", "2027-10-11", "2027-11-11", "2027-11-25"] },
        // DTC: the NYSE lists above together with the Federal Reserve lists above (DTC does not settle on either).
        { "DTC", 2025, ["2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01", "2025-10-13", "2025-11-11", "2025-11-27", "2025-12-25"] },
        { "DTC", 2027, ["2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18", "2027-07-05", "2027-09-06", "2027-10-11", "2027-11-11", "2027-11-25", "2027-12-24"] },
    };

    public static TheoryData<string, int, string[]> EuropeanLists() => new()
    {
        // London Stock Exchange: "The Exchange recognises the Public and Bank Holidays of England and Wales"
        // (LSEG business days page, www.lseg.com/areas-expertise/our-markets/london-stock-exchange/equities-markets/trading-services/business-days), dates from
        // https://www.gov.uk/bank-holidays. 2026: Boxing Day is a Saturday, substitute Monday 28 December.
        // 2027: Christmas Day and Boxing Day fall on Saturday and Sunday, substitutes Monday 27 and Tuesday 28 December.
        { "XLON", 2024, ["2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25", "2024-12-26"] },
        { "XLON", 2025, ["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"] },
        { "XLON", 2026, ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"] },
        { "XLON", 2027, ["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"] },
        // Euronext cash markets (Paris, Amsterdam): https://www.euronext.com/en/trade/trading-hours-holidays, in the form of
        // the yearly press release "Euronext announces <year> holiday calendar" (closed New Year's Day, Good Friday,
        // Easter Monday, 1 May, 25 and 26 December). 2026: 26 December is a Saturday. 2027: 1 May, 25 and 26 December
        // fall on a weekend; no 2027 press release was found, so 2027 follows the standing rule (a Paris 2027 list seen
        // online gives the same three weekdays).
        { "XPAR", 2024, ["2024-01-01", "2024-03-29", "2024-04-01", "2024-05-01", "2024-12-25", "2024-12-26"] },
        { "XPAR", 2025, ["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-01", "2025-12-25", "2025-12-26"] },
        { "XPAR", 2026, ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-12-25"] },
        { "XPAR", 2027, ["2027-01-01", "2027-03-26", "2027-03-29"] },
        { "XAMS", 2024, ["2024-01-01", "2024-03-29", "2024-04-01", "2024-05-01", "2024-12-25", "2024-12-26"] },
        { "XAMS", 2025, ["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-01", "2025-12-25", "2025-12-26"] },
        { "XAMS", 2026, ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-12-25"] },
        { "XAMS", 2027, ["2027-01-01", "2027-03-26", "2027-03-29"] },
        // Xetra: Deutsche Börse "Trading calendar and trading hours, trading venues Xetra and Börse Frankfurt", table of
        // non-trading days 2024-2029 (https://www.deutsche-boerse-cash-market.com/dbcm-en/newsroom/trading-calendar).
        { "XETR", 2024, ["2024-01-01", "2024-03-29", "2024-04-01", "2024-05-01", "2024-12-24", "2024-12-25", "2024-12-26", "2024-12-31"] },
        { "XETR", 2025, ["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-01", "2025-12-24", "2025-12-25", "2025-12-26", "2025-12-31"] },
        { "XETR", 2026, ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-12-24", "2026-12-25", "2026-12-31"] },
        { "XETR", 2027, ["2027-01-01", "2027-03-26", "2027-03-29", "2027-12-24", "2027-12-31"] },
        // TARGET2 / T2: ECB, https://www.ecb.europa.eu/paym/target/target2/profuse/calendar/html/index.en.html ("open every
        // day, with the exception of: Saturdays; Sundays; New Year's Day; Good Friday and Easter Monday; 1 May; Christmas
        // Day; and 26 December"). The ECB does not publish per-year lists; these are that rule written out by hand.
        { "TARGET2", 2024, ["2024-01-01", "2024-03-29", "2024-04-01", "2024-05-01", "2024-12-25", "2024-12-26"] },
        { "TARGET2", 2025, ["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-01", "2025-12-25", "2025-12-26"] },
        { "TARGET2", 2026, ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-12-25"] },
        { "TARGET2", 2027, ["2027-01-01", "2027-03-26", "2027-03-29"] },
    };

    public static TheoryData<string, int, string[]> JapaneseLists() => new()
    {
        // Tokyo Stock Exchange: JPX market holidays (http://www.jpx.co.jp/english/corporate/calendar/index.html):
        // Saturdays, Sundays, national holidays (Cabinet Office list, https://www8.cao.go.jp/chosei/shukujitsu/gaiyou.html),
        // 2-3 January and 31 December.
        { "XTKS", 2024, ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-08", "2024-02-12", "2024-02-23", "2024-03-20", "2024-04-29", "2024-05-03", "2024-05-06", "2024-07-15", "2024-08-12", "2024-09-16", "2024-09-23", "2024-10-14", "2024-11-04", "2024-12-31"] },
        // 2025: as published by the Osaka Dojima Exchange, which follows the same national holidays and year-end days
        // (https://www.odex.co.jp/en/data/holiday-schedules/index.html).
        { "XTKS", 2025, ["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-13", "2025-02-11", "2025-02-24", "2025-03-20", "2025-04-29", "2025-05-05", "2025-05-06", "2025-07-21", "2025-08-11", "2025-09-15", "2025-09-23", "2025-10-13", "2025-11-03", "2025-11-24", "2025-12-31"] },
        // 2026: Cabinet Office list as reported by nippon.com ("Japan's national holidays in 2026"), with the citizens'
        // holiday on Tuesday 22 September and Constitution Day observed Wednesday 6 May; plus 2 January and 31 December.
        { "XTKS", 2026, ["2026-01-01", "2026-01-02", "2026-01-12", "2026-02-11", "2026-02-23", "2026-03-20", "2026-04-29", "2026-05-04", "2026-05-05", "2026-05-06", "2026-07-20", "2026-08-11", "2026-09-21", "2026-09-22", "2026-09-23", "2026-10-12", "2026-11-03", "2026-11-23", "2026-12-31"] },
        // 2027: no JPX or Cabinet Office list was found (the equinox days are gazetted in February of the year before);
        // written out by hand from the Act on National Holidays: vernal equinox Sunday 21 March, observed Monday 22 March.
        { "XTKS", 2027, ["2027-01-01", "2027-01-11", "2027-02-11", "2027-02-23", "2027-03-22", "2027-04-29", "2027-05-03", "2027-05-04", "2027-05-05", "2027-07-19", "2027-08-11", "2027-09-20", "2027-09-23", "2027-10-11", "2027-11-03", "2027-11-23", "2027-12-31"] },
    };

    [Theory]
    [MemberData(nameof(UnitedStatesLists))]
    [MemberData(nameof(EuropeanLists))]
    [MemberData(nameof(JapaneseLists))]
    public void Holidays_match_the_published_list(string code, int year, string[] published)
    {
        BusinessCalendar calendar = CalendarFor(code);

        IReadOnlyList<LocalDate> holidays = calendar.Holidays(year);

        Assert.Equal(Join(Dates(published)), Join(holidays));
    }

    [Theory]
    [MemberData(nameof(UnitedStatesLists))]
    [MemberData(nameof(EuropeanLists))]
    [MemberData(nameof(JapaneseLists))]
    public void Every_other_weekday_of_the_year_is_a_business_day(string code, int year, string[] published)
    {
        BusinessCalendar calendar = CalendarFor(code);
        var closed = new HashSet<LocalDate>(Dates(published));

        var wrong = new List<LocalDate>();
        for (LocalDate day = new(year, 1, 1); day.Year == year; day = day.PlusDays(1))
        {
            bool weekend = day.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;
            bool expected = !weekend && !closed.Contains(day);
            if (calendar.IsBusinessDay(day) != expected)
            {
                wrong.Add(day);
            }
        }

        Assert.True(wrong.Count == 0, $"{code} {year}: wrong business-day answer on {Join(wrong)}");
    }

    [Fact]
    public void Every_code_is_published_and_found_regardless_of_case()
    {
        Assert.Equal(["XNYS", "XNAS", "XLON", "XPAR", "XAMS", "XETR", "XTKS", "TARGET2", "USFED", "DTC"], MarketCalendars.Codes);
        Assert.Equal("XTKS", CalendarFor("xtks").Code);
        Assert.False(MarketCalendars.TryGetTradingCalendar("XXXX", out _));
    }
}
