using NodaTime;

namespace BackOffice.Domain.Calendar;

/// <summary>
/// Closure rules of the London Stock Exchange, which recognises the public and bank holidays of
/// England and Wales (CREST settles on the same days). Origins: docs/reference/calendars.md.
/// </summary>
internal static class UnitedKingdomHolidays
{
    private const string GovUk = "GOV.UK bank holidays (www.gov.uk/bank-holidays) and the royal proclamation for the year";

    /// <summary>Years whose early May bank holiday was moved off the first Monday of May.</summary>
    public static IReadOnlyList<DatedClosure> EarlyMayMoved { get; } =
    [
        new(new LocalDate(2020, 5, 8), "Early May bank holiday moved to VE Day (75th anniversary)", GovUk),
    ];

    /// <summary>Years whose spring bank holiday was moved off the last Monday of May (jubilees).</summary>
    public static IReadOnlyList<DatedClosure> SpringMoved { get; } =
    [
        new(new LocalDate(2002, 6, 4), "Spring bank holiday moved for the Golden Jubilee", GovUk),
        new(new LocalDate(2012, 6, 4), "Spring bank holiday moved for the Diamond Jubilee", GovUk),
        new(new LocalDate(2022, 6, 2), "Spring bank holiday moved for the Platinum Jubilee", GovUk),
    ];

    /// <summary>Additional one-off bank holidays, 2000-2030.</summary>
    public static IReadOnlyList<DatedClosure> OneOffClosures { get; } =
    [
        new(new LocalDate(2002, 6, 3), "Golden Jubilee bank holiday", GovUk),
        new(new LocalDate(2011, 4, 29), "Royal wedding bank holiday", GovUk),
        new(new LocalDate(2012, 6, 5), "Diamond Jubilee bank holiday", GovUk),
        new(new LocalDate(2022, 6, 3), "Platinum Jubilee bank holiday", GovUk),
        new(new LocalDate(2022, 9, 19), "State funeral of Queen Elizabeth II", GovUk),
        new(new LocalDate(2023, 5, 8), "Coronation of King Charles III", GovUk),
    ];

    /// <summary>England and Wales bank holidays of <paramref name="year"/>, with substitute days.</summary>
    public static IEnumerable<LocalDate> Closures(int year)
    {
        yield return NextWeekday(new LocalDate(year, 1, 1)); // New Year's Day, substitute Monday
        yield return DateRules.GoodFriday(year);
        yield return DateRules.EasterMonday(year);
        yield return MovedOr(EarlyMayMoved, year, DateRules.NthWeekday(year, 5, IsoDayOfWeek.Monday, 1));
        yield return MovedOr(SpringMoved, year, DateRules.LastWeekday(year, 5, IsoDayOfWeek.Monday));
        yield return DateRules.LastWeekday(year, 8, IsoDayOfWeek.Monday); // Summer bank holiday
        foreach (LocalDate day in ChristmasAndBoxingDay(year))
        {
            yield return day;
        }
        foreach (DatedClosure closure in OneOffClosures.Where(c => c.Date.Year == year))
        {
            yield return closure.Date;
        }
    }

    /// <summary>
    /// Christmas Day and Boxing Day with their substitutes: 25 December on a Saturday gives Monday 27
    /// and Tuesday 28; on a Sunday, Boxing Day stays Monday 26 and Christmas moves to Tuesday 27; Boxing
    /// Day alone on a Saturday moves to Monday 28.
    /// </summary>
    private static IEnumerable<LocalDate> ChristmasAndBoxingDay(int year)
    {
        LocalDate christmas = new(year, 12, 25);
        return christmas.DayOfWeek switch
        {
            IsoDayOfWeek.Saturday => [new LocalDate(year, 12, 27), new LocalDate(year, 12, 28)],
            IsoDayOfWeek.Sunday => [new LocalDate(year, 12, 26), new LocalDate(year, 12, 27)],
            IsoDayOfWeek.Friday => [christmas, new LocalDate(year, 12, 28)],
            _ => [christmas, new LocalDate(year, 12, 26)],
        };
    }

    private static LocalDate NextWeekday(LocalDate date)
    {
        LocalDate day = date;
        while (DateRules.IsWeekend(day))
        {
            day = day.PlusDays(1);
        }
        return day;
    }

    private static LocalDate MovedOr(IReadOnlyList<DatedClosure> moves, int year, LocalDate usual)
    {
        DatedClosure? moved = moves.FirstOrDefault(m => m.Date.Year == year);
        return moved?.Date ?? usual;
    }
}
