using System.Globalization;
using BackOffice.Application.Trading;
using BackOffice.Domain.Primitives;

namespace BackOffice.Intake.Fix;

/// <summary>
/// Reads a FIX log file (SOH or '|' delimited, one message per line or back to back, any text
/// before <c>8=FIX</c> on a line ignored) as a stream of trade messages, never holding the whole
/// file. Session messages and order events are skipped; a message that fails framing or the
/// dictionary becomes a read failure naming the file, line, MsgSeqNum and tag.
/// </summary>
public static class FixLogFile
{
    private const int ReadSize = 1 << 16;

    /// <summary>The trade messages in the file, in order.</summary>
    public static IEnumerable<TradeMessage> Read(string path, string? defaultSource)
    {
        string name = Path.GetFileName(path);
        using FileStream stream = File.OpenRead(path);
        foreach (TradeMessage message in Read(stream, name, defaultSource))
        {
            yield return message;
        }
    }

    /// <summary>The trade messages in a stream; <paramref name="name"/> names it in errors.</summary>
    public static IEnumerable<TradeMessage> Read(Stream stream, string name, string? defaultSource)
    {
        byte[] buffer = new byte[ReadSize * 2];
        int length = 0;
        long line = 1;
        bool end = false;
        string fallbackSource = defaultSource ?? "FIX";
        FixDictionary dictionary = FixDictionary.Fix44;
        while (true)
        {
            if (!end && length < ReadSize)
            {
                int read = stream.Read(buffer, length, buffer.Length - length);
                end = read == 0;
                length += read;
            }
            FixFrame frame = FixFramer.Find(buffer.AsSpan(0, length), end);
            switch (frame.Status)
            {
                case FixFrameStatus.NoMessage when end:
                    yield break;
                case FixFrameStatus.Incomplete when !end:
                    if (frame.Start > 0)
                    {
                        Drop(frame.Start);
                    }
                    else if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }
                    continue;
            }
            long messageLine = line + CountLines(buffer.AsSpan(0, Math.Min(frame.Start, length)));
            string location = string.Create(CultureInfo.InvariantCulture, $"{name}:{messageLine}");
            if (frame.Status == FixFrameStatus.Complete)
            {
                ReadOnlySpan<byte> bytes = frame.Slice(buffer);
                (FixMessage? message, FixError? error) = FixMessage.Parse(bytes, frame.Delimiter, dictionary);
                string raw = FixValues.ToText(bytes).Replace('\u0001', '|');
                TradeMessage? trade = message is not null
                    ? FixTrades.Read(message, location)
                    : new TradeMessage(null, error!.InFile(name, messageLine).Rejection, fallbackSource, raw, location);
                Drop(frame.Consumed);
                if (trade is not null)
                {
                    yield return trade;
                }
            }
            else if (frame.Status is FixFrameStatus.Garbled or FixFrameStatus.Incomplete)
            {
                FixError error = frame.Error ?? FixError.Create(FixRules.Truncated, "the file ends inside a message", null, null, null, null);
                string raw = FixValues.ToText(buffer.AsSpan(frame.Start, Math.Min(200, length - frame.Start))).Replace('\u0001', '|');
                yield return new TradeMessage(null, error.InFile(name, messageLine).Rejection, fallbackSource, raw, location);
                if (frame.Status == FixFrameStatus.Incomplete || frame.Consumed <= 0)
                {
                    yield break;
                }
                Drop(frame.Consumed);
            }
            else
            {
                Drop(frame.Consumed);
            }
        }

        void Drop(int count)
        {
            line += CountLines(buffer.AsSpan(0, count));
            Buffer.BlockCopy(buffer, count, buffer, 0, length - count);
            length -= count;
        }
    }

    private static int CountLines(ReadOnlySpan<byte> bytes) => bytes.Count((byte)'\n');
}
