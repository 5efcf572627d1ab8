using BackOffice.Domain.Accounting;
using NodaTime;

namespace BackOffice.Domain.ReferenceData;

/// <summary>An ISO 4217 currency with its minor units (USD 2, JPY 0, KWD 3): the scale of cash amounts.</summary>
public sealed record Currency(string Code, int NumericCode, int MinorUnits, string Name);

/// <summary>A trading venue the firm deals on, named by its ISO 10383 MIC (for example XNYS).</summary>
public sealed record Market(string Mic, string Name, string CountryCode);

/// <summary>The broad class of an instrument; it selects settlement, fee and reporting rules.</summary>
public enum AssetClass
{
    /// <summary>Shares and depositary receipts.</summary>
    Equity = 1,

    /// <summary>Government and corporate bonds, bills and notes.</summary>
    Debt = 2,

    /// <summary>Fund units and exchange-traded funds.</summary>
    Fund = 3,

    /// <summary>Listed options, futures and warrants.</summary>
    Derivative = 4,
}

/// <summary>
/// Something tradable, identified by its ISIN (ISO 6166) with optional CUSIP, SEDOL and ticker, in
/// one currency, listed on one market, with the settlement cycle that market applies to it unless
/// <see cref="SettlementCycleDays"/> overrides it. <see cref="QuantityScale"/> is the number of
/// decimal places a quantity may have (0 for shares, more for fund units).
/// </summary>
public sealed record Instrument(
    string Isin,
    string Name,
    AssetClass AssetClass,
    string Currency,
    string ListingMic,
    string? Cusip,
    string? Sedol,
    string? Ticker,
    int? SettlementCycleDays,
    int QuantityScale)
{
    /// <summary>The coupon terms of a fixed-rate bond (asset class debt), or null.</summary>
    public BondTerms? Bond { get; init; }

    /// <summary>
    /// The category of the Annex to Delegated Regulation (EU) 2017/389 its settlement fails are
    /// penalised at (liquid or illiquid share, SME growth market instrument, sovereign or other
    /// debt, other); null: derived from the asset class (<see cref="Settlement.Fails.DefaultCategory"/>).
    /// </summary>
    public Settlement.PenaltyAssetClass? CsdrCategory { get; init; }
}

/// <summary>
/// The terms of a fixed-coupon bond that accrued interest needs. Quantities of a bond are face
/// amounts (a quantity of 10000 is 10,000 of face value), and prices are percent of face.
/// </summary>
/// <param name="CouponRate">Annual coupon as a fraction: 0.0425 is 4.25%.</param>
/// <param name="Frequency">Coupons per year: 1, 2, 4 or 12.</param>
/// <param name="DayCount">The day-count convention, e.g. ACT/ACT-ICMA, 30/360-US (docs/reference/daycounts.md).</param>
/// <param name="DatedDate">Interest accrues from this date.</param>
/// <param name="FirstCouponDate">The first coupon date (anchors an irregular first period).</param>
/// <param name="MaturityDate">The last coupon and redemption date.</param>
/// <param name="EndOfMonth">Coupon dates stay on the last day of the month.</param>
public sealed record BondTerms(decimal CouponRate, int Frequency, string DayCount, LocalDate DatedDate, LocalDate FirstCouponDate, LocalDate MaturityDate, bool EndOfMonth);

/// <summary>The part a legal entity plays for the firm.</summary>
public enum PartyRole
{
    /// <summary>A customer of the firm.</summary>
    Client = 1,

    /// <summary>A broker, dealer or bank the firm trades with.</summary>
    Counterparty = 2,

    /// <summary>A custodian or depository that holds securities or cash.</summary>
    Custodian = 3,

    /// <summary>A central counterparty or clearing house.</summary>
    ClearingHouse = 4,
}

/// <summary>A legal entity, named by its LEI (ISO 17442), with its BIC (ISO 9362) when it has one.</summary>
public sealed record Party(string Lei, string Name, PartyRole Role, string? Bic);

/// <summary>Whether a client account may trade.</summary>
public enum ClientAccountStatus
{
    /// <summary>Accepts new trades.</summary>
    Open = 1,

    /// <summary>Accepts no new trades; existing positions stay on the books.</summary>
    Closed = 2,

