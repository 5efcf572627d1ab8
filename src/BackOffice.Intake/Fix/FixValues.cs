using System.Text;
using NodaTime;

namespace BackOffice.Intake.Fix;

/// <summary>
/// Reads and writes FIX values straight from and to bytes: no strings on the way, no binary
/// floating point. Every reader refuses what it cannot represent exactly instead of rounding.
/// </summary>
public static class FixValues
{
    /// <summary>Most significant digits a decimal value may have (what <see cref="decimal"/> holds exactly).</summary>
    public const int DecimalDigitsMax = 28;

    /// <summary>The FIX field delimiter, SOH.</summary>
    public const byte Soh = 0x01;

    /// <summary>The delimiter of FIX logs rewritten for reading.</summary>
    public const byte Pipe = (byte)'|';

    /// <summary>True when every byte is printable ASCII or Latin-1 (no control characters, no NUL, no DEL).</summary>
    public static bool IsText(ReadOnlySpan<byte> value) =>
        value.IndexOfAnyInRange((byte)0x00, (byte)0x1F) < 0 && !value.Contains((byte)0x7F);

    /// <summary>The value as a string, bytes read as Latin-1 (ASCII is a subset).</summary>
    public static string ToText(ReadOnlySpan<byte> value) => Encoding.Latin1.GetString(value);

    /// <summary>An INT: an optional minus sign and 1-18 digits.</summary>
    public static bool TryParseInt(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        bool negative = text.Length > 0 && text[0] == (byte)'-';
        ReadOnlySpan<byte> digits = negative ? text[1..] : text;
        if (digits.Length is 0 or > 18)
        {
            return false;
        }
        long result = 0;
        foreach (byte b in digits)
        {
            uint d = unchecked((uint)(b - '0'));
            if (d > 9)
            {
                return false;
            }
            result = (result * 10) + d;
        }
        value = negative ? -result : result;
        return true;
    }

