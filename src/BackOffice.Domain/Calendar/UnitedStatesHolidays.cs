using NodaTime;

namespace BackOffice.Domain.Calendar;

/// <summary>
/// Closure rules of the New York Stock Exchange (also used for Nasdaq, which keeps the same
/// holidays) and of the Federal Reserve Banks. Origins of every rule and date:
/// docs/reference/calendars.md.
/// </summary>
internal static class UnitedStatesHolidays
{
    private const string NyseAnnouncements = "NYSE notice of the closure; also in QuantLib UnitedStates::NYSE special closings";

    /// <summary>Full-day NYSE closures that no yearly rule produces, 2000-2030.</summary>
    public static IReadOnlyList<DatedClosure> NyseOneOffClosures { get; } =
    [
        new(new LocalDate(2001, 9, 11), "September 11 attacks", NyseAnnouncements),
        new(new LocalDate(2001, 9, 12), "September 11 attacks", NyseAnnouncements),
        new(new LocalDate(2001, 9, 13), "September 11 attacks", NyseAnnouncements),
        new(new LocalDate(2001, 9, 14), "September 11 attacks", NyseAnnouncements),
        new(new LocalDate(2004, 6, 11), "National day of mourning, President Reagan", NyseAnnouncements),
        new(new LocalDate(2007, 1, 2), "National day of mourning, President Ford", NyseAnnouncements),
        new(new LocalDate(2012, 10, 29), "Hurricane Sandy", NyseAnnouncements),
        new(new LocalDate(2012, 10, 30), "Hurricane Sandy", NyseAnnouncements),
        new(new LocalDate(2018, 12, 5), "National day of mourning, President George H. W. Bush", NyseAnnouncements),
        new(new LocalDate(2025, 1, 9), "National day of mourning, President Carter", "NYSE Group statement, 30 December 2024"),
    ];

    /// <summary>
    /// NYSE Rule 7.2 holidays of <paramref name="year"/>, as observed dates (may include dates in the
    /// neighbouring year's edge; the calendar keeps only covered weekdays).
    /// </summary>
    public static IEnumerable<LocalDate> NyseClosures(int year)
    {
        yield return NyseObserved(new LocalDate(year, 1, 1));
        yield return DateRules.NthWeekday(year, 1, IsoDayOfWeek.Monday, 3); // Martin Luther King Jr. Day, since 1998
        yield return DateRules.NthWeekday(year, 2, IsoDayOfWeek.Monday, 3); // Washington's Birthday
        yield return DateRules.GoodFriday(year);
        yield return DateRules.LastWeekday(year, 5, IsoDayOfWeek.Monday); // Memorial Day
        if (year >= 2022)
        {
            yield return NyseObserved(new LocalDate(year, 6, 19)); // Juneteenth
        }
        yield return NyseObserved(new LocalDate(year, 7, 4));
        yield return DateRules.NthWeekday(year, 9, IsoDayOfWeek.Monday, 1); // Labor Day
        yield return DateRules.NthWeekday(year, 11, IsoDayOfWeek.Thursday, 4); // Thanksgiving
        yield return NyseObserved(new LocalDate(year, 12, 25));
        foreach (DatedClosure closure in NyseOneOffClosures.Where(c => c.Date.Year == year))
        {
            yield return closure.Date;
        }
    }

    /// <summary>
    /// Federal Reserve Bank holidays of <paramref name="year"/>: a Sunday holiday is observed on the
    /// Monday; a Saturday holiday is not observed (the Reserve Banks open on the Friday).
    /// </summary>
    public static IEnumerable<LocalDate> FederalReserveClosures(int year)
    {
        yield return FedObserved(new LocalDate(year, 1, 1));
        yield return DateRules.NthWeekday(year, 1, IsoDayOfWeek.Monday, 3); // Birthday of Martin Luther King, Jr.
        yield return DateRules.NthWeekday(year, 2, IsoDayOfWeek.Monday, 3); // Washington's Birthday
        yield return DateRules.LastWeekday(year, 5, IsoDayOfWeek.Monday); // Memorial Day
        if (year >= 2022)
        {
            yield return FedObserved(new LocalDate(year, 6, 19)); // Juneteenth
        }
        yield return FedObserved(new LocalDate(year, 7, 4));
        yield return DateRules.NthWeekday(year, 9, IsoDayOfWeek.Monday, 1); // Labor Day
        yield return DateRules.NthWeekday(year, 10, IsoDayOfWeek.Monday, 2); // Columbus Day
        yield return FedObserved(new LocalDate(year, 11, 11)); // Veterans Day
        yield return DateRules.NthWeekday(year, 11, IsoDayOfWeek.Thursday, 4); // Thanksgiving
        yield return FedObserved(new LocalDate(year, 12, 25));
    }

    /// <summary>
    /// NYSE Rule 7.2: a Sunday holiday closes the Monday; a Saturday holiday closes the Friday before,
    /// unless that Friday ends a monthly or yearly accounting period. The only such case is New Year's
    /// Day on a Saturday, whose Friday is 31 December: no closure. Returns the holiday itself otherwise.
    /// </summary>
    private static LocalDate NyseObserved(LocalDate holiday) => holiday.DayOfWeek switch
    {
        IsoDayOfWeek.Sunday => holiday.PlusDays(1),
        IsoDayOfWeek.Saturday when holiday.Day == 1 => holiday, // Friday before ends a month: a weekend no-op
        IsoDayOfWeek.Saturday => holiday.PlusDays(-1),
        _ => holiday,
    };

    private static LocalDate FedObserved(LocalDate holiday) =>
        holiday.DayOfWeek == IsoDayOfWeek.Sunday ? holiday.PlusDays(1) : holiday;
}
