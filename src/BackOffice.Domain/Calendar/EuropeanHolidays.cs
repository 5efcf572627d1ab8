using NodaTime;

namespace BackOffice.Domain.Calendar;

/// <summary>
/// Closure rules of Euronext (Paris XPAR, Amsterdam XAMS), Deutsche Börse Xetra (XETR) and the
/// TARGET2 / T2S euro settlement calendar. None of them moves a holiday off a weekend. Origins:
/// docs/reference/calendars.md.
/// </summary>
internal static class EuropeanHolidays
{
    private const string XetraCalendar = "Deutsche Börse trading calendar (deutsche-boerse-cash-market.com, Xetra newsroom)";

    /// <summary>
    /// Xetra non-trading days outside the standing rule, each announced by the Frankfurt Stock
    /// Exchange (FWB) for that year only. Only years whose calendar could be checked are listed.
    /// </summary>
    public static IReadOnlyList<DatedClosure> XetraOneOffClosures { get; } =
    [
        new(new LocalDate(2000, 10, 3), "Day of German Unity, 10th anniversary", "Handelsblatt / vwd, Deutsche Börse statement 2000"),
        new(new LocalDate(2007, 5, 28), "Whit Monday (US Memorial Day the same day)", "Handelsblatt, 'Tag der Arbeit – ohne Arbeit an der Börse', 2008"),
        new(new LocalDate(2016, 5, 16), "Whit Monday", XetraCalendar + " 2016"),
        new(new LocalDate(2016, 10, 3), "Day of German Unity", XetraCalendar + " 2016"),
        new(new LocalDate(2017, 6, 5), "Whit Monday", XetraCalendar + " 2017"),
        new(new LocalDate(2017, 10, 3), "Day of German Unity", XetraCalendar + " 2017"),
        new(new LocalDate(2017, 10, 31), "Reformation Day, 500th anniversary", XetraCalendar + " 2017"),
        new(new LocalDate(2018, 10, 3), "Day of German Unity", "Eurex circular 055/2018 (FWB Exchange Council decision)"),
        new(new LocalDate(2020, 6, 1), "Whit Monday", XetraCalendar + " 2020"),
        new(new LocalDate(2021, 5, 24), "Whit Monday", "Börse Frankfurt trading calendar 2021"),
    ];

    /// <summary>TARGET closing days outside the standing calendar of 14 December 2000.</summary>
    public static IReadOnlyList<DatedClosure> TargetOneOffClosures { get; } =
    [
        new(new LocalDate(2000, 12, 31), "Year-end closing day (a Sunday in 2000, so it closes nothing)", "Issue brief; no ECB source found, kept because it has no effect"),
        new(new LocalDate(2001, 12, 31), "Year-end closing day before the euro cash changeover", "QuantLib TARGET calendar: December 31st, 1998, 1999, and 2001 only"),
    ];

    /// <summary>Euronext cash market closures: New Year, Good Friday, Easter Monday, 1 May, 25 and 26 December.</summary>
    public static IEnumerable<LocalDate> EuronextClosures(int year) => CoreEuroClosures(year);

    /// <summary>Xetra non-trading days: the Euronext six plus 24 and 31 December, and the one-off days.</summary>
    public static IEnumerable<LocalDate> XetraClosures(int year) =>
        CoreEuroClosures(year)
            .Append(new LocalDate(year, 12, 24))
            .Append(new LocalDate(year, 12, 31))
            .Concat(XetraOneOffClosures.Where(c => c.Date.Year == year).Select(c => c.Date));

    /// <summary>TARGET2 closing days: the six standing days, plus 31 December in 2000 and 2001.</summary>
    public static IEnumerable<LocalDate> Target2Closures(int year) =>
        CoreEuroClosures(year).Concat(TargetOneOffClosures.Where(c => c.Date.Year == year).Select(c => c.Date));

    private static IEnumerable<LocalDate> CoreEuroClosures(int year)
    {
        yield return new LocalDate(year, 1, 1);
        yield return DateRules.GoodFriday(year);
        yield return DateRules.EasterMonday(year);
        yield return new LocalDate(year, 5, 1);
        yield return new LocalDate(year, 12, 25);
        yield return new LocalDate(year, 12, 26);
    }
}
