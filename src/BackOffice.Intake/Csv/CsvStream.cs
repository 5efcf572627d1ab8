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
    // The fields of the record being read: one list for the whole stream, copied out per record.
    private readonly List<string> _fields = new(24);
    // Characters are taken from a buffer of our own, a run of plain field text at a time, rather
    // than one virtual call on the reader per character.
    private readonly char[] _buffer = new char[1 << 14];
    private int _position;
    private int _length;
    private int _line = 1;

    public CsvStream(Stream stream)
    {
        _reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
            detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        if (Peek() == '\uFEFF')
        {
            Read();
        }
    }

    private int Read() => _position < _length || Fill() ? _buffer[_position++] : -1;

    private int Peek() => _position < _length || Fill() ? _buffer[_position] : -1;

    private bool Fill()
    {
        _position = 0;
        _length = _reader.Read(_buffer, 0, _buffer.Length);
        return _length > 0;
    }

    /// <summary>
    /// Takes the plain text (no quote, comma, line break or NUL) that follows in the buffer into
    /// the current field and the raw record at once; the state machine below sees only the rest.
    /// </summary>
    private void TakePlainRun()
    {
        ReadOnlySpan<char> rest = _buffer.AsSpan(_position, _length - _position);
        int run = rest.IndexOfAny(Special);
        if (run < 0)
        {
            run = rest.Length;
        }
        if (run > 0)
        {
            _field.Append(rest[..run]);
            _raw.Append(rest[..run]);
            _position += run;
        }
    }

    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create("\",\r\n\0");

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
        int c = Read();
        if (c < 0)
        {
            return null;
        }
        int start = _line;
        List<string> fields = _fields;
        fields.Clear();
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
                    if (Peek() == '"')
                    {
                        Read();
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
                if (ch == '\r' && Peek() == '\n')
                {
                    Read();
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
                if (_raw.Length <= RecordLengthMax)
                {
                    TakePlainRun();
                }
            }
            c = Read();
        }
    }

    public void Dispose() => _reader.Dispose();
}