    /// <summary>Frozen by compliance (a sanctions true match): no trades and no withdrawals until compliance lifts it.</summary>
    Blocked = 3,
}

/// <summary>
/// A customer's brokerage account that holds positions and cash (not a ledger account). The
/// branch scopes who may see it; the party is the account holder's legal entity.
/// </summary>
public sealed record ClientAccount(string Code, string Name, string PartyLei, string BaseCurrency, string Branch, ClientAccountStatus Status, LocalDate OpenedOn)
{
    /// <summary>How the account's disposals relieve its lots (FIFO unless the account says otherwise).</summary>
    public Lots.LotMethod LotMethod { get; init; } = Lots.LotMethod.Fifo;

    /// <summary>
    /// True for one of the firm's own books (<see cref="Book"/>) standing as the holder of a trade:
    /// the firm trading for its own account, booked to its inventory rather than to a client.
    /// </summary>
    public bool IsFirmBook { get; init; }

    /// <summary>A firm book as the holder of trades: open, FIFO lots, in the book's base currency.</summary>
    public static ClientAccount ForBook(Book book) =>
        new(book.Code, book.Name, "", book.BaseCurrency, "firm", ClientAccountStatus.Open, new LocalDate(2000, 1, 1)) { IsFirmBook = true };
}

/// <summary>What an internal book of the firm is for.</summary>
public enum BookType
{
    /// <summary>The firm trading for its own account.</summary>
    Proprietary = 1,

    /// <summary>Where trading errors are parked until resolved.</summary>
    Error = 2,

    /// <summary>Positions taken to facilitate client orders.</summary>
    Facilitation = 3,
}

/// <summary>An internal account of the firm that holds positions (not a ledger account, not a client account).</summary>
public sealed record Book(string Code, string Name, BookType Type, string BaseCurrency);

/// <summary>A ledger account as loaded from a chart-of-accounts file, before it has a database id.</summary>
public sealed record LedgerAccountDefinition(string Code, string Name, LedgerAccountType Type, string? ControlAccountCode, bool IsOpen);

/// <summary>A set of reference-data upserts applied in one audited command. Lists are empty when unused.</summary>
public sealed record ReferenceChanges
{
    public IReadOnlyList<Currency> Currencies { get; init; } = [];
    public IReadOnlyList<Market> Markets { get; init; } = [];
    public IReadOnlyList<Instrument> Instruments { get; init; } = [];
    public IReadOnlyList<Party> Parties { get; init; } = [];
    public IReadOnlyList<ClientAccount> ClientAccounts { get; init; } = [];
    public IReadOnlyList<Book> Books { get; init; } = [];
    public IReadOnlyList<LedgerAccountDefinition> LedgerAccounts { get; init; } = [];
    public IReadOnlyList<Trading.FeeRule> FeeRules { get; init; } = [];
    public IReadOnlyList<Trading.StandingSettlementInstruction> SettlementInstructions { get; init; } = [];
    public IReadOnlyList<Price> Prices { get; init; } = [];
    public IReadOnlyList<FxRate> FxRates { get; init; } = [];
    public IReadOnlyList<Interest.InterestRate> InterestRates { get; init; } = [];
    public IReadOnlyList<StockSplit> Splits { get; init; } = [];
    public IReadOnlyList<NettingAgreement> NettingAgreements { get; init; } = [];
    public IReadOnlyList<Settlement.CloseOutRule> CloseOutRules { get; init; } = [];
    public IReadOnlyList<CentralBankRate> CentralBankRates { get; init; } = [];
    public IReadOnlyList<Settlement.PenaltyRate> PenaltyRates { get; init; } = [];
    public IReadOnlyList<Reconciliation.StatementAccount> StatementAccounts { get; init; } = [];
    public IReadOnlyList<Compliance.TransactionReporting.MifirFirm> MifirFirms { get; init; } = [];
    public IReadOnlyList<Compliance.TransactionReporting.MifirClient> MifirClients { get; init; } = [];
    public IReadOnlyList<Compliance.RestrictedInstrument> RestrictedList { get; init; } = [];
    public IReadOnlyList<Compliance.TradingLimit> TradingLimits { get; init; } = [];

