using System.Globalization;

namespace BackOffice.Intake.Fix;

/// <summary>What <see cref="FixFramer.Find"/> found in a buffer.</summary>
public enum FixFrameStatus
{
    /// <summary>No <c>8=FIX</c> in the buffer: drop <see cref="FixFrame.Consumed"/> bytes and read more.</summary>
    NoMessage,

    /// <summary>A message starts at <see cref="FixFrame.Start"/> but its end has not arrived: read more bytes.</summary>
    Incomplete,

    /// <summary>A whole message with a correct BodyLength and CheckSum.</summary>
    Complete,

    /// <summary>Bytes that cannot be a message (see <see cref="FixFrame.Error"/>); drop <see cref="FixFrame.Consumed"/> bytes.</summary>
    Garbled,
}

/// <summary>
/// One step of framing: where a message starts (<see cref="Start"/>, bytes before it are not FIX),
/// how long it is, and how many bytes of the buffer the caller may drop (<see cref="Consumed"/>).
/// </summary>
public readonly record struct FixFrame(FixFrameStatus Status, int Start, int Length, int Consumed, byte Delimiter, FixError? Error)
{
    /// <summary>The message bytes of a complete frame.</summary>
    public ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> buffer) => buffer.Slice(Start, Length);
}

/// <summary>
/// Finds FIX messages in a byte stream by BeginString(8), BodyLength(9) and CheckSum(10), the way a
/// FIX engine reads a socket: it does not need line breaks and does not read past the message.
/// Fields end in SOH (0x01) or, in logs rewritten for reading, in '|'; the byte after the BeginString
/// value decides which, per message. BodyLength and CheckSum are always computed as if the delimiter
/// were SOH, since '|' logs are rewritten from SOH messages.
/// </summary>
public static class FixFramer
{
    /// <summary>Largest BodyLength(9) accepted; a larger one is refused before waiting for its bytes.</summary>
    public const int BodyLengthMax = 1 << 20;

    private const int BeginStringLengthMax = 16;

    /// <summary>The bytes every FIX message starts with.</summary>
    public static ReadOnlySpan<byte> MessageStart => "8=FIX"u8;

    /// <summary>
    /// Looks for the first message in <paramref name="buffer"/>. With <paramref name="endOfInput"/>
    /// true no more bytes will come, so a message cut short is reported as <see cref="FixRules.Truncated"/>
    /// instead of <see cref="FixFrameStatus.Incomplete"/>.
    /// </summary>
    public static FixFrame Find(ReadOnlySpan<byte> buffer, bool endOfInput)
    {
        int start = buffer.IndexOf(MessageStart);
        if (start < 0)
        {
            // Keep a tail that could be the beginning of "8=FIX" until more bytes arrive.
            int keep = endOfInput ? 0 : Math.Min(buffer.Length, MessageStart.Length - 1);
            return new FixFrame(FixFrameStatus.NoMessage, buffer.Length - keep, 0, buffer.Length - keep, 0, null);
        }
        return Frame(buffer, start, endOfInput);
    }

    private static FixFrame Frame(ReadOnlySpan<byte> buffer, int start, bool endOfInput)
    {
        ReadOnlySpan<byte> data = buffer[start..];

        // 8=BeginString: the first SOH or '|' after it is the delimiter of the whole message.
        int beginEnd = data[2..Math.Min(data.Length, 2 + BeginStringLengthMax + 1)].IndexOfAny(FixValues.Soh, FixValues.Pipe);
        if (beginEnd < 0)
        {
            return data.Length < 2 + BeginStringLengthMax + 1
                ? NeedMore(buffer, start, endOfInput, "the input ends inside BeginString(8)")
                : Garbled(buffer, start, FixRules.Garbled, "BeginString(8) is not followed by a field delimiter (SOH or '|')");
        }
        byte delimiter = data[2 + beginEnd];
        int p = 2 + beginEnd + 1;

        // 9=BodyLength must be the second field.
        if (!StartsWith(data[p..], "9="u8, out bool partial))
        {
            return partial
                ? NeedMore(buffer, start, endOfInput, "the input ends before BodyLength(9)")
                : Garbled(buffer, start, FixRules.Garbled, "BodyLength(9) must be the second field");
        }
        p += 2;
        int lengthEnd = data[p..].IndexOf(delimiter);
        if (lengthEnd < 0)
        {
            return data.Length - p <= 8
                ? NeedMore(buffer, start, endOfInput, "the input ends inside BodyLength(9)")
                : Garbled(buffer, start, FixRules.Garbled, "BodyLength(9) is not a number followed by a delimiter");
        }
        if (!FixValues.TryParseCount(data.Slice(p, lengthEnd), out int bodyLength))
        {
            return Garbled(buffer, start, FixRules.Garbled,
                $"BodyLength(9) must be a byte count, not '{FixValues.ToText(data.Slice(p, Math.Min(lengthEnd, 20)))}'");
        }
        if (bodyLength > BodyLengthMax)
        {
            return Garbled(buffer, start, FixRules.TooLong, string.Create(CultureInfo.InvariantCulture,
                $"BodyLength(9) is {bodyLength}; messages longer than {BodyLengthMax} bytes are refused"));
        }
        int bodyStart = p + lengthEnd + 1;

        // 35=MsgType must be the third field.
        if (!StartsWith(data[bodyStart..], "35="u8, out partial))
        {
            return partial
                ? NeedMore(buffer, start, endOfInput, "the input ends before MsgType(35)")
                : Garbled(buffer, start, FixRules.Garbled, "MsgType(35) must be the third field");
        }

        // 10=CheckSum must start exactly BodyLength bytes after the delimiter ending 9=.
        int bodyEnd = bodyStart + bodyLength;
        bool lastDelimiterMissing = endOfInput && data.Length == bodyEnd + 6;
        if (data.Length < bodyEnd + 7 && !lastDelimiterMissing)
        {
            if (!endOfInput)
            {
                return new FixFrame(FixFrameStatus.Incomplete, start, 0, start, delimiter, null);
            }
            return WrongBodyLength(buffer, start, bodyStart, bodyLength, delimiter, endOfInput)
                ?? Garbled(buffer, start, FixRules.Truncated, string.Create(CultureInfo.InvariantCulture,
                    $"the input ends inside a message: BodyLength(9) is {bodyLength}, but only {Math.Max(0, data.Length - bodyStart)} bytes follow"));
        }
        ReadOnlySpan<byte> trailer = data.Slice(bodyEnd, lastDelimiterMissing ? 6 : 7);
        if (bodyLength == 0 || data[bodyEnd - 1] != delimiter || !trailer.StartsWith("10="u8)
            || (!lastDelimiterMissing && trailer[6] != delimiter))
        {
            return WrongBodyLength(buffer, start, bodyStart, bodyLength, delimiter, endOfInput)
                ?? Garbled(buffer, start, FixRules.BodyLength, string.Create(CultureInfo.InvariantCulture,
                    $"BodyLength(9) is {bodyLength}, but no CheckSum(10) field follows that many bytes"));
        }
        if (!FixValues.AllDigits(trailer[3..6]))
        {
            return Garbled(buffer, start, FixRules.CheckSum, $"CheckSum(10) must be three digits, not '{FixValues.ToText(trailer[3..6])}'", start + bodyEnd + trailer.Length);
        }
        int expected = CheckSum(data[..bodyEnd], delimiter);
        int written = ((trailer[3] - '0') * 100) + ((trailer[4] - '0') * 10) + (trailer[5] - '0');
        int length = bodyEnd + trailer.Length;
        if (written != expected)
        {
            return Garbled(buffer, start, FixRules.CheckSum, string.Create(CultureInfo.InvariantCulture,
                $"CheckSum(10) is {written:000}, but the bytes sum to {expected:000} (modulo 256)"), start + length);
        }
        return new FixFrame(FixFrameStatus.Complete, start, length, start + length, delimiter, null);
    }

