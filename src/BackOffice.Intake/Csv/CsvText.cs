namespace BackOffice.Intake.Csv;

/// <summary>Writes CSV the way <see cref="CsvTable"/> reads it: a field is quoted only when it must be.</summary>
public static class CsvText
{
    /// <summary>One field, quoted when it holds a comma, a quote or a line break.</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>One row of fields joined by commas.</summary>
    public static string Row(params IEnumerable<string> values) => string.Join(",", values.Select(Field));
}
