using System.Globalization;

namespace BackOffice.Domain.Primitives;

/// <summary>
/// Reads amounts stored as invariant decimal text (what <see cref="decimal.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>
/// writes: an optional minus, digits, an optional point and digits) without the general number
/// parser, which costs more than the rest of a report's row; the scale is kept (1.50 stays 1.50).
/// Any other text goes to <see cref="decimal.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?, out decimal)"/>
/// with <see cref="NumberStyles.Number"/>, so the answer is always the general parser's.
/// </summary>
public static class DecimalText
{
    // Up to 18 digits fit an unsigned 64-bit integer without overflow.
    private const int FastDigits = 18;

    /// <summary>Parses invariant decimal text in UTF-8.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out decimal value)
    {
        int i = 0;
        bool negative = utf8.Length > 0 && utf8[0] == (byte)'-';
        if (negative)
        {
            i = 1;
        }
        ulong digits = 0;
        int count = 0;
        int scale = -1;
        for (; i < utf8.Length; i++)
        {
            byte c = utf8[i];
            if (c == (byte)'.' && scale < 0)
            {
                scale = 0;
                continue;
            }
            // Below '0' wraps to a large number: one comparison rejects both sides.
            uint digit = unchecked((uint)(c - '0'));
            if (digit > 9 || count == FastDigits)
            {
                return Slow(utf8, out value);
            }
            digits = digits * 10 + digit;
            count++;
            if (scale >= 0)
            {
                scale++;
            }
        }
        // No digits, a point without digits after it, or a negative zero (whose sign the general parser decides).
        if (count == 0 || scale == 0 || scale > 28 || (negative && digits == 0))
        {
            return Slow(utf8, out value);
        }
        value = new decimal(unchecked((int)(uint)digits), unchecked((int)(uint)(digits >> 32)), 0, negative, (byte)Math.Max(scale, 0));
        return true;
    }

    private static bool Slow(ReadOnlySpan<byte> utf8, out decimal value) =>
        decimal.TryParse(utf8, NumberStyles.Number, CultureInfo.InvariantCulture, out value);
}
