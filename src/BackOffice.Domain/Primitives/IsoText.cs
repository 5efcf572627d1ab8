using NodaTime;

namespace BackOffice.Domain.Primitives;

/// <summary>
/// The common shapes of ISO 8601 dates (<c>2026-11-27</c>) and UTC times
/// (<c>2026-11-27T14:30:00.123456Z</c>) read without NodaTime's pattern engine, which allocates
/// a cursor, buckets and a result for every value: a trade file has two or three per row. A text
/// of any other shape, or out of range, is not read here (false), and the caller asks the pattern
/// (<c>LocalDatePattern.Iso</c>, <c>InstantPattern.ExtendedIso</c>), which also words the error.
/// </summary>
public static class IsoText
{
    /// <summary>Reads <c>yyyy-MM-dd</c> with a year from 1 to 9999.</summary>
    public static bool TryParseDate(ReadOnlySpan<char> text, out LocalDate date)
    {
        date = default;
        if (text.Length != 10 || text[4] != '-' || text[7] != '-'
            || !Digits(text[..4], out int year) || !Digits(text.Slice(5, 2), out int month) || !Digits(text.Slice(8, 2), out int day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month))
        {
            return false;
        }
        date = new LocalDate(year, month, day);
        return true;
    }

    /// <summary>Reads <c>yyyy-MM-ddTHH:mm:ss</c>, an optional fraction of one to nine digits after a point, and <c>Z</c>.</summary>
    public static bool TryParseInstant(ReadOnlySpan<char> text, out Instant instant)
    {
        instant = default;
        if (text.Length < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[^1] != 'Z'
            || !TryParseDate(text[..10], out LocalDate date)
            || !Digits(text.Slice(11, 2), out int hour) || !Digits(text.Slice(14, 2), out int minute) || !Digits(text.Slice(17, 2), out int second)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        long nanoseconds = 0;
        ReadOnlySpan<char> fraction = text[19..^1];
        if (fraction.Length > 0)
        {
            if (fraction.Length is < 2 or > 10 || fraction[0] != '.' || !Digits(fraction[1..], out int digits))
            {
                return false;
            }
            nanoseconds = digits;
            for (int i = fraction.Length - 1; i < 9; i++)
            {
                nanoseconds *= 10;
            }
        }
        instant = date.At(new LocalTime(hour, minute, second)).InUtc().ToInstant().PlusNanoseconds(nanoseconds);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
