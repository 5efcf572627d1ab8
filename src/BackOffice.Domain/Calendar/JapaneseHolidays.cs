using NodaTime;

namespace BackOffice.Domain.Calendar;

/// <summary>
/// Japanese national holidays under the Act on National Holidays (国民の祝日に関する法律) as amended
/// through 2030, and the Tokyo Stock Exchange (JPX) non-business days built on them. Origins of
/// every rule and date: docs/reference/calendars.md.
/// </summary>
/// <remarks>
/// Three kinds of day close the market: a national holiday (祝日); a substitute holiday (振替休日)
/// for a national holiday on a Sunday; and a citizens' holiday (国民の休日), an ordinary day
/// sandwiched between two national holidays. JPX also closes on 2 and 3 January and 31 December.
/// </remarks>
internal static class JapaneseHolidays
{
    /// <summary>The year the 2005 amendment took effect: wider substitute rule, Showa Day, Greenery Day on 4 May.</summary>
    private const int Amendment2007Year = 2007;

    /// <summary>
    /// Vernal equinox day in March by the standard approximation, valid 1980-2099:
    /// floor(20.8431 + 0.242194 (Y - 1980) - floor((Y - 1980) / 4)). Decimal arithmetic, so the
    /// result cannot differ by a rounding error from the published table.
    /// </summary>
    public static LocalDate VernalEquinox(int year) => new(year, 3, EquinoxDay(20.8431m, year));

    /// <summary>Autumnal equinox day in September: floor(23.2488 + 0.242194 (Y - 1980) - floor((Y - 1980) / 4)).</summary>
    public static LocalDate AutumnalEquinox(int year) => new(year, 9, EquinoxDay(23.2488m, year));

    /// <summary>JPX non-business days of <paramref name="year"/> (weekends are dropped by the calendar).</summary>
    public static IEnumerable<LocalDate> JpxClosures(int year)
    {
        SortedSet<LocalDate> national = NationalHolidays(year);
        var closed = new SortedSet<LocalDate>(national);
        closed.UnionWith(SubstituteHolidays(year, national));
        closed.UnionWith(CitizensHolidays(national));
        closed.Add(new LocalDate(year, 1, 2));
        closed.Add(new LocalDate(year, 1, 3));
        closed.Add(new LocalDate(year, 12, 31));
        return closed;
    }

    /// <summary>The national holidays (祝日) of <paramref name="year"/> themselves, before substitutes.</summary>
    public static SortedSet<LocalDate> NationalHolidays(int year)
    {
        var days = new SortedSet<LocalDate>
        {
            new(year, 1, 1),
            DateRules.NthWeekday(year, 1, IsoDayOfWeek.Monday, 2), // Coming of Age Day (Happy Monday since 2000)
            new(year, 2, 11), // National Foundation Day
            VernalEquinox(year),
            new(year, 4, 29), // Greenery Day until 2006, Showa Day from 2007
            new(year, 5, 3), // Constitution Memorial Day
            new(year, 5, 5), // Children's Day
            AutumnalEquinox(year),
            new(year, 11, 3), // Culture Day
            new(year, 11, 23), // Labour Thanksgiving Day
            MarineDay(year),
            RespectForTheAgedDay(year),
            SportsDay(year),
        };
        if (year >= Amendment2007Year)
        {
            days.Add(new LocalDate(year, 5, 4)); // Greenery Day moved to 4 May
        }
        if (EmperorsBirthday(year) is LocalDate birthday)
        {
            days.Add(birthday);
        }
        if (MountainDay(year) is LocalDate mountain)
        {
            days.Add(mountain);
        }
        if (year == 2019)
        {
            days.Add(new LocalDate(2019, 5, 1)); // Accession of the Emperor (Act No. 99 of 2018)
            days.Add(new LocalDate(2019, 10, 22)); // Enthronement ceremony (Act No. 99 of 2018)
        }
        return days;
    }

    /// <summary>
    /// 振替休日: until 2006 the Monday after a Sunday holiday; from 2007 the first following day that
    /// is not itself a national holiday (so Sunday 3 May gives Wednesday 6 May).
    /// </summary>
    private static IEnumerable<LocalDate> SubstituteHolidays(int year, SortedSet<LocalDate> national)
    {
        foreach (LocalDate holiday in national.Where(d => d.DayOfWeek == IsoDayOfWeek.Sunday))
        {
            LocalDate substitute = holiday.PlusDays(1);
            while (year >= Amendment2007Year && national.Contains(substitute))
            {
                substitute = substitute.PlusDays(1);
            }
            yield return substitute;
        }
    }

    /// <summary>
    /// 国民の休日: a day that is not a national holiday but whose previous and next days are. (Until
    /// 2006 the law also excluded Sundays and substitute holidays, which closes no further weekday.)
    /// </summary>
    private static IEnumerable<LocalDate> CitizensHolidays(SortedSet<LocalDate> national) =>
        national
            .Select(d => d.PlusDays(1))
            .Where(d => !national.Contains(d) && national.Contains(d.PlusDays(1)));

    private static LocalDate MarineDay(int year) => year switch
    {
        <= 2002 => new LocalDate(year, 7, 20),
        2020 => new LocalDate(2020, 7, 23), // Tokyo Olympics (Act on Special Measures, 2018 amendment)
        2021 => new LocalDate(2021, 7, 22), // Tokyo Olympics, postponed (2020 amendment)
        _ => DateRules.NthWeekday(year, 7, IsoDayOfWeek.Monday, 3),
    };

    private static LocalDate RespectForTheAgedDay(int year) => year <= 2002
        ? new LocalDate(year, 9, 15)
        : DateRules.NthWeekday(year, 9, IsoDayOfWeek.Monday, 3);

    /// <summary>Health-Sports Day (Sports Day from 2020): second Monday of October, moved to July for the Olympics.</summary>
    private static LocalDate SportsDay(int year) => year switch
    {
        2020 => new LocalDate(2020, 7, 24),
        2021 => new LocalDate(2021, 7, 23),
        _ => DateRules.NthWeekday(year, 10, IsoDayOfWeek.Monday, 2),
    };

    private static LocalDate? MountainDay(int year) => year switch
    {
        < 2016 => null,
        2020 => new LocalDate(2020, 8, 10),
        2021 => new LocalDate(2021, 8, 8), // a Sunday: substitute Monday 9 August
        _ => new LocalDate(year, 8, 11),
    };

    /// <summary>23 December until 2018 (Emperor Akihito), none in 2019, 23 February from 2020 (Emperor Naruhito).</summary>
    private static LocalDate? EmperorsBirthday(int year) => year switch
    {
        <= 2018 => new LocalDate(year, 12, 23),
        2019 => null,
        _ => new LocalDate(year, 2, 23),
    };

    private static int EquinoxDay(decimal baseDay, int year)
    {
        int yearsSince1980 = year - 1980;
        decimal day = baseDay + (0.242194m * yearsSince1980) - (yearsSince1980 / 4);
        return (int)decimal.Floor(day);
    }
}
