using System.Globalization;
using BackOffice.Domain.Lots;
using BackOffice.Domain.Primitives;
using BackOffice.Intake.Csv;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Intake.Lots;

/// <summary>
/// The what-if history file of <c>backoffice lots realize</c>: CSV with the columns
/// <c>seq,trade_date,account,instrument,side,quantity,price,split_ratio</c> (and an optional
/// <c>fees</c>). Side is BUY, SELL or SPLIT; a SPLIT row has account <c>*</c>, no quantity or
/// price, and a ratio such as <c>2:1</c>. The whole file is read before anything is computed: the
/// first bad row refuses it, naming the file, line and field.
/// </summary>
public static class LotFile
{
    /// <summary>Columns every file must have.</summary>
    public static readonly string[] Columns = ["seq", "trade_date", "account", "instrument", "side", "quantity", "price", "split_ratio"];

    /// <summary>Reads the rows of <paramref name="text"/> (from <paramref name="source"/>, for messages).</summary>
    public static Result<IReadOnlyList<LotEvent>> Parse(string source, string text)
    {
        Result<CsvTable> table = CsvTable.Parse(source, text, Columns);
        if (table.Rejection is { } malformed)
        {
            return malformed;
        }
        var events = new List<LotEvent>(table.Value.Rows.Count);
        foreach (CsvRow row in table.Value.Rows)
        {
            Result<LotEvent> read = Read(row, $"{source}:{row.Line}");
            if (read.Rejection is { } rejection)
            {
                return rejection;
            }
            events.Add(read.Value);
        }
        return events;
    }

    private static Result<LotEvent> Read(CsvRow row, string line)
    {
        Rejection Bad(string field, string rule, string message) => new(rule, message, $"{line}, field {field}");

        string seqText = row["seq"].Trim();
        if (!long.TryParse(seqText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long seq))
        {
            return Bad("seq", "lots.seq", $"seq must be a whole number, not '{seqText}'");
        }
        ParseResult<LocalDate> date = LocalDatePattern.Iso.Parse(row["trade_date"].Trim());
        if (!date.Success)
        {
            return Bad("trade_date", "field.date", $"trade_date must be a date as yyyy-MM-dd, not '{row["trade_date"]}'");
        }
        string account = row["account"].Trim();
        string instrument = row["instrument"].Trim();
        if (instrument.Length == 0)
        {
            return Bad("instrument", "lots.instrument", "instrument is required");
        }
        LotEventKind? kind = row["side"].Trim().ToUpperInvariant() switch
        {
            "BUY" => LotEventKind.Buy,
            "SELL" => LotEventKind.Sell,
            "SPLIT" => LotEventKind.Split,
            _ => null,
        };
        if (kind is null)
        {
            return Bad("side", "lots.side", $"side must be BUY, SELL or SPLIT, not '{row["side"]}'");
        }
        string quantityText = row["quantity"].Trim(), priceText = row["price"].Trim(), ratioText = row["split_ratio"].Trim(), feesText = row["fees"].Trim();
        if (kind == LotEventKind.Split)
        {
            if (account != "*")
            {
                return Bad("account", "lots.split-account", $"a SPLIT applies to every holder: its account must be '*', not '{account}'");
            }
            if (quantityText.Length > 0 || priceText.Length > 0 || feesText.Length > 0)
            {
                return Bad(quantityText.Length > 0 ? "quantity" : priceText.Length > 0 ? "price" : "fees", "lots.split-fields", "a SPLIT row has no quantity, price or fees");
            }
            Result<SplitRatio> ratio = SplitRatio.Parse(ratioText);
            if (ratio.Rejection is { } badRatio)
            {
                return badRatio with { Location = $"{line}, field split_ratio" };
            }
            return new LotEvent(seq, date.Value, account, instrument, LotEventKind.Split, 0m, 0m, ratio.Value, line);
        }
        if (account.Length == 0 || account == "*")
        {
            return Bad("account", "lots.account", $"a {kind.Value.ToString().ToUpperInvariant()} row names one account, not '{account}'");
        }
        if (ratioText.Length > 0)
        {
            return Bad("split_ratio", "lots.split-fields", "only a SPLIT row has a split_ratio");
        }
        if (!decimal.TryParse(quantityText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal quantity) || quantity <= 0)
        {
            return Bad("quantity", "lots.quantity", $"quantity must be a positive number, not '{quantityText}'");
        }
        if (!decimal.TryParse(priceText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal price))
        {
            return Bad("price", "lots.price", $"price must be a number that is not negative, not '{priceText}'");
        }
        decimal fees = 0m;
        if (feesText.Length > 0 && !decimal.TryParse(feesText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out fees))
        {
            return Bad("fees", "lots.fees", $"fees must be a number that is not negative, not '{feesText}'");
        }
        return new LotEvent(seq, date.Value, account, instrument, kind.Value, quantity, price, null, line, fees);
    }
}
