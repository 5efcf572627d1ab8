using System.Text;

namespace BackOffice.Intake.Csv;

/// <summary>One record read from a CSV stream: its fields, or what was wrong with it, and the line it started on.</summary>
public readonly record struct CsvRecord(int Line, string[] Fields, string Raw, string? Error);

/// <summary>
/// Reads RFC 4180 CSV one record at a time from a stream, so a file of millions of rows is never
/// held in memory. Quoted fields may hold commas, quotes ("") and line breaks. Bytes must be UTF-8
/// (a BOM is skipped); anything else is an error naming the line, not a silent replacement character.
/// </summary>
public sealed class CsvStream : IDisposable
{
    /// <summary>Longest record accepted, in characters: a longer one is a broken file (an unclosed quote), not a row.</summary>
    public const int RecordLengthMax = 64 * 1024;

    private readonly TextReader _reader;
    private readonly StringBuilder _field = new();
    private readonly StringBuilder _raw = new();
    private int _line = 1;

    public CsvStream(Stream stream)
    {
        _reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
            detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        if (_reader.Peek() == '\uFEFF')
        {
            _reader.Read();
        }
    }

    /// <summary>Reads every record; ends after the last one (a record with an error ends the stream).</summary>
    public IEnumerable<CsvRecord> Records()
    {
        while (true)
        {
            CsvRecord? record;
            try
            {
                record = Next();
            }
            catch (DecoderFallbackException)
            {
                record = new CsvRecord(_line, [], "", "the file is not valid UTF-8 text (save it as UTF-8)");
            }
            if (record is not { } r)
            {
                yield break;
            }
            yield return r;
            if (r.Error is not null)
            {
                yield break;
            }
        }
    }

    private CsvRecord? Next()
    {
        int c = _reader.Read();
        if (c < 0)
        {
            return null;
        }
        int start = _line;
        var fields = new List<string>(24);
        _field.Clear();
        _raw.Clear();
        bool quoted = false, wasQuoted = false;
        while (true)
        {
            if (_raw.Length > RecordLengthMax)
            {
                return new CsvRecord(start, [], "", $"a record longer than {RecordLengthMax} characters (an unclosed quote?)");
            }
            if (c < 0)
            {
                if (quoted)
                {
                    return new CsvRecord(start, [], _raw.ToString(), "unclosed quote at the end of the file");
                }
                fields.Add(_field.ToString());
                return new CsvRecord(start, [.. fields], _raw.ToString(), null);
            }
            char ch = (char)c;
            if (ch == '\0')
            {
                return new CsvRecord(start, [], _raw.ToString(), "a NUL character: the file is binary or UTF-16, not UTF-8 text");
            }
            if (quoted)
            {
                if (ch == '"')
                {
                    if (_reader.Peek() == '"')
                    {
                        _reader.Read();
                        _field.Append('"');
                        _raw.Append("\"\"");
                    }
                    else
                    {
                        quoted = false;
                        _raw.Append(ch);
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        _line++;
                    }
                    _field.Append(ch);
                    _raw.Append(ch);
                }
            }
            else if (ch == '"' && _field.Length == 0 && !wasQuoted)
            {
                quoted = wasQuoted = true;
                _raw.Append(ch);
            }
            else if (ch == '"')
            {
                return new CsvRecord(start, [], _raw.ToString(), "a quote inside an unquoted field (quote the whole field and double the quote)");
            }
            else if (ch == ',')
            {
                fields.Add(_field.ToString());
                _field.Clear();
                wasQuoted = false;
                _raw.Append(ch);
            }
            else if (ch is '\r' or '\n')
            {
                if (ch == '\r' && _reader.Peek() == '\n')
                {
                    _reader.Read();
                }
                _line++;
                fields.Add(_field.ToString());
                return new CsvRecord(start, [.. fields], _raw.ToString(), null);
            }
            else
            {
                if (wasQuoted)
                {
                    return new CsvRecord(start, [], _raw.ToString(), "text after a closing quote");
                }
                _field.Append(ch);
                _raw.Append(ch);
            }
            c = _reader.Read();
        }
    }

    public void Dispose() => _reader.Dispose();
}
