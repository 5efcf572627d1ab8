using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Domain.Settlement;

/// <summary>What must move at the depository: securities one way, and cash the other way or none.</summary>
public enum SettlementType
{
    /// <summary>Deliver versus payment: we deliver the securities and receive the cash (a sale).</summary>
    Dvp = 1,

    /// <summary>Receive versus payment: we receive the securities and pay the cash (a purchase).</summary>
    Rvp = 2,

    /// <summary>Deliver free of payment.</summary>
    Dfp = 3,

    /// <summary>Receive free of payment.</summary>
    Rfp = 4,
}

/// <summary>
/// One booked trade's settlement obligation, as it will be instructed: the securities and cash to
/// move, when, and where (from the counterparty's standing settlement instruction, when it has one).
/// </summary>
/// <param name="TransactionId">Our reference for the instruction: at most 16 characters, so it also fits an ISO 15022 SEME.</param>
/// <param name="Nominal">True when the quantity is a face amount (debt), false for units.</param>
/// <param name="Amount">The cash that moves against the securities: the trade's gross consideration plus accrued interest.</param>
public sealed record SettlementObligation(
    string TransactionId,
    long TradeId,
    int Version,
    SettlementType Type,
    string Isin,
    bool Nominal,
    decimal Quantity,
    decimal Amount,
    string Currency,
    LocalDate TradeDate,
    LocalDate SettlementDate,
    decimal Price,
    string PlaceOfTrade,
    string Account,
    string Counterparty,
    StandingSettlementInstruction? Ssi)
{
    /// <summary>True when the firm delivers the securities (DVP, DFP).</summary>
    public bool Delivers => Type is SettlementType.Dvp or SettlementType.Dfp;

    /// <summary>True when cash moves against the securities (DVP, RVP).</summary>
    public bool AgainstPayment => Type is SettlementType.Dvp or SettlementType.Rvp;

    /// <summary>DVP, RVP, DFP or RFP.</summary>
    public string Code => Type.ToString().ToUpperInvariant();
}

/// <summary>
/// What settlement reads of a booked trade version: its economics and SSI, without its charges,
/// source message or history (a busy day reads a million of them).
/// </summary>
public sealed record SettlingTrade(long TradeId, int Version, TradeSide Side, string Isin, string Market, decimal Quantity, decimal Price, string Currency,
    string Account, string Counterparty, LocalDate TradeDate, LocalDate SettlementDate, decimal Gross, decimal AccruedInterest, StandingSettlementInstruction? Ssi)
{
    /// <summary>The settlement view of a full trade version.</summary>
    public static SettlingTrade Of(TradeVersion v) =>
        new(v.TradeId, v.Version, v.Side, v.Isin, v.Market, v.Quantity, v.Price, v.Currency, v.Account, v.Counterparty, v.TradeDate, v.SettlementDate, v.Gross,
            v.AccruedInterest, v.Ssi);
}

/// <summary>The obligation each booked trade version creates.</summary>
public static class Obligations
{
    /// <summary>
    /// A trade's obligation: a client's sale (or a firm book's) delivers against payment, a
    /// purchase receives against payment. The transaction id names the trade and version
    /// (<c>BO{trade}-{version}</c>), so a correction is a new instruction and the old one is cancelled.
    /// </summary>
    /// <param name="minorUnits">The currency's minor units: the amount is written with all of them (20000.00, not 20000).</param>
    public static SettlementObligation Of(TradeVersion trade, Instrument? instrument, int minorUnits) => Of(SettlingTrade.Of(trade), instrument, minorUnits);

    /// <inheritdoc cref="Of(TradeVersion, Instrument?, int)"/>
    public static SettlementObligation Of(SettlingTrade trade, Instrument? instrument, int minorUnits) =>
        new(TransactionId(trade.TradeId, trade.Version), trade.TradeId, trade.Version, Type(trade.Side, trade.Ssi?.FreeOfPayment == true),
            trade.Isin, instrument?.AssetClass == AssetClass.Debt, trade.Quantity,
            trade.Gross + trade.AccruedInterest + new decimal(0, 0, 0, false, (byte)minorUnits), trade.Currency, trade.TradeDate,
            trade.SettlementDate, trade.Price, trade.Market, trade.Account, trade.Counterparty, trade.Ssi);

    /// <summary>A sale delivers, a purchase receives; against payment unless the counterparty's SSI settles free of payment.</summary>
    public static SettlementType Type(TradeSide side, bool freeOfPayment) => (side, freeOfPayment) switch
    {
        (TradeSide.Sell, false) => SettlementType.Dvp,
        (TradeSide.Sell, true) => SettlementType.Dfp,
        (_, false) => SettlementType.Rvp,
        _ => SettlementType.Rfp,
    };

    /// <summary>Our reference of the instruction for a trade version.</summary>
    public static string TransactionId(long tradeId, int version) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"BO{tradeId}-{version}");
}
