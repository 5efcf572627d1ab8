using System.Globalization;
using System.Text.Json;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Trading;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Application.Trading;

/// <summary>
/// The trade fields shared by the CSV and JSON trade formats and by repairs of exceptions
/// (docs/reference/formats.md, "Trades"): one name per field, text values, empty when unused.
/// </summary>
public static class TradeFields
{
    /// <summary>Every field, in the documented column order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "source", "source_trade_id", "action", "ref_trade_id", "side", "instrument_id", "instrument_id_type", "market", "quantity", "price",
        "currency", "account", "counterparty", "trade_date", "executed_at", "settlement_date", "commission", "lots", "venue_transaction_id",
    ];

    /// <summary>Fields a new trade must have (a bust needs only source_trade_id, action and ref_trade_id).</summary>
    public static IReadOnlyList<string> Required { get; } =
        ["source_trade_id", "side", "instrument_id", "quantity", "price", "currency", "account", "counterparty", "trade_date"];

    /// <summary>Longest text accepted in a field: longer is not a trade but a broken file.</summary>
    public const int FieldLengthMax = 256;

    /// <summary>
    /// Reads a request from named fields. <paramref name="defaultSource"/> is used when the source
    /// field is empty. Errors name the field; the caller adds the file and line.
    /// </summary>
    public static Result<TradeRequest> Read(Func<string, string> field, string? defaultSource, string location, string raw)
    {
        // Indexed loops: a foreach over the interface would allocate an enumerator a row.
        for (int i = 0; i < All.Count; i++)
        {
            string name = All[i];
            if (field(name).Length > FieldLengthMax)
            {
                return new Rejection("field.too-long", $"{name} is longer than {FieldLengthMax} characters");
            }
        }
        string source = field("source").Trim() is { Length: > 0 } s ? s : defaultSource ?? "";
        if (source.Length == 0)
        {
            return new Rejection("field.required", "source is required (a column, or --source)");
        }
        TradeAction action;
        switch (field("action").Trim().ToUpperInvariant())
        {
            case "" or "NEW":
                action = TradeAction.New;
                break;
            case "CORRECT":
                action = TradeAction.Correct;
                break;
            case "BUST":
                action = TradeAction.Bust;
                break;
            default:
                return new Rejection("field.enumeration", $"action must be NEW, CORRECT or BUST, not '{field("action")}'");
        }
        string sourceTradeId = field("source_trade_id").Trim();
        if (sourceTradeId.Length == 0)
        {
            return new Rejection("field.required", "source_trade_id is required");
        }
        string? refTradeId = field("ref_trade_id").Trim() is { Length: > 0 } r ? r : null;
        if (action == TradeAction.Bust)
        {
            return new TradeRequest
            {
                Source = source,
                SourceTradeId = sourceTradeId,
                Action = action,
                RefTradeId = refTradeId,
                SourceMessage = raw,
                Location = location,
            };
        }
        for (int i = 0; i < Required.Count; i++)
        {
            string name = Required[i];
            if (field(name).Trim().Length == 0)
            {
                return new Rejection("field.required", $"{name} is required");
            }
        }
        TradeSide side;
        switch (field("side").Trim().ToUpperInvariant())
        {
            case "BUY" or "B":
                side = TradeSide.Buy;
                break;
            case "SELL" or "S":
                side = TradeSide.Sell;
                break;
            default:
                return new Rejection("field.enumeration", $"side must be BUY or SELL, not '{field("side")}'");
        }
        InstrumentIdType idType;
        switch (field("instrument_id_type").Trim().ToUpperInvariant())
        {
            case "" or "ISIN":
                idType = InstrumentIdType.Isin;
                break;
            case "CUSIP":
                idType = InstrumentIdType.Cusip;
                break;
            case "SEDOL":
                idType = InstrumentIdType.Sedol;
                break;
            case "TICKER":
                idType = InstrumentIdType.Ticker;
                break;
            default:
                return new Rejection("field.enumeration", $"instrument_id_type must be ISIN, CUSIP, SEDOL or TICKER, not '{field("instrument_id_type")}'");
        }
        if (!Decimal(field("quantity"), "quantity", out decimal quantity, out Rejection? bad)
            || !Decimal(field("price"), "price", out decimal price, out bad))
        {
            return bad!;
        }
        decimal? commission = null;
        if (field("commission").Trim().Length > 0)
        {
            if (!Decimal(field("commission"), "commission", out decimal value, out bad))
            {
                return bad!;
            }
            commission = value;
        }
        IReadOnlyList<long>? lots = null;
        if (field("lots").Trim() is { Length: > 0 } named)
        {
            Result<IReadOnlyList<long>> parsed = TradeLots.Parse(named);
            if (parsed.Rejection is { } badLots)
            {
                return badLots;
            }
            lots = parsed.Value;
        }
        if (!Date(field("trade_date"), "trade_date", out LocalDate tradeDate, out bad))
        {
            return bad!;
        }
        LocalDate? settlementDate = null;
        if (field("settlement_date").Trim().Length > 0)
        {
            if (!Date(field("settlement_date"), "settlement_date", out LocalDate value, out bad))
            {
                return bad!;
            }
            settlementDate = value;
        }
        Instant? executedAt = null;
        if (field("executed_at").Trim() is { Length: > 0 } at)
        {
            if (IsoText.TryParseInstant(at, out Instant fast))
            {
                executedAt = fast;
            }
            else
            {
                ParseResult<Instant> parsed = InstantPattern.ExtendedIso.Parse(at);
                if (!parsed.Success)
                {
                    return new Rejection("field.timestamp", $"executed_at must be a UTC time such as 2026-11-27T14:30:00.123456Z, not '{at}'");
                }
                executedAt = parsed.Value;
            }
        }
        return new TradeRequest
        {
            Source = source,
            SourceTradeId = sourceTradeId,
            Action = action,
            RefTradeId = refTradeId,
            Side = side,
            Instrument = new InstrumentReference(idType, field("instrument_id").Trim()),
            Market = field("market").Trim() is { Length: > 0 } m ? m : null,
            Quantity = quantity,
            Price = price,
            Currency = field("currency").Trim(),
            Account = field("account").Trim(),
            Counterparty = field("counterparty").Trim(),
            TradeDate = tradeDate,
            ExecutedAt = executedAt,
            SettlementDate = settlementDate,
            Commission = commission,
            LotIds = lots,
            VenueTransactionId = field("venue_transaction_id").Trim() is { Length: > 0 } venueId ? venueId : null,
            SourceMessage = raw,
            Location = location,
        };
    }

    /// <summary>The fields of a request, for the JSON format and for repairs.</summary>
    public static Dictionary<string, string> Write(TradeRequest r)
    {
        string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["source"] = r.Source,
            ["source_trade_id"] = r.SourceTradeId,
            ["action"] = r.Action.ToString().ToUpperInvariant(),
            ["ref_trade_id"] = r.RefTradeId ?? "",
            ["side"] = r.Action == TradeAction.Bust ? "" : r.Side.ToString().ToUpperInvariant(),
            ["instrument_id"] = r.Instrument?.Value ?? "",
            ["instrument_id_type"] = r.Instrument?.Type.ToString().ToUpperInvariant() ?? "",
            ["market"] = r.Market ?? "",
            ["quantity"] = r.Action == TradeAction.Bust ? "" : Text(r.Quantity),
            ["price"] = r.Action == TradeAction.Bust ? "" : Text(r.Price),
            ["currency"] = r.Currency,
            ["account"] = r.Account,
            ["counterparty"] = r.Counterparty,
            ["trade_date"] = r.Action == TradeAction.Bust ? "" : LocalDatePattern.Iso.Format(r.TradeDate),
            ["executed_at"] = r.ExecutedAt is { } at ? InstantPattern.ExtendedIso.Format(at) : "",
            ["settlement_date"] = r.SettlementDate is { } sd ? LocalDatePattern.Iso.Format(sd) : "",
            ["commission"] = r.Commission is { } c ? Text(c) : "",
            ["lots"] = r.LotIds is { } lots ? TradeLots.Format(lots) : "",
            ["venue_transaction_id"] = r.VenueTransactionId ?? "",
        };
    }

    private static bool Decimal(string text, string name, out decimal value, out Rejection? rejection)
    {
        rejection = null;
        // Plain decimal notation only: no exponents, no thousands separators, no currency signs.
        if (decimal.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }
        rejection = new Rejection("field.decimal", $"{name} must be a decimal number such as 1234.5, not '{text}'");
        return false;
    }

    private static bool Date(string text, string name, out LocalDate value, out Rejection? rejection)
    {
        rejection = null;
        if (IsoText.TryParseDate(text.AsSpan().Trim(), out value))
        {
            return true;
        }
        ParseResult<LocalDate> parsed = LocalDatePattern.Iso.Parse(text.Trim());
        value = parsed.Success ? parsed.Value : default;
        if (parsed.Success)
        {
            return true;
        }
        rejection = new Rejection("field.date", $"{name} must be a date as yyyy-MM-dd, not '{text}'");
        return false;
    }
}

