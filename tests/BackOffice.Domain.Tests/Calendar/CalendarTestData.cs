using System.Globalization;
using BackOffice.Domain.Calendar;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Domain.Tests.Calendar;

/// <summary>Small helpers shared by the calendar tests: ISO dates from text, calendar look-up.</summary>
internal static class CalendarTestData
{
    public static LocalDate D(string isoDate) => LocalDatePattern.Iso.Parse(isoDate).GetValueOrThrow();

    public static LocalDate[] Dates(params string[] isoDates) => isoDates.Select(D).ToArray();

    public static BusinessCalendar CalendarFor(string code)
    {
        Assert.True(MarketCalendars.TryGetTradingCalendar(code, out BusinessCalendar calendar), $"no calendar {code}");
        return calendar;
    }

    public static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    public static string Join(IEnumerable<LocalDate> dates) => string.Join(", ", dates.Select(Iso));

    public static int Year(string isoDate) => int.Parse(isoDate.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture);
}
