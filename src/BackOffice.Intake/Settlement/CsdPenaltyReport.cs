using System.Globalization;
using BackOffice.Domain.Primitives;
using BackOffice.Intake.Csv;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Intake.Settlement;

/// <summary>
/// The CSD's daily penalty report, as the file of <c>backoffice settlement penalty-check</c>: CSV
/// with the columns <c>tx_id,penalty_date,amount,currency</c>, one row per instruction and day; the
/// amount is what the CSD computed, signed from the firm's side: negative when the firm pays the
/// penalty, positive when it receives it. The whole file is read first: the
/// first bad row refuses it, naming the file, line and field.
/// </summary>
public static class CsdPenaltyReport
{
    /// <summary>Columns every file must have.</summary>
    public static readonly string[] Columns = ["tx_id", "penalty_date", "amount", "currency"];

    /// <summary>Reads the rows of <paramref name="text"/> (from <paramref name="source"/>, for messages).</summary>
    public static Result<IReadOnlyList<(string TransactionId, LocalDate Date, decimal Amount, string Currency)>> Parse(string source, string text)
    {
        Result<CsvTable> table = CsvTable.Parse(source, text, Columns);
        if (table.Rejection is { } malformed)
        {
            return malformed;
        }
        var rows = new List<(string, LocalDate, decimal, string)>(table.Value.Rows.Count);
        var seen = new HashSet<(string, LocalDate)>();
        foreach (CsvRow row in table.Value.Rows)
        {
            string line = $"{source}:{row.Line}";
            string tx = row["tx_id"].Trim();
            if (tx.Length == 0)
            {
                return new Rejection("field.required", "tx_id is required", $"{line}, field tx_id");
            }
            ParseResult<LocalDate> date = LocalDatePattern.Iso.Parse(row["penalty_date"].Trim());
            if (!date.Success)
            {
                return new Rejection("field.date", $"penalty_date must be a date as yyyy-MM-dd, not '{row["penalty_date"]}'", $"{line}, field penalty_date");
            }
            if (!decimal.TryParse(row["amount"].Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal amount))
            {
                return new Rejection("field.decimal", $"amount must be a decimal number (negative: the firm pays), not '{row["amount"]}'", $"{line}, field amount");
            }
            string currency = row["currency"].Trim();
            if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
            {
                return new Rejection("field.currency", $"currency must be an ISO 4217 code such as EUR, not '{row["currency"]}'", $"{line}, field currency");
            }
            if (!seen.Add((tx, date.Value)))
            {
                return new Rejection("penalty.duplicate", $"{tx} has two rows for {row["penalty_date"].Trim()}", line);
            }
            rows.Add((tx, date.Value, amount, currency));
        }
        return rows;
    }
}
