using System.Text;
using BackOffice.Domain.Primitives;

namespace BackOffice.Intake.Csv;

/// <summary>One data row of a CSV file, with its 1-based line number for error messages.</summary>
public sealed class CsvRow(CsvTable table, int line, string[] fields)
{
    /// <summary>Line number of the row's first character in the file.</summary>
    public int Line { get; } = line;

    /// <summary>The raw fields, in column order.</summary>
    public IReadOnlyList<string> Fields => fields;

    /// <summary>The field under <paramref name="column"/>, or empty when the optional column is absent.</summary>
    public string this[string column] => table.IndexOf(column) is int i and >= 0 && i < fields.Length ? fields[i] : string.Empty;
}

/// <summary>
/// A parsed CSV file (RFC 4180: comma separated, double-quoted fields may hold commas, quotes and
/// line breaks; a header row names the columns). Parsing is strict: a row with the wrong number of
/// fields, an unclosed quote or a missing required column is a rejection naming file and line.
/// </summary>
public sealed class CsvTable
{
    /// <summary>Most data rows one file may have.</summary>
    public const int RowsMax = 5_000_000;

    private readonly Dictionary<string, int> _columns;

    private CsvTable(string source, string[] header, List<CsvRow> rows, Dictionary<string, int> columns)
    {
        Source = source;
        Header = header;
        _columns = columns;
        Rows = rows;
    }

    /// <summary>The file name (or "stdin"), used in messages.</summary>
    public string Source { get; }

    /// <summary>Column names as written in the header.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>The data rows.</summary>
    public IReadOnlyList<CsvRow> Rows { get; private set; }

    /// <summary>Index of a column, or -1.</summary>
    public int IndexOf(string column) => _columns.GetValueOrDefault(column, -1);

    /// <summary>Parses <paramref name="text"/>, checking that every <paramref name="requiredColumns"/> is in the header.</summary>
    public static Result<CsvTable> Parse(string source, string text, IReadOnlyList<string> requiredColumns)
    {
        var records = new List<(int Line, string[] Fields)>();
        Rejection? malformed = Split(source, text, records);
        if (malformed is not null)
        {
            return malformed;
        }
        if (records.Count == 0)
        {
            return new Rejection("csv.header-missing", "the file is empty; a header row is required", $"{source}:1");
        }
        string[] header = records[0].Fields.Select(h => h.Trim()).ToArray();
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++)
        {
            if (!columns.TryAdd(header[i], i))
            {
                return new Rejection("csv.header-duplicate", $"column '{header[i]}' appears twice", $"{source}:1");
            }
        }
        string? missing = requiredColumns.FirstOrDefault(c => !columns.ContainsKey(c));
        if (missing is not null)
        {
            return new Rejection("csv.column-missing",
                $"required column '{missing}' is missing; expected columns: {string.Join(",", requiredColumns)}", $"{source}:1");
        }
        if (records.Count - 1 > RowsMax)
        {
            return new Rejection("csv.too-many-rows", $"{records.Count - 1} rows; the limit is {RowsMax}", source);
        }
        var table = new CsvTable(source, header, [], columns);
        var rows = new List<CsvRow>(records.Count - 1);
        foreach ((int line, string[] fields) in records.Skip(1))
        {
            if (fields.Length != header.Length)
            {
                return new Rejection("csv.field-count", $"row has {fields.Length} fields; the header has {header.Length}", $"{source}:{line}");
            }
            rows.Add(new CsvRow(table, line, fields));
        }
        table.Rows = rows;
        return table;
    }

    private static Rejection? Split(string source, string text, List<(int Line, string[] Fields)> records)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1;
        bool quoted = false, fieldStarted = false, afterQuote = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') { quoted = false; afterQuote = true; }
                else { if (c == '\n') { line++; } field.Append(c); }
                continue;
            }
            switch (c)
            {
                case '"' when !fieldStarted:
                    quoted = true;
                    fieldStarted = true;
                    break;
                case '"':
                    return new Rejection("csv.quote", "a double quote inside an unquoted field must be escaped by quoting the field", $"{source}:{line}");
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = afterQuote = false;
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n':
                    EndRecord(records, fields, field, recordLine, fieldStarted);
                    line++;
                    recordLine = line;
                    fieldStarted = afterQuote = false;
                    break;
                default:
                    if (afterQuote)
                    {
                        return new Rejection("csv.quote", "text after a closing quote; a quoted field must end at a comma or line end", $"{source}:{line}");
                    }
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }
        if (quoted)
        {
            return new Rejection("csv.quote", "a quoted field is not closed before the end of the file", $"{source}:{recordLine}");
        }
        EndRecord(records, fields, field, recordLine, fieldStarted);
        return null;
    }

    private static void EndRecord(List<(int Line, string[] Fields)> records, List<string> fields, StringBuilder field, int line, bool fieldStarted)
    {
        // A blank line (no fields at all) is skipped, so a trailing newline is harmless.
        if (fields.Count > 0 || fieldStarted || field.Length > 0)
        {
            fields.Add(field.ToString());
            records.Add((line, fields.ToArray()));
        }
        fields.Clear();
        field.Clear();
    }
}
