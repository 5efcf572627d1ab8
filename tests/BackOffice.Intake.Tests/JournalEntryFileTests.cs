using System.Text;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Intake.Json;

namespace BackOffice.Intake.Tests;

public sealed class JournalEntryFileTests
{
    private static Result<ParsedEntryFile> Parse(string json) => JournalEntryFile.Parse("e.json", Encoding.UTF8.GetBytes(json));

    private const string Good = """
        {
          "entries": [
            {
              "key": "k1", "effective_date": "2026-11-27", "reason": "deposit", "source": "bank",
              "postings": [
                { "account": "1010", "asset": "USD", "direction": "debit", "amount": 100.10 },
                { "account": "2010", "asset": "USD", "direction": "credit", "amount": "100.10" }
              ]
            }
          ]
        }
        """;

    [Fact]
    public void Numbers_and_decimal_strings_are_read_exactly()
    {
        JournalEntryRequest entry = Parse(Good).Value.Entries.Single();
        Assert.Equal("e.json:3: entry 1", Parse(Good).Value.Locations.Single());
        Assert.Equal(new NodaTime.LocalDate(2026, 11, 27), entry.EffectiveDate);
        Assert.Equal([100.10m, 100.10m], entry.Postings.Select(p => p.Amount));
        Assert.Equal([Direction.Debit, Direction.Credit], entry.Postings.Select(p => p.Direction));
        Assert.Single(Parse("[" + Good[(Good.IndexOf('[') + 1)..Good.LastIndexOf(']')] + "]").Value.Entries);
    }

    [Theory]
    [InlineData("\"direction\": \"debit\"", "\"direction\": \"DR\"", "posting.direction", "e.json:6: entry 1, posting 1")]
    [InlineData("\"amount\": 100.10 }", "\"amount\": \"1e3\" }", "posting.amount-format", "e.json:6: entry 1, posting 1")]
    [InlineData("\"effective_date\": \"2026-11-27\"", "\"effective_date\": \"27/11/2026\"", "entry.effective-date", "e.json:4: entry 1")]
    [InlineData("\"source\": \"bank\"", "\"source\": \"bank\", \"memo\": 1", "json.unknown-field", "e.json:4: entry 1")]
    [InlineData("\"key\": \"k1\", ", "", "json.field-missing", "e.json:3: entry 1")]
    [InlineData("\"reason\": \"deposit\",", "\"reason\": \"deposit\"", "json.syntax", "e.json:4")]
    public void Bad_entries_name_rule_line_and_entry(string find, string replace, string rule, string location)
    {
        Rejection? rejection = Parse(Good.Replace(find, replace, StringComparison.Ordinal)).Rejection;
        Assert.Equal(rule, rejection?.Rule);
        Assert.Equal(location, rejection?.Location);
    }
}
