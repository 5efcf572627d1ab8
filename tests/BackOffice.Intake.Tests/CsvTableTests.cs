using BackOffice.Domain.Primitives;
using BackOffice.Intake.Csv;

namespace BackOffice.Intake.Tests;

public sealed class CsvTableTests
{
    [Fact]
    public void Quoted_fields_hold_commas_quotes_and_line_breaks_and_rows_keep_their_line()
    {
        string text = "code,name\r\nA,\"Smith, \"\"Jr\"\"\"\r\nB,\"two\nlines\"\nC,plain\n";
        CsvTable table = CsvTable.Parse("f.csv", text, ["code", "name"]).Value;
        Assert.Equal(["Smith, \"Jr\"", "two\nlines", "plain"], table.Rows.Select(r => r["name"]));
        Assert.Equal([2, 3, 5], table.Rows.Select(r => r.Line));
    }

    [Theory]
    [InlineData("", "csv.header-missing", "f.csv:1")]
    [InlineData("code\nA\n", "csv.column-missing", "f.csv:1")]
    [InlineData("code,name\nA,x\nB\n", "csv.field-count", "f.csv:3")]
    [InlineData("code,name\nA,\"open\n", "csv.quote", "f.csv:2")]
    [InlineData("code,name\nA,x\"y\n", "csv.quote", "f.csv:2")]
    [InlineData("code,name\nA,\"x\"y\n", "csv.quote", "f.csv:2")]
    [InlineData("code,code,name\n", "csv.header-duplicate", "f.csv:1")]
    public void Malformed_files_are_refused_with_rule_and_line(string text, string rule, string location)
    {
        Rejection? rejection = CsvTable.Parse("f.csv", text, ["code", "name"]).Rejection;
        Assert.Equal(rule, rejection?.Rule);
        Assert.Equal(location, rejection?.Location);
    }

    [Fact]
    public void Written_fields_read_back_unchanged()
    {
        string[] values = ["plain", "with,comma", "with \"quote\"", "line\nbreak", ""];
        string text = "a,b,c,d,e\n" + CsvText.Row(values) + "\n";
        CsvTable table = CsvTable.Parse("f.csv", text, ["a"]).Value;
        Assert.Equal(values, table.Rows.Single().Fields);
    }
}
