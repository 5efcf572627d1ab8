using NodaTime;

namespace BackOffice.Domain.Trading;

/// <summary>Which way the client (or the firm's book) traded.</summary>
public enum TradeSide
{
    /// <summary>The account bought: it receives securities and pays cash.</summary>
    Buy = 1,

    /// <summary>The account sold: it delivers securities and receives cash.</summary>
    Sell = 2,
}

/// <summary>What a message does to a trade.</summary>
public enum TradeAction
{
    /// <summary>A new execution (FIX ExecType F).</summary>
    New = 1,

    /// <summary>Replaces the economics of an earlier execution (FIX ExecType G, with ExecRefID).</summary>
    Correct = 2,

    /// <summary>Cancels an earlier execution (FIX ExecType H, a "bust").</summary>
    Bust = 3,

    /// <summary>Moves a block execution to the client allocations that replace it (FIX 35=J).</summary>
    Allocate = 4,
}

/// <summary>How the front office named the instrument.</summary>
public enum InstrumentIdType
{
    /// <summary>ISO 6166 ISIN.</summary>
    Isin = 1,

    /// <summary>CUSIP (North America).</summary>
    Cusip = 2,

    /// <summary>SEDOL (London Stock Exchange).</summary>
    Sedol = 3,

    /// <summary>Exchange ticker, qualified by the market's MIC.</summary>
    Ticker = 4,
}

/// <summary>An instrument as named by a source: an identifier and its type (a ticker also needs the trade's market).</summary>
public sealed record InstrumentReference(InstrumentIdType Type, string Value);

/// <summary>
/// One execution (or a bust or correction of one) as received from the front office, from any
/// channel: a CSV or JSON file, a FIX drop copy, later the API. <see cref="Source"/> names the
/// sending system; <see cref="SourceTradeId"/> is unique within it and makes every message
/// idempotent (the FIX ExecID, a file's trade id). A bust or correction names the execution it
/// changes in <see cref="RefTradeId"/> (FIX ExecRefID).
/// </summary>
public sealed record TradeRequest
{
    public required string Source { get; init; }
    public required string SourceTradeId { get; init; }
    public TradeAction Action { get; init; } = TradeAction.New;
    public string? RefTradeId { get; init; }
    public TradeSide Side { get; init; }
    public InstrumentReference? Instrument { get; init; }

    /// <summary>The venue (MIC) the trade was executed on; for a ticker it also qualifies the lookup. Defaults to the listing market.</summary>
    public string? Market { get; init; }

    public decimal Quantity { get; init; }
    public decimal Price { get; init; }
    public string Currency { get; init; } = "";

    /// <summary>The client account (or firm book) code.</summary>
    public string Account { get; init; } = "";

    /// <summary>The executing broker or counterparty, by LEI.</summary>
    public string Counterparty { get; init; } = "";

    public LocalDate TradeDate { get; init; }
    public Instant? ExecutedAt { get; init; }

    /// <summary>Overrides the settlement date computed from the market calendar and cycle.</summary>
    public LocalDate? SettlementDate { get; init; }

    /// <summary>Overrides the commission from the schedule (a negotiated commission).</summary>
    public decimal? Commission { get; init; }

    /// <summary>
    /// Set only on allocations of a block: the allocation's share of the block's consideration,
    /// used instead of quantity times the (rounded) average price so allocations add up to the block.
    /// </summary>
    public decimal? AllocatedGross { get; init; }

    /// <summary>
    /// The lots a disposal relieves (or a purchase covering shorts closes), by lot id (the trade id
    /// of the fill that opened the lot), in the order to relieve them; null to follow the account's
    /// lot method.
    /// </summary>
    public IReadOnlyList<long>? LotIds { get; init; }

    /// <summary>
    /// The trading venue's identifier of the transaction (FIX TrdMatchID(880)), which the venue
    /// sends both sides; MiFIR field 3. Null off venue or when the source does not give it.
    /// </summary>
    public string? VenueTransactionId { get; init; }

    /// <summary>The message or row as received (FIX text, CSV line), kept with the trade.</summary>
    public string SourceMessage { get; init; } = "";

    /// <summary>Where it came from, for errors: file and line, or FIX session and sequence number.</summary>
    public string Location { get; init; } = "";
}