    /// <summary>
    /// The FIX CheckSum of <paramref name="bytes"/> (from <c>8=</c> through the delimiter before <c>10=</c>):
    /// the byte sum modulo 256, each delimiter counted as SOH.
    /// </summary>
    public static int CheckSum(ReadOnlySpan<byte> bytes, byte delimiter = FixValues.Soh)
    {
        uint sum = 0;
        foreach (byte b in bytes)
        {
            sum += b;
        }
        if (delimiter != FixValues.Soh)
        {
            sum -= (uint)(bytes.Count(delimiter) * (delimiter - FixValues.Soh));
        }
        return (int)(sum & 0xFF);
    }

    /// <summary>When a CheckSum field is found elsewhere, the BodyLength is wrong: say by how much.</summary>
    private static FixFrame? WrongBodyLength(ReadOnlySpan<byte> buffer, int start, int bodyStart, int bodyLength, byte delimiter, bool endOfInput)
    {
        ReadOnlySpan<byte> data = buffer[start..];
        int next = data[1..].IndexOf(MessageStart);
        ReadOnlySpan<byte> search = next < 0 ? data : data[..(next + 1)];
        for (int from = bodyStart - 1; from < search.Length;)
        {
            int i = search[from..].IndexOf(delimiter);
            if (i < 0)
            {
                break;
            }
            int at = from + i + 1;
            ReadOnlySpan<byte> rest = search[at..];
            bool ends = rest.Length >= 7 ? rest[6] == delimiter : rest.Length == 6 && endOfInput && next < 0;
            if (ends && rest.StartsWith("10="u8) && FixValues.AllDigits(rest[3..6]))
            {
                return Garbled(buffer, start, FixRules.BodyLength, string.Create(CultureInfo.InvariantCulture,
                    $"BodyLength(9) is {bodyLength}, but the body has {at - bodyStart} bytes before CheckSum(10)"),
                    start + at + Math.Min(7, rest.Length));
            }
            from = at;
        }
        return null;
    }

    private static FixFrame NeedMore(ReadOnlySpan<byte> buffer, int start, bool endOfInput, string truncated) =>
        endOfInput
            ? Garbled(buffer, start, FixRules.Truncated, truncated)
            : new FixFrame(FixFrameStatus.Incomplete, start, 0, start, 0, null);

    /// <summary>A garbled frame; unless told where it ends, the bytes up to the next <c>8=FIX</c> are dropped.</summary>
    private static FixFrame Garbled(ReadOnlySpan<byte> buffer, int start, string rule, string message, int consumed = -1)
    {
        if (consumed < 0)
        {
            int next = buffer[(start + 1)..].IndexOf(MessageStart);
            consumed = next < 0 ? buffer.Length : start + 1 + next;
        }
        return new FixFrame(FixFrameStatus.Garbled, start, 0, consumed, 0, FixError.Framing(rule, message));
    }

    private static bool StartsWith(ReadOnlySpan<byte> data, ReadOnlySpan<byte> prefix, out bool partial)
    {
        partial = data.Length < prefix.Length && prefix.StartsWith(data);
        return data.StartsWith(prefix);
    }
}
