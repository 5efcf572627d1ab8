using System.Globalization;
using System.Text;
using System.Text.Json;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Intake.Json;

/// <summary>The entries of a file and where each starts ("entries.json:17: entry 3"), for later rule messages.</summary>
public sealed record ParsedEntryFile(IReadOnlyList<JournalEntryRequest> Entries, IReadOnlyList<string> Locations);

/// <summary>
/// Reads a journal entry file (docs/reference/formats.md): a JSON object with an <c>entries</c>
/// array (or a bare array) of entries with <c>key</c>, <c>effective_date</c>, <c>reason</c>,
/// optional <c>source</c>, and <c>postings</c> of <c>account</c>, <c>asset</c>,
/// <c>direction</c> (debit or credit) and <c>amount</c> (a JSON number or a decimal string).
/// Unknown fields are refused. Every error names the file, the line and the entry.
/// </summary>
public static class JournalEntryFile
{
    /// <summary>Largest file accepted: about 3 million entries of four postings, read whole into memory.</summary>
    public const long BytesMax = 1L << 30;

    /// <summary>Parses the file's bytes.</summary>
    public static Result<ParsedEntryFile> Parse(string source, ReadOnlySpan<byte> utf8)
    {
        var lines = new LineIndex(utf8);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var entries = new List<JournalEntryRequest>();
        var locations = new List<string>();
        try
        {
            Expect(reader.Read(), "the file is empty");
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                Expect(reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("entries"u8),
                    "the top-level object must have one property, \"entries\"");
                reader.Read();
            }
            Expect(reader.TokenType == JsonTokenType.StartArray, "expected an array of entries");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var where = new Where(source, lines, entries.Count + 1, reader.TokenStartIndex);
                Result<JournalEntryRequest> entry = ReadEntry(ref reader, where);
                if (entry.Rejection is { } rejection)
                {
                    return rejection;
                }
                entries.Add(entry.Value);
                locations.Add(string.Create(CultureInfo.InvariantCulture, $"{source}:{lines.LineOf(where.EntryStart)}: entry {entries.Count}"));
            }
            return new ParsedEntryFile(entries, locations);
        }
        catch (JsonException e)
        {
            long line = e.LineNumber is { } zeroBased ? zeroBased + 1 : lines.LineOf(reader.TokenStartIndex);
            return new Rejection("json.syntax", e.Message, string.Create(CultureInfo.InvariantCulture, $"{source}:{line}"));
        }
    }

    private static Result<JournalEntryRequest> ReadEntry(ref Utf8JsonReader reader, Where where)
    {
        Expect(reader.TokenType == JsonTokenType.StartObject, "each entry must be a JSON object");
        string? key = null, reason = null, source = null;
        LocalDate? date = null;
        List<PostingRequest>? postings = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "key": key = ReadString(ref reader, name); break;
                case "reason": reason = ReadString(ref reader, name); break;
                case "source": source = ReadString(ref reader, name); break;
                case "effective_date":
                    ParseResult<LocalDate> parsed = LocalDatePattern.Iso.Parse(ReadString(ref reader, name));
                    if (!parsed.Success)
                    {
                        return where.Fail("entry.effective-date", $"effective_date must be a date as yyyy-MM-dd, not '{reader.GetString()}'", reader.TokenStartIndex);
                    }
                    date = parsed.Value;
                    break;
                case "postings":
                    Result<List<PostingRequest>> lines = ReadPostings(ref reader, where);
                    if (lines.Rejection is { } rejection)
                    {
                        return rejection;
                    }
                    postings = lines.Value;
                    break;
                default:
                    return where.Fail("json.unknown-field", $"unknown field \"{name}\"; an entry has key, effective_date, reason, source, postings", reader.TokenStartIndex);
            }
        }
        string? absent = key is null ? "key" : date is null ? "effective_date" : reason is null ? "reason" : postings is null ? "postings" : null;
        if (absent is not null)
        {
            return where.Fail("json.field-missing", $"required field \"{absent}\" is missing", where.EntryStart);
        }
        return new JournalEntryRequest(key!, date!.Value, reason!, source ?? "", postings!);
    }

    private static Result<List<PostingRequest>> ReadPostings(ref Utf8JsonReader reader, Where where)
    {
        Expect(reader.TokenType == JsonTokenType.StartArray, "postings must be an array");
        var postings = new List<PostingRequest>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            Result<PostingRequest> posting = ReadPosting(ref reader, where with { Posting = postings.Count + 1 });
            if (posting.Rejection is { } rejection)
            {
                return rejection;
            }
            postings.Add(posting.Value);
            if (postings.Count > JournalEntry.PostingsMax)
            {
                return where.Fail("entry.postings-count", $"an entry has at most {JournalEntry.PostingsMax} postings", reader.TokenStartIndex);
            }
        }
        return postings;
    }

    private static Result<PostingRequest> ReadPosting(ref Utf8JsonReader reader, Where where)
    {
        long start = reader.TokenStartIndex;
        Expect(reader.TokenType == JsonTokenType.StartObject, "each posting must be a JSON object");
        string? account = null, asset = null;
        Direction? direction = null;
        decimal? amount = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "account": account = ReadString(ref reader, name); break;
                case "asset": asset = ReadString(ref reader, name); break;
                case "direction":
                    string text = ReadString(ref reader, name);
                    direction = text switch { "debit" => Direction.Debit, "credit" => Direction.Credit, _ => null };
                    if (direction is null)
                    {
                        return where.Fail("posting.direction", $"direction must be \"debit\" or \"credit\", not \"{text}\"", reader.TokenStartIndex);
                    }
                    break;
                case "amount":
                    amount = ReadAmount(ref reader);
                    if (amount is null)
                    {
                        return where.Fail("posting.amount-format", "amount must be a decimal number, such as 1234.50 or \"1234.50\"", reader.TokenStartIndex);
                    }
                    break;
                default:
                    return where.Fail("json.unknown-field", $"unknown field \"{name}\"; a posting has account, asset, direction, amount", reader.TokenStartIndex);
            }
        }
        string? absent = account is null ? "account" : asset is null ? "asset" : direction is null ? "direction" : amount is null ? "amount" : null;
        return absent is not null
            ? where.Fail("json.field-missing", $"required field \"{absent}\" is missing", start)
            : new PostingRequest(account!, asset!, direction!.Value, amount!.Value);
    }

    private static decimal? ReadAmount(ref Utf8JsonReader reader)
    {
        // Numbers are read straight into decimal from their text: no binary floating point on the way.
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetDecimal(out decimal number) ? number : null;
        }
        if (reader.TokenType == JsonTokenType.String &&
            decimal.TryParse(reader.GetString(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal parsed))
        {
            return parsed;
        }
        return null;
    }

    private static string ReadString(ref Utf8JsonReader reader, string name)
    {
        Expect(reader.TokenType == JsonTokenType.String, $"field \"{name}\" must be a string");
        return reader.GetString()!;
    }

    private static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new JsonException(message);
        }
    }
}

