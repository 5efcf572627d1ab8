using NodaTime;

namespace BackOffice.Domain.Calendar;

/// <summary>
/// The date arithmetic that holiday rules are written in: Easter, "the nth Monday of May",
/// "the last Monday of August". Pure integer arithmetic on the ISO calendar; no clock.
/// </summary>
internal static class DateRules
{
    /// <summary>Western (Gregorian) Easter Sunday, by the anonymous Gregorian algorithm (Meeus, Jones, Butcher).</summary>
    public static LocalDate EasterSunday(int year)
    {
        int a = year % 19;
        int b = year / 100;
        int c = year % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = ((19 * a) + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        int m = (a + (11 * h) + (22 * l)) / 451;
        int month = (h + l - (7 * m) + 114) / 31;
        int day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new LocalDate(year, month, day);
    }

    /// <summary>Good Friday: two days before Easter Sunday.</summary>
    public static LocalDate GoodFriday(int year) => EasterSunday(year).PlusDays(-2);

    /// <summary>Easter Monday: the day after Easter Sunday.</summary>
    public static LocalDate EasterMonday(int year) => EasterSunday(year).PlusDays(1);

    /// <summary>The <paramref name="occurrence"/>-th (1-based) <paramref name="dayOfWeek"/> of the month.</summary>
    public static LocalDate NthWeekday(int year, int month, IsoDayOfWeek dayOfWeek, int occurrence)
    {
        LocalDate first = new(year, month, 1);
        int shift = ((int)dayOfWeek - (int)first.DayOfWeek + 7) % 7;
        return first.PlusDays(shift + (7 * (occurrence - 1)));
    }

    /// <summary>The last <paramref name="dayOfWeek"/> of the month.</summary>
    public static LocalDate LastWeekday(int year, int month, IsoDayOfWeek dayOfWeek)
    {
        LocalDate last = new LocalDate(year, month, 1).PlusMonths(1).PlusDays(-1);
        int shift = ((int)last.DayOfWeek - (int)dayOfWeek + 7) % 7;
        return last.PlusDays(-shift);
    }

    /// <summary>True on Saturday and Sunday, the weekend of every calendar in this namespace.</summary>
    public static bool IsWeekend(LocalDate date) =>
        date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;
}
