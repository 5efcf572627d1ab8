using System.Text;
using BackOffice.Intake.Csv;

namespace BackOffice.Intake.Tests;

/// <summary>The streaming reader gives each record's fields, raw text and first line, however records fall across its buffer.</summary>
public sealed class CsvStreamTests
{
    [Fact]
    public void Generated_records_read_back_field_for_field_across_buffer_boundaries()
    {
        var random = new Random(20261129);
        const string alphabet = "abcXYZ019 .-_é€";
        var expected = new List<(int Line, string[] Fields, string Raw)>();
        var text = new StringBuilder();
        int line = 1;
        // Enough records to cross the reader's buffer many times, with fields of every kind.
        for (int r = 0; r < 3_000; r++)
        {
            int count = random.Next(1, 9);
            var fields = new string[count];
            var raw = new StringBuilder();
            int start = line;
            for (int f = 0; f < count; f++)
            {
                var value = new StringBuilder();
                int length = random.Next(0, r % 97 == 0 ? 3_000 : 24);
                // A lone empty field is quoted: an empty line after a lone CR would read as CR LF.
                bool quote = random.Next(4) == 0 || (count == 1 && length == 0);
                for (int i = 0; i < length; i++)
                {
                    value.Append(quote && random.Next(12) == 0 ? "\",\r\n"[random.Next(4)] : alphabet[random.Next(alphabet.Length)]);
                }
                fields[f] = value.ToString();
                string written = quote ? "\"" + fields[f].Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : fields[f];
                // Inside quotes a line feed starts a line (a carriage return alone does not).
                line += written.Count(c => c == '\n');
                raw.Append(f == 0 ? "" : ",").Append(written);
            }
            expected.Add((start, fields, raw.ToString()));
            text.Append(raw).Append(random.Next(3) switch { 0 => "\r\n", 1 => "\n", _ => "\r" });
            line++;
        }
        using var csv = new CsvStream(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())));
        var read = csv.Records().ToList();
        Assert.Equal(expected.Count, read.Count);
        for (int i = 0; i < read.Count; i++)
        {
            Assert.Null(read[i].Error);
            Assert.Equal(expected[i].Fields, read[i].Fields);
            Assert.Equal(expected[i].Raw, read[i].Raw);
            Assert.Equal(expected[i].Line, read[i].Line);
        }
    }

    [Theory]
    [InlineData("a,b\nc,\"d\"e\n", 2, "text after a closing quote")]
    [InlineData("a,b\nc,d\"e\n", 2, "a quote inside an unquoted field (quote the whole field and double the quote)")]
    [InlineData("a,b\nc,\"d\n", 2, "unclosed quote at the end of the file")]
    [InlineData("a,b\nc,d\0\n", 2, "a NUL character: the file is binary or UTF-16, not UTF-8 text")]
    public void A_broken_record_ends_the_stream_with_its_line(string text, int line, string error)
    {
        using var csv = new CsvStream(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        CsvRecord last = csv.Records().Last();
        Assert.Equal(error, last.Error);
        Assert.Equal(line, last.Line);
    }

    [Fact]
    public void A_record_longer_than_the_limit_is_refused()
    {
        string text = "a\n" + new string('x', CsvStream.RecordLengthMax + 10) + "\nb\n";
        using var csv = new CsvStream(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        CsvRecord last = csv.Records().Last();
        Assert.StartsWith("a record longer than", last.Error, StringComparison.Ordinal);
        Assert.Equal(2, last.Line);
    }
}
