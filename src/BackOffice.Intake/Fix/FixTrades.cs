using System.Globalization;
using BackOffice.Application.Trading;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Intake.Fix;

/// <summary>
/// Reads trades out of validated FIX 4.4 messages (docs/reference/formats.md, "FIX 4.4 drop copy"):
/// ExecutionReport (35=8) fills, corrections and busts, TradeCaptureReport (35=AE) and
/// AllocationInstruction (35=J). Messages that are not trades (order acknowledgements, session
/// messages) give nothing.
/// </summary>
public static class FixTrades
{
    /// <summary>The source a FIX sender's trades are booked under: its SenderCompID.</summary>
    public static string Source(FixMessage message) => "FIX:" + message.SenderCompId;

    /// <summary>
    /// The trade message a FIX message carries; null when it carries none (for example an
    /// ExecutionReport acknowledging a new order). A trade whose fields cannot be read becomes a
    /// message with a read failure, so a stream sends it to the exceptions queue.
    /// </summary>
    public static TradeMessage? Read(FixMessage message, string location)
    {
        string source = Source(message);
        try
        {
            return message.MsgType switch
            {
                "8" => ExecutionReport(message, source, location),
                "AE" => TradeCaptureReport(message, source, location),
                "J" => Allocation(message, source, location),
                _ => null,
            };
        }
        catch (FieldException e)
        {
            return new TradeMessage(null, e.Rejection.At(location), source, message.Text, location);
        }
    }

    private static TradeMessage? ExecutionReport(FixMessage m, string source, string location)
    {
        TradeAction action;
        switch (m.Get(150))
        {
            case "F": action = TradeAction.New; break;
            case "G": action = TradeAction.Correct; break;
            case "H": action = TradeAction.Bust; break;
            default: return null; // an order event, not a trade
        }
        string execId = m.Get(17) ?? throw Missing(17, "ExecID");
        string? refId = action == TradeAction.New ? null : m.Get(19) ?? throw Missing(19, "ExecRefID");
        if (action == TradeAction.Bust)
        {
            return TradeMessage.Of(new TradeRequest
            {
                Source = source,
                SourceTradeId = execId,
                Action = action,
                RefTradeId = refId,
                SourceMessage = m.Text,
                Location = location,
            });
        }
        var view = new FieldView(m);
        return TradeMessage.Of(Trade(view, view, source, execId, action, refId, location, account: m.Get(1) ?? ""));
    }

    private static TradeMessage TradeCaptureReport(FixMessage m, string source, string location)
    {
        string reportId = m.Get(571) ?? throw Missing(571, "TradeReportID");
        (TradeAction action, string? refId) = m.Get(487) switch
        {
            null or "0" => (TradeAction.New, (string?)null),
            "1" => (TradeAction.Bust, m.Get(572) ?? throw Missing(572, "TradeReportRefID")),
            "2" => (TradeAction.Correct, m.Get(572) ?? throw Missing(572, "TradeReportRefID")),
            string other => throw new FieldException(new Rejection("fix.trade-report-trans-type", $"TradeReportTransType(487) {other} is not read (0 new, 1 cancel, 2 replace)")),
        };
        if (action == TradeAction.Bust)
        {
            return TradeMessage.Of(new TradeRequest { Source = source, SourceTradeId = reportId, Action = action, RefTradeId = refId, SourceMessage = m.Text, Location = location });
        }
        IReadOnlyList<IReadOnlyList<FixField>> sides = m.Group(552, 54);
        if (sides.Count == 0)
        {
            throw Missing(552, "NoSides");
        }
        var side = new FieldView(sides[0]);
        return TradeMessage.Of(Trade(new FieldView(m), side, source, reportId, action, refId, location, side.Get(1) ?? ""));
    }

    private static TradeMessage Allocation(FixMessage m, string source, string location)
    {
        if (m.Get(71) is not "0")
        {
            throw new FieldException(new Rejection("fix.alloc-trans-type", $"AllocTransType(71) {m.Get(71)} is not read; only 0 (new)"));
        }
        string allocId = m.Get(70) ?? throw Missing(70, "AllocID");
        string[] blocks = [.. m.Group(124, 32).Select(e => new FieldView(e).Get(17)).OfType<string>()];
        if (blocks.Length == 0)
        {
            throw new FieldException(new Rejection("fix.required-tag", "an AllocationInstruction must list the block's executions in NoExecs(124)/ExecID(17)"));
        }
        var lines = new List<AllocationLine>();
        foreach (IReadOnlyList<FixField> alloc in m.Group(78, 79))
        {
            var view = new FieldView(alloc);
            lines.Add(new AllocationLine(view.Get(79)!, Decimal(view, 80, "AllocQty"), view.Get(12) is not null ? Decimal(view, 12, "Commission") : null));
        }
        return TradeMessage.Of(new AllocationRequest(source, allocId, blocks, lines, m.Text, location));
    }

