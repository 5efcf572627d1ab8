using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Trading;

/// <summary>Whether a trade stands.</summary>
public enum TradeStatus
{
    /// <summary>Booked and standing (new or corrected).</summary>
    Active = 1,

    /// <summary>Cancelled by a bust: its booking is reversed.</summary>
    Busted = 2,

    /// <summary>A block execution split among client accounts: its booking is reversed and each allocation booked as a trade.</summary>
    Allocated = 3,
}

/// <summary>
/// One version of a booked trade, an immutable fact: version 1 is the execution, each correction
/// adds a version with the new economics, a bust adds a final version with status busted. A
/// version names the journal entry that booked it and the reversal of the version before it.
/// </summary>
public sealed record TradeVersion
{
    public required long TradeId { get; init; }
    public required int Version { get; init; }
    public required TradeAction Action { get; init; }
    public required TradeStatus Status { get; init; }
    public required string Source { get; init; }
    public required string SourceTradeId { get; init; }
    public required Sha256Hash PayloadHash { get; init; }
    public required TradeSide Side { get; init; }
    public required string Isin { get; init; }
    public required string Market { get; init; }
    public required decimal Quantity { get; init; }
    public required decimal Price { get; init; }
    public required string Currency { get; init; }
    public required string Account { get; init; }
    public required string Counterparty { get; init; }
    public required LocalDate TradeDate { get; init; }
    public Instant? ExecutedAt { get; init; }
    public required LocalDate SettlementDate { get; init; }
    public required decimal Gross { get; init; }
    public required IReadOnlyList<TradeCharge> Charges { get; init; }
    public required decimal AccruedInterest { get; init; }
    public required decimal Net { get; init; }
    public StandingSettlementInstruction? Ssi { get; init; }

    /// <summary>The venue's transaction identifier (<see cref="TradeRequest.VenueTransactionId"/>), or null.</summary>
    public string? VenueTransactionId { get; init; }

    /// <summary>The lots the trade names to relieve (<see cref="TradeRequest.LotIds"/>), or null.</summary>
    public IReadOnlyList<long>? LotIds { get; init; }

    /// <summary>The entry that booked this version (none for a bust).</summary>
    public JournalEntryId? EntryId { get; init; }

    /// <summary>The entry that reversed the previous version's booking (corrections and busts).</summary>
    public JournalEntryId? ReversalEntryId { get; init; }

    public required AuditSequence AuditSequence { get; init; }

    /// <summary>The message or row as received.</summary>
    public required string SourceMessage { get; init; }

    /// <summary>A version that books <paramref name="trade"/>.</summary>
    public static TradeVersion Booked(EnrichedTrade trade, long tradeId, int version, Sha256Hash payloadHash, JournalEntryId entryId,
        JournalEntryId? reversalEntryId, AuditSequence sequence)
    {
        TradeRequest r = trade.Request;
        return new TradeVersion
        {
            TradeId = tradeId,
            Version = version,
            Action = r.Action,
            Status = TradeStatus.Active,
            Source = r.Source,
            SourceTradeId = r.SourceTradeId,
            PayloadHash = payloadHash,
            Side = r.Side,
            Isin = trade.Instrument.Isin,
            Market = trade.Market,
            Quantity = r.Quantity,
            Price = r.Price,
            Currency = trade.Instrument.Currency,
            Account = trade.Account.Code,
            Counterparty = trade.Counterparty.Lei,
            TradeDate = r.TradeDate,
            ExecutedAt = r.ExecutedAt,
            SettlementDate = trade.SettlementDate,
            Gross = trade.Gross,
            Charges = trade.Charges,
            AccruedInterest = trade.AccruedInterest,
            Net = trade.Net,
            Ssi = trade.Ssi,
            LotIds = r.LotIds,
            VenueTransactionId = r.VenueTransactionId,
            EntryId = entryId,
            ReversalEntryId = reversalEntryId,
            AuditSequence = sequence,
            SourceMessage = r.SourceMessage,
        };
    }

    /// <summary>The version that busts <paramref name="previous"/>.</summary>
    public static TradeVersion Busted(TradeVersion previous, TradeRequest bust, Sha256Hash payloadHash, JournalEntryId reversalEntryId, AuditSequence sequence) =>
        previous with
        {
            Version = previous.Version + 1,
            Action = bust.Action,
            Status = bust.Action == TradeAction.Allocate ? TradeStatus.Allocated : TradeStatus.Busted,
            Source = bust.Source,
            SourceTradeId = bust.SourceTradeId,
            PayloadHash = payloadHash,
            EntryId = null,
            ReversalEntryId = reversalEntryId,
            AuditSequence = sequence,
            SourceMessage = bust.SourceMessage,
        };
}

/// <summary>Payload hashes of trade messages, over the business fields only (not the raw text, which a FIX resend changes).</summary>
public static class TradePayload
{
    [ThreadStatic]
    private static CanonicalWriter? t_writer;

    /// <summary>The hash that makes a repeated message a replay and a changed one a conflict.</summary>
    public static Sha256Hash Hash(TradeRequest r)
    {
        CanonicalWriter w = (t_writer ??= new CanonicalWriter()).Begin('T')
            .Text(r.Source).Text(r.SourceTradeId).Int64((long)r.Action);
        Optional(w, r.RefTradeId).Int64((long)r.Side);
        if (r.Instrument is { } instrument)
        {
            w.Int64((long)instrument.Type).Text(instrument.Value);
        }
        else
        {
            w.Null();
        }
        Optional(w, r.Market).Decimal(r.Quantity).Decimal(r.Price).Text(r.Currency).Text(r.Account).Text(r.Counterparty).Date(r.TradeDate);
        if (r.ExecutedAt is { } at)
        {
            w.Int64(at.ToUnixTimeTicks());
        }
        else
        {
            w.Null();
        }
        if (r.SettlementDate is { } settlement)
        {
            w.Date(settlement);
        }
        else
        {
            w.Null();
        }
        if (r.Commission is { } commission)
        {
            w.Decimal(commission);
        }
        else
        {
            w.Null();
        }
        if (r.AllocatedGross is { } gross)
        {
            w.Decimal(gross);
        }
        else
        {
            w.Null();
        }
        // Written only when present, so the hash of a message without one is what it always was.
        if (r.VenueTransactionId is { } venueId)
        {
            w.Text("venue_transaction_id").Text(venueId);
        }
        // Written only when present, so the hash of a message without lots is what it always was.
        if (r.LotIds is { } lots)
        {
            w.Text("lots");
            foreach (long lot in lots)
            {
                w.Int64(lot);
            }
        }
        return w.ToHash();
    }

    private static CanonicalWriter Optional(CanonicalWriter w, string? value) => value is null ? w.Null() : w.Text(value);
}
