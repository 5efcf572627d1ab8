using System.Globalization;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Reconciliation;
using BackOffice.Domain.ReferenceData.Identifiers;
using BackOffice.Domain.ReferenceData.Standards;
using BackOffice.Intake.Csv;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Intake.Reconciliation;

/// <summary>
/// Custody and cash statements as CSV (docs/reference/formats.md, "Custody and cash statements"),
/// for custodians and banks that send files rather than ISO 20022 messages. One file is one
/// statement: every row repeats the statement's id, account and date (and, for custody, its basis;
/// for cash, its currency), and a row that differs is refused. The whole file is read before anything
/// is returned; the first bad row refuses it, naming the file, line and field.
/// </summary>
public static class StatementCsv
{
    /// <summary>Columns of a custody holdings file, in the documented order.</summary>
    public static readonly string[] CustodyColumns = ["statement_id", "account", "date", "basis", "isin", "quantity"];

    /// <summary>Columns of a cash statement file, in the documented order.</summary>
    public static readonly string[] CashColumns =
        ["statement_id", "account", "currency", "date", "kind", "amount", "booking_date", "value_date", "reference", "description"];

    // The fields every row of a file repeats, and those a balance row leaves empty.
    private static readonly string[] CustodyShared = ["statement_id", "account", "date", "basis"];
    private static readonly string[] CashShared = ["statement_id", "account", "currency", "date"];
    private static readonly string[] EntryOnly = ["booking_date", "value_date", "reference", "description"];
    private static readonly string[] Identity = ["statement_id", "account"];

    /// <summary>
    /// The custody statement in <paramref name="text"/> (from <paramref name="fileName"/>, for messages): one
    /// row per holding, quantity signed (a short position negative). Refused: malformed CSV (<c>csv.*</c>), no
    /// rows (<c>statement.empty</c>), an empty field (<c>field.required</c>), a basis other than <c>trade</c> or
    /// <c>settlement</c> (<c>field.enumeration</c>), a bad date (<c>field.date</c>), ISIN (<c>field.isin</c>) or
    /// quantity (<c>field.decimal</c>), or a row of another statement (<c>statement.mixed</c>).
    /// </summary>
    public static Result<Statement> ReadCustody(string fileName, string text)
    {
        Result<CsvTable> table = CsvTable.Parse(fileName, text, CustodyColumns);
        if (table.Rejection is { } malformed)
        {
            return malformed;
        }
        if (table.Value.Rows.Count == 0)
        {
            return Empty(fileName);
        }
        CsvRow first = table.Value.Rows[0];
        Result<(string Id, string Account, LocalDate Date)> header = Header(first, Where(fileName, first));
        if (header.Rejection is { } badHeader)
        {
            return badHeader;
        }
        StatementBasis? basis = first["basis"].Trim().ToUpperInvariant() switch
        {
            "TRADE" => StatementBasis.TradeDate,
            "SETTLEMENT" => StatementBasis.SettlementDate,
            _ => null,
        };
        if (basis is null)
        {
            return Bad(Where(fileName, first), "basis", "field.enumeration", $"basis must be trade or settlement, not '{first["basis"]}'");
        }
        var holdings = new List<HoldingLine>(table.Value.Rows.Count);
        foreach (CsvRow row in table.Value.Rows)
        {
            string where = Where(fileName, row);
            if (Mixed(first, row, CustodyShared, where) is { } mixed)
            {
                return mixed;
            }
            string isin = row["isin"].Trim();
            if (IsinRules.Validate(isin) is { IsValid: false } invalid)
            {
                return Bad(where, "isin", "field.isin", $"isin '{row["isin"]}' is not an ISIN: {invalid.Reason}");
            }
            if (!Decimal(row["quantity"], out decimal quantity))
            {
                return Bad(where, "quantity", "field.decimal", $"quantity must be a decimal number (negative for a short position), not '{row["quantity"]}'");
            }
            holdings.Add(new HoldingLine(isin, quantity));
        }
        (string id, string account, LocalDate date) = header.Value;
        return new Statement(StatementKind.Custody, id, account, date, basis.Value, null, holdings, [], []);
    }

    /// <summary>
    /// The cash statement in <paramref name="text"/> (from <paramref name="fileName"/>, for messages): rows of kind
    /// <c>opening</c> and <c>closing</c> are the opening and closing booked balances (OPBD, CLBD) on the statement
    /// date, rows of kind <c>entry</c> the booked movements; amounts are signed from the account holder's side
    /// (credit positive). A cash statement is on a booking-date basis: <see cref="StatementBasis.SettlementDate"/>.
    /// Refused: malformed CSV (<c>csv.*</c>), no rows (<c>statement.empty</c>), an empty required field
    /// (<c>field.required</c>), an unknown currency (<c>field.currency</c>) or kind (<c>field.enumeration</c>), a bad
    /// date (<c>field.date</c>) or amount (<c>field.decimal</c>), a date, reference or description on a balance row
    /// (<c>field.not-allowed</c>), a second opening or closing balance (<c>statement.duplicate-balance</c>), or a row
    /// of another statement (<c>statement.mixed</c>).
    /// </summary>
    public static Result<Statement> ReadCash(string fileName, string text)
    {
        Result<CsvTable> table = CsvTable.Parse(fileName, text, CashColumns);
        if (table.Rejection is { } malformed)
        {
            return malformed;
        }
        if (table.Value.Rows.Count == 0)
        {
            return Empty(fileName);
        }
        CsvRow first = table.Value.Rows[0];
        Result<(string Id, string Account, LocalDate Date)> header = Header(first, Where(fileName, first));
        if (header.Rejection is { } badHeader)
        {
            return badHeader;
        }
        string currency = first["currency"].Trim();
        if (!CurrencyRegistry.TryGet(currency, out _))
        {
            return Bad(Where(fileName, first), "currency", "field.currency", $"currency must be an ISO 4217 code such as EUR, not '{first["currency"]}'");
        }
        (string id, string account, LocalDate date) = header.Value;
        var balances = new List<CashBalance>();
        var entries = new List<CashEntry>();
        foreach (CsvRow row in table.Value.Rows)
        {
            string where = Where(fileName, row);
            if (Mixed(first, row, CashShared, where) is { } mixed)
            {
                return mixed;
            }
            Rejection? rejected = CashRow(row, where, date, balances, entries);
            if (rejected is not null)
            {
                return rejected;
            }
        }
        return new Statement(StatementKind.Cash, id, account, date, StatementBasis.SettlementDate, currency, [], entries, balances);
    }