/// <summary>Where in the file a rejection happened: file, line, entry and posting numbers.</summary>
internal sealed record Where(string Source, LineIndex Lines, int Entry, long EntryStart, int Posting = 0)
{
    public Rejection Fail(string rule, string message, long offset)
    {
        string posting = Posting > 0 ? string.Create(CultureInfo.InvariantCulture, $", posting {Posting}") : "";
        return new Rejection(rule, message, string.Create(CultureInfo.InvariantCulture, $"{Source}:{Lines.LineOf(offset)}: entry {Entry}{posting}"));
    }
}

/// <summary>Maps byte offsets of a file to 1-based line numbers.</summary>
internal sealed class LineIndex
{
    private readonly List<long> _lineStarts = [0];

    public LineIndex(ReadOnlySpan<byte> text)
    {
        for (int i = text.IndexOf((byte)'\n'), offset = 0; i >= 0; i = text[offset..].IndexOf((byte)'\n'))
        {
            offset += i + 1;
            _lineStarts.Add(offset);
        }
    }

    public int LineOf(long offset)
    {
        int index = _lineStarts.BinarySearch(offset);
        return (index >= 0 ? index : ~index - 1) + 1;
    }

    public static LineIndex Of(string text) => new(Encoding.UTF8.GetBytes(text));
}
