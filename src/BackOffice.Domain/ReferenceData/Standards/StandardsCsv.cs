using System.Globalization;
using System.Reflection;
using System.Text;
using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.ReferenceData.Standards;

/// <summary>
/// Reads the code lists embedded in this assembly (the CSV files beside this source file). The files
/// are part of the build, so a malformed one is a bug and fails an invariant; it is never a business
/// rejection. Lines starting with <c>#</c> are comments (each file names its source there); the first
/// other line is the header. Fields follow RFC 4180: a field may be quoted, and a quote inside a
/// quoted field is doubled. No field spans two lines.
/// </summary>
internal static class StandardsCsv
{
    /// <summary>Most data rows any embedded list may have (the MIC registry has about 2,900).</summary>
    internal const int RowsMax = 10_000;

    /// <summary>Most fields a row may have.</summary>
    internal const int FieldsMax = 16;

    private const string ResourcePrefix = "BackOffice.Domain.ReferenceData.Standards.";

    /// <summary>
    /// The data rows of an embedded list, header checked against <paramref name="expectedHeader"/> and
    /// every row checked to have as many fields as the header.
    /// </summary>
    internal static IReadOnlyList<string[]> ReadRows(string fileName, string expectedHeader)
    {
        string[] lines = ReadLines(fileName);
        List<string[]> rows = [];
        bool headerSeen = false;
        int expectedFields = expectedHeader.Split(',').Length;
        foreach (string line in lines)
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (!headerSeen)
            {
                Invariant.That(string.Equals(line, expectedHeader, StringComparison.Ordinal),
                    $"{fileName}: header is '{line}', expected '{expectedHeader}'");
                headerSeen = true;
                continue;
            }
            string[] fields = ParseLine(line);
            Invariant.That(fields.Length == expectedFields, string.Create(CultureInfo.InvariantCulture,
                $"{fileName}: row {rows.Count + 1} has {fields.Length} fields, expected {expectedFields}"));
            rows.Add(fields);
            Invariant.That(rows.Count <= RowsMax, $"{fileName}: more than {RowsMax} rows");
        }
        Invariant.That(headerSeen, $"{fileName}: no header");
        return rows;
    }

    /// <summary>Splits one CSV line into fields (RFC 4180 quoting, no line breaks inside fields).</summary>
    internal static string[] ParseLine(string line)
    {
        List<string> fields = [];
        StringBuilder field = new();
        int i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i = ReadQuoted(line, i + 1, field);
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                {
                    field.Append(line[i]);
                    i++;
                }
            }
            fields.Add(field.ToString());
            Invariant.That(fields.Count <= FieldsMax, $"CSV line has more than {FieldsMax} fields");
            if (i >= line.Length)
            {
                return [.. fields];
            }
            Invariant.That(line[i] == ',', "CSV: a quoted field must be followed by a comma or the end of the line");
            i++;
        }
    }

    /// <summary>Reads a quoted field starting after its opening quote; returns the index after the closing quote.</summary>
    private static int ReadQuoted(string line, int start, StringBuilder field)
    {
        int i = start;
        while (true)
        {
            Invariant.That(i < line.Length, "CSV: unterminated quoted field");
            char c = line[i];
            if (c != '"')
            {
                field.Append(c);
                i++;
            }
            else if (i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i += 2;
            }
            else
            {
                return i + 1;
            }
        }
    }

    private static string[] ReadLines(string fileName)
    {
        Assembly assembly = typeof(StandardsCsv).Assembly;
        using Stream? stream = assembly.GetManifestResourceStream(ResourcePrefix + fileName);
        Invariant.That(stream is not null, $"embedded resource {ResourcePrefix}{fileName} is missing");
        using StreamReader reader = new(stream!, Encoding.UTF8);
        return reader.ReadToEnd().Split('\n');
    }
}