    /// <summary>Reads one cash row into <paramref name="balances"/> or <paramref name="entries"/>; the rejection when it cannot.</summary>
    private static Rejection? CashRow(CsvRow row, string where, LocalDate date, List<CashBalance> balances, List<CashEntry> entries)
    {
        string kind = row["kind"].Trim().ToUpperInvariant();
        string? balanceType = kind switch
        {
            "OPENING" => "OPBD",
            "CLOSING" => "CLBD",
            _ => null,
        };
        if (balanceType is null && kind != "ENTRY")
        {
            return Bad(where, "kind", "field.enumeration", $"kind must be opening, closing or entry, not '{row["kind"]}'");
        }
        if (!Decimal(row["amount"], out decimal amount))
        {
            return Bad(where, "amount", "field.decimal", $"amount must be a decimal number (negative for a debit), not '{row["amount"]}'");
        }
        if (balanceType is not null)
        {
            if (EntryOnly.FirstOrDefault(c => row[c].Trim().Length > 0) is { } extra)
            {
                return Bad(where, extra, "field.not-allowed", $"{extra} must be empty on a balance row ({row["kind"].Trim()}): a balance is struck on the statement date");
            }
            if (balances.Any(b => b.Type == balanceType))
            {
                return Bad(where, "kind", "statement.duplicate-balance", $"the statement already has its {row["kind"].Trim()} balance");
            }
            balances.Add(new CashBalance(balanceType, amount, date));
            return null;
        }
        if (row["booking_date"].Trim().Length == 0)
        {
            return Bad(where, "booking_date", "field.required", "booking_date is required on an entry row");
        }
        Result<LocalDate> booked = Date(row, "booking_date", where);
        if (booked.Rejection is { } badBooking)
        {
            return badBooking;
        }
        LocalDate? valued = null;
        if (row["value_date"].Trim().Length > 0)
        {
            Result<LocalDate> value = Date(row, "value_date", where);
            if (value.Rejection is { } badValue)
            {
                return badValue;
            }
            valued = value.Value;
        }
        entries.Add(new CashEntry(amount, booked.Value, valued, Optional(row["reference"]), Optional(row["description"])));
        return null;
    }

    /// <summary>The statement id, account and date of the first row, each required.</summary>
    private static Result<(string Id, string Account, LocalDate Date)> Header(CsvRow first, string where)
    {
        foreach (string column in Identity)
        {
            if (first[column].Trim().Length == 0)
            {
                return Bad(where, column, "field.required", $"{column} is required");
            }
        }
        Result<LocalDate> date = Date(first, "date", where);
        if (date.Rejection is { } bad)
        {
            return bad;
        }
        return (first["statement_id"].Trim(), first["account"].Trim(), date.Value);
    }

    /// <summary>Null when <paramref name="row"/> carries the same <paramref name="shared"/> fields as <paramref name="first"/>.</summary>
    private static Rejection? Mixed(CsvRow first, CsvRow row, string[] shared, string where)
    {
        // Identifiers compare exactly; the basis is a word, written in any case.
        string? differs = shared.FirstOrDefault(c =>
            !string.Equals(row[c].Trim(), first[c].Trim(), c == "basis" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));
        return differs is null
            ? null
            : Bad(where, differs, "statement.mixed",
                $"{differs} is '{row[differs].Trim()}' but line {first.Line} has '{first[differs].Trim()}': one file is one statement, and every row repeats its {string.Join(", ", shared)}");
    }

    /// <summary>The yyyy-MM-dd date under <paramref name="column"/>, or the rejection naming it.</summary>
    private static Result<LocalDate> Date(CsvRow row, string column, string where)
    {
        ParseResult<LocalDate> date = LocalDatePattern.Iso.Parse(row[column].Trim());
        return date.Success ? date.Value : Bad(where, column, "field.date", $"{column} must be a date as yyyy-MM-dd, not '{row[column]}'");
    }

    private static Rejection Empty(string fileName) =>
        new("statement.empty", "the file has a header but no rows: a statement file needs at least one row to say which statement and account it is", fileName);

    private static string Where(string fileName, CsvRow row) => $"{fileName}:{row.Line.ToString(CultureInfo.InvariantCulture)}";

    private static Rejection Bad(string where, string field, string rule, string message) => new(rule, message, $"{where}, field {field}");

    private static string? Optional(string text) => text.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    private static bool Decimal(string text, out decimal value) =>
        decimal.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
}