    /// <summary>Total number of rows in the change.</summary>
    public int Count => Currencies.Count + Markets.Count + Instruments.Count + Parties.Count + ClientAccounts.Count + Books.Count + LedgerAccounts.Count
        + FeeRules.Count + SettlementInstructions.Count + Prices.Count + FxRates.Count + InterestRates.Count + Splits.Count + NettingAgreements.Count
        + CloseOutRules.Count + CentralBankRates.Count + PenaltyRates.Count + StatementAccounts.Count
        + MifirFirms.Count + MifirClients.Count + RestrictedList.Count + TradingLimits.Count;
}

/// <summary>
/// A bilateral netting agreement with a counterparty, in force from a date (until the day before
/// <see cref="EffectiveTo"/> when given): its obligations in one instrument, settlement date and
/// currency settle as one net delivery or receipt and one net payment.
/// </summary>
public sealed record NettingAgreement(string Counterparty, NodaTime.LocalDate EffectiveFrom, NodaTime.LocalDate? EffectiveTo);

/// <summary>
/// The overnight credit rate of the central bank that issues a currency (for the euro, the ECB's
/// marginal lending facility rate), in force from <see cref="EffectiveFrom"/> until the next row
/// for the currency: what a CSDR penalty for a lack of cash accrues at (the Annex to Delegated
/// Regulation (EU) 2017/389, which floors it at zero; the rate is kept here as published).
/// </summary>
/// <param name="Currency">The ISO 4217 code of the settlement currency.</param>
/// <param name="EffectiveFrom">The first day the rate applies.</param>
/// <param name="Rate">A fraction a year: 0.0265 is 2.65%; it may be negative.</param>
/// <param name="Source">Who published it (the central bank's decision).</param>
public sealed record CentralBankRate(string Currency, LocalDate EffectiveFrom, decimal Rate, string Source);

/// <summary>Looks central bank rates up by currency and day.</summary>
public static class CentralBankRates
{
    /// <summary>
    /// The rate of <paramref name="currency"/> in force on <paramref name="day"/>: that of the row
    /// with the latest <see cref="CentralBankRate.EffectiveFrom"/> on or before the day, or null
    /// when there is none. The rows may come in any order.
    /// </summary>
    public static decimal? RateOn(IReadOnlyList<CentralBankRate> rates, string currency, LocalDate day)
    {
        ArgumentNullException.ThrowIfNull(rates);
        CentralBankRate? latest = null;
        foreach (CentralBankRate rate in rates)
        {
            if (string.Equals(rate.Currency, currency, StringComparison.Ordinal) && rate.EffectiveFrom <= day
                && (latest is null || rate.EffectiveFrom > latest.EffectiveFrom))
            {
                latest = rate;
            }
        }
        return latest?.Rate;
    }
}

/// <summary>
/// A stock split or reverse split of an instrument, effective from its ex date: each holder's
/// quantity is multiplied by <see cref="Ratio"/> (2:1 doubles it, 1:10 divides it by ten) before
/// that day's trades, and lots keep their total cost (<see cref="Lots.LotPool.Split"/>). Prices
/// from the ex date on are post-split.
/// </summary>
public sealed record StockSplit(string Instrument, NodaTime.LocalDate ExDate, Lots.SplitRatio Ratio, string Source);

/// <summary>
/// An end-of-day price of an instrument (per unit; for bonds, per 100 of face, clean), from a
/// named source. One price per instrument and date: a later import for the same day replaces it
/// (the audit trail keeps both imports).
/// </summary>
public sealed record Price(string Instrument, NodaTime.LocalDate Date, decimal Value, string Currency, string Source);

/// <summary>An end-of-day exchange rate: one unit of <see cref="Base"/> is <see cref="Rate"/> units of <see cref="Quote"/>.</summary>
public sealed record FxRate(string Base, string Quote, NodaTime.LocalDate Date, decimal Rate, string Source);

/// <summary>Codes already in the books, that a change may refer to.</summary>
public sealed record KnownReference(
    IReadOnlySet<string> Currencies,
    IReadOnlySet<string> Markets,
    IReadOnlySet<string> Parties,
    IReadOnlySet<string> LedgerAccounts,
    IReadOnlyDictionary<string, int> AssetScales);