/// <summary>A trade request as one JSON object of <see cref="TradeFields"/> (the JSON trade format's item).</summary>
public static class TradeJson
{
    /// <summary>The request as a JSON object with every field (empty strings where unused).</summary>
    public static string Serialize(TradeRequest request) =>
        JsonSerializer.Serialize(TradeFields.Write(request));

    /// <summary>Reads a JSON object written by <see cref="Serialize"/> (or by hand) back into fields.</summary>
    public static Result<Dictionary<string, string>> Fields(string json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return Fields(document.RootElement, "");
        }
        catch (JsonException e)
        {
            return new Rejection("json.syntax", e.Message);
        }
    }

    /// <summary>The fields of one JSON object; unknown names are refused (a typo must not drop a field silently).</summary>
    public static Result<Dictionary<string, string>> Fields(JsonElement item, string location)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new Rejection("json.shape", "each trade must be a JSON object", location);
        }
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty property in item.EnumerateObject())
        {
            if (!TradeFields.All.Contains(property.Name))
            {
                return new Rejection("json.unknown-field", $"'{property.Name}' is not a trade field", location);
            }
            string? value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Null => "",
                JsonValueKind.Number => property.Value.GetRawText(),
                _ => null,
            };
            if (value is null)
            {
                return new Rejection("json.shape", $"{property.Name} must be a string or a number", location);
            }
            fields[property.Name] = value;
        }
        return fields;
    }
}