    /// <summary>A non-negative INT that fits in <see cref="int"/> (SEQNUM, LENGTH, NUMINGROUP).</summary>
    public static bool TryParseCount(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 10)
        {
            return false;
        }
        long result = 0;
        foreach (byte b in text)
        {
            uint d = unchecked((uint)(b - '0'));
            if (d > 9)
            {
                return false;
            }
            result = (result * 10) + d;
        }
        if (result > int.MaxValue)
        {
            return false;
        }
        value = (int)result;
        return true;
    }

    /// <summary>
    /// A FIX decimal (QTY, PRICE, AMT, FLOAT, PRICEOFFSET, PERCENTAGE): an optional minus sign, digits,
    /// an optional point and more digits. No exponent, no grouping, no plus sign. The value is read
    /// exactly, keeping its scale (45.230 stays 45.230); more than <see cref="DecimalDigitsMax"/>
    /// significant digits is refused rather than rounded.
    /// </summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> text, out decimal value)
    {
        value = 0;
        bool negative = text.Length > 0 && text[0] == (byte)'-';
        ReadOnlySpan<byte> s = negative ? text[1..] : text;
        int point = s.IndexOf((byte)'.');
        ReadOnlySpan<byte> whole = point < 0 ? s : s[..point];
        ReadOnlySpan<byte> fraction = point < 0 ? [] : s[(point + 1)..];
        if (whole.Length + fraction.Length == 0 || !AllDigits(whole) || !AllDigits(fraction))
        {
            return false;
        }
        ReadOnlySpan<byte> significantWhole = whole.TrimStart((byte)'0');
        ReadOnlySpan<byte> significantFraction = fraction.TrimEnd((byte)'0');
        if (significantWhole.Length + significantFraction.Length > DecimalDigitsMax || significantFraction.Length > DecimalDigitsMax)
        {
            return false;
        }
        // Keep the written scale when it fits; trailing zeros beyond 28 places are dropped (the value is the same).
        if (significantWhole.Length + fraction.Length > DecimalDigitsMax)
        {
            fraction = significantFraction;
        }
        UInt128 mantissa = 0;
        foreach (byte b in significantWhole)
        {
            mantissa = (mantissa * 10) + (uint)(b - '0');
        }
        foreach (byte b in fraction)
        {
            mantissa = (mantissa * 10) + (uint)(b - '0');
        }
        if (mantissa >> 96 != 0)
        {
            return false;
        }
        value = unchecked(new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), (int)(uint)(mantissa >> 64), negative && mantissa != 0, (byte)fraction.Length));
        return true;
    }

    /// <summary>
    /// A UTCTIMESTAMP: <c>yyyyMMdd-HH:mm:ss</c>, optionally with <c>.sss</c> milliseconds (FIX 4.4).
    /// Six or nine fraction digits, as some FIX 4.4 senders write, are read as well.
    /// Leap second 60 is refused: an instant cannot hold it.
    /// </summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> text, out Instant value)
    {
        value = default;
        if (text.Length < 17 || text[8] != (byte)'-' || !TryParseDate(text[..8], out LocalDate date)
            || !TryParseTime(text[9..], out LocalTime time))
        {
            return false;
        }
        value = date.At(time).InUtc().ToInstant();
        return true;
    }

    /// <summary>A UTCTIMEONLY: <c>HH:mm:ss</c> with optional <c>.sss</c> (or six or nine digits).</summary>
    public static bool TryParseTime(ReadOnlySpan<byte> text, out LocalTime value)
    {
        value = default;
        if (text.Length < 8 || text[2] != (byte)':' || text[5] != (byte)':'
            || !TwoDigits(text[0..], out int hour) || !TwoDigits(text[3..], out int minute) || !TwoDigits(text[6..], out int second)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        long nanoseconds = 0;
        if (text.Length > 8)
        {
            ReadOnlySpan<byte> fraction = text[9..];
            if (text[8] != (byte)'.' || fraction.Length is not (3 or 6 or 9) || !AllDigits(fraction))
            {
                return false;
            }
            foreach (byte b in fraction)
            {
                nanoseconds = (nanoseconds * 10) + (b - '0');
            }
            for (int i = fraction.Length; i < 9; i++)
            {
                nanoseconds *= 10;
            }
        }
        value = new LocalTime(hour, minute, second).PlusNanoseconds(nanoseconds);
        return true;
    }

    /// <summary>A LOCALMKTDATE or UTCDATEONLY: <c>yyyyMMdd</c>, a real calendar date.</summary>
    public static bool TryParseDate(ReadOnlySpan<byte> text, out LocalDate value)
    {
        value = default;
        if (text.Length != 8 || !AllDigits(text))
        {
            return false;
        }
        int year = ((text[0] - '0') * 1000) + ((text[1] - '0') * 100) + ((text[2] - '0') * 10) + (text[3] - '0');
        int month = ((text[4] - '0') * 10) + (text[5] - '0');
        int day = ((text[6] - '0') * 10) + (text[7] - '0');
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month))
        {
            return false;
        }
        value = new LocalDate(year, month, day);
        return true;
    }

    /// <summary>A MONTHYEAR: <c>yyyyMM</c>, <c>yyyyMMdd</c> or <c>yyyyMMwN</c> (week 1-5).</summary>
    public static bool IsMonthYear(ReadOnlySpan<byte> text)
    {
        if (text.Length < 6 || !AllDigits(text[..6]) || !TwoDigits(text[4..], out int month) || month is < 1 or > 12)
        {
            return false;
        }
        return text.Length switch
        {
            6 => true,
            8 when text[6] == (byte)'w' => text[7] is >= (byte)'1' and <= (byte)'5',
            8 => TryParseDate(text, out _),
            _ => false,
        };
    }

    /// <summary>Writes an instant as a UTCTIMESTAMP with milliseconds (sub-millisecond digits are cut, not rounded).</summary>
    public static int WriteTimestamp(Span<byte> destination, Instant value)
    {
        LocalDateTime t = value.InUtc().LocalDateTime;
        int n = WriteDate(destination, t.Date);
        destination[n++] = (byte)'-';
        Write2(destination[n..], t.Hour);
        destination[n + 2] = (byte)':';
        Write2(destination[(n + 3)..], t.Minute);
        destination[n + 5] = (byte)':';
        Write2(destination[(n + 6)..], t.Second);
        destination[n + 8] = (byte)'.';
        int ms = t.Millisecond;
        destination[n + 9] = (byte)('0' + (ms / 100));
        destination[n + 10] = (byte)('0' + (ms / 10 % 10));
        destination[n + 11] = (byte)('0' + (ms % 10));
        return n + 12;
    }

    /// <summary>Writes a date as <c>yyyyMMdd</c>.</summary>
    public static int WriteDate(Span<byte> destination, LocalDate value)
    {
        int year = value.Year;
        if (year is < 1 or > 9999)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "FIX dates have four-digit years");
        }
        destination[0] = (byte)('0' + (year / 1000));
        destination[1] = (byte)('0' + (year / 100 % 10));
        Write2(destination[2..], year % 100);
        Write2(destination[4..], value.Month);
        Write2(destination[6..], value.Day);
        return 8;
    }

    internal static bool AllDigits(ReadOnlySpan<byte> text) => text.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;

    private static bool TwoDigits(ReadOnlySpan<byte> text, out int value)
    {
        uint a = unchecked((uint)(text[0] - '0')), b = unchecked((uint)(text[1] - '0'));
        value = (int)((a * 10) + b);
        return a <= 9 && b <= 9;
    }

    private static void Write2(Span<byte> destination, int value)
    {
        destination[0] = (byte)('0' + (value / 10));
        destination[1] = (byte)('0' + (value % 10));
    }
}