    private static TradeRequest Trade(IFieldSource message, IFieldSource side, string source, string id, TradeAction action, string? refId, string location, string account)
    {
        TradeSide tradeSide = side.Get(54) switch
        {
            "1" => TradeSide.Buy,
            "2" or "5" or "6" => TradeSide.Sell,
            string other => throw new FieldException(new Rejection("fix.side", $"Side(54) {other} is not a buy or a sell")),
            null => throw Missing(54, "Side"),
        };
        InstrumentReference instrument = (message.Get(48), message.Get(22)) switch
        {
            ({ } value, "4") => new InstrumentReference(InstrumentIdType.Isin, value),
            ({ } value, "1") => new InstrumentReference(InstrumentIdType.Cusip, value),
            ({ } value, "2") => new InstrumentReference(InstrumentIdType.Sedol, value),
            ({ } value, "8") => new InstrumentReference(InstrumentIdType.Ticker, value),
            _ when message.Get(55) is { } symbol && symbol != "[N/A]" => new InstrumentReference(InstrumentIdType.Ticker, symbol),
            _ => throw new FieldException(new Rejection("fix.instrument", "no instrument: SecurityID(48) with SecurityIDSource(22) 1, 2, 4 or 8, or Symbol(55)")),
        };
        return new TradeRequest
        {
            Source = source,
            SourceTradeId = id,
            Action = action,
            RefTradeId = refId,
            Side = tradeSide,
            Instrument = instrument,
            Market = message.Get(30) ?? message.Get(207),
            Quantity = Decimal(message, 32, "LastQty"),
            Price = Decimal(message, 31, "LastPx"),
            Currency = message.Get(15) ?? "",
            Account = account,
            Counterparty = Counterparty(message, side),
            TradeDate = Date(message, 75, "TradeDate"),
            ExecutedAt = message.Get(60) is { } time && FixValues.TryParseTimestamp(System.Text.Encoding.Latin1.GetBytes(time), out Instant at) ? at : null,
            SettlementDate = message.Get(64) is not null ? Date(message, 64, "SettlDate") : null,
            Commission = message.Get(12) is not null && message.Get(13) is null or "3" ? Decimal(message, 12, "Commission") : null,
            VenueTransactionId = message.Get(880),
            SourceMessage = (message as FieldView)?.Text ?? "",
            Location = location,
        };
    }

    /// <summary>
    /// The counterparty is the PartyID(448) whose role is executing firm (PartyRole(452)=1) or contra
    /// firm (17), in the Parties block of the side or of the message. FIX 4.4 has no PartyIDSource
    /// for LEIs (N came later), so drop copies send the LEI as a proprietary code (D); the value must
    /// be the LEI of a loaded party whatever the source says.
    /// </summary>
    private static string Counterparty(IFieldSource message, IFieldSource side)
    {
        foreach (IFieldSource holder in new[] { side, message })
        {
            string? id = null;
            foreach (FixField field in holder.All)
            {
                switch (field.Tag)
                {
                    case 448: id = field.Value; break;
                    case 452 when field.Value is "1" or "17" && id is not null: return id;
                }
            }
        }
        return "";
    }

    private static decimal Decimal(IFieldSource fields, int tag, string name)
    {
        string text = fields.Get(tag) ?? throw Missing(tag, name);
        return FixValues.TryParseDecimal(System.Text.Encoding.Latin1.GetBytes(text), out decimal value)
            ? value
            : throw new FieldException(new Rejection("fix.data-format", $"{name}({tag}) '{text}' is not a decimal number", string.Create(CultureInfo.InvariantCulture, $"tag {tag}")));
    }

    private static LocalDate Date(IFieldSource fields, int tag, string name)
    {
        string text = fields.Get(tag) ?? throw Missing(tag, name);
        return FixValues.TryParseDate(System.Text.Encoding.Latin1.GetBytes(text), out LocalDate value)
            ? value
            : throw new FieldException(new Rejection("fix.data-format", $"{name}({tag}) '{text}' is not a date", string.Create(CultureInfo.InvariantCulture, $"tag {tag}")));
    }

    private static FieldException Missing(int tag, string name) =>
        new(new Rejection("fix.required-tag", $"{name}({tag}) is required for a trade", string.Create(CultureInfo.InvariantCulture, $"tag {tag}")));

    private interface IFieldSource
    {
        IEnumerable<FixField> All { get; }

        string? Get(int tag);
    }

    private sealed class FieldView(IReadOnlyList<FixField> fields, string text = "") : IFieldSource
    {
        public FieldView(FixMessage message)
            : this(message.Fields, message.Text)
        {
        }

        public string Text { get; } = text;

        public IEnumerable<FixField> All => fields;

        public string? Get(int tag)
        {
            foreach (FixField field in fields)
            {
                if (field.Tag == tag)
                {
                    return field.Value;
                }
            }
            return null;
        }
    }

    private sealed class FieldException(Rejection rejection) : Exception(rejection.ToString())
    {
        public Rejection Rejection { get; } = rejection;
    }
}
