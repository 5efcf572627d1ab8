using NodaTime;

namespace BackOffice.Domain.Compliance.TransactionReporting;

/// <summary>The firm's capacity in a transaction (field 29).</summary>
public enum TradingCapacity
{
    /// <summary>DEAL: dealing on own account.</summary>
    Dealing = 1,

    /// <summary>MTCH: matched principal.</summary>
    MatchedPrincipal = 2,

    /// <summary>AOTC: any other capacity, such as an agent for a client.</summary>
    AnyOtherCapacity = 3,
}

/// <summary>The short-selling indicator (field 62) of a sale of shares or sovereign debt.</summary>
public enum ShortSelling
{
    /// <summary>SESH: a short sale with no exemption.</summary>
    Short = 1,

    /// <summary>SSEX: a short sale under a market-making or primary-market exemption.</summary>
    ShortExempt = 2,

    /// <summary>SELL: not a short sale.</summary>
    NotShort = 3,

    /// <summary>UNDI: the information is not available.</summary>
    Undisclosed = 4,
}

/// <summary>A buyer or seller (fields 7 to 24): a legal entity, a natural person, or an anonymous venue.</summary>
/// <param name="Lei">The entity's LEI; null for a person or a venue.</param>
/// <param name="Mic">The venue's MIC, when the counterparty is an anonymous venue without a CCP.</param>
/// <param name="Person">The natural person, when the party is one.</param>
/// <param name="BranchCountry">The firm's branch that received the client's order (fields 8 and 17); only for the firm's clients.</param>
/// <param name="DecisionMakerLei">Who decides for the party under a mandate (fields 12 and 21), or null.</param>
public sealed record ReportedParty(string? Lei, string? Mic, ReportedPerson? Person, string? BranchCountry, string? DecisionMakerLei)
{
    /// <summary>A legal entity.</summary>
    public static ReportedParty Entity(string lei, string? branchCountry = null, string? decisionMakerLei = null) =>
        new(lei, null, null, branchCountry, decisionMakerLei);

    /// <summary>What the report names, for messages: the LEI, the MIC or the person's identifier.</summary>
    public string Name => Lei ?? Mic ?? Person?.Id ?? "";
}

/// <summary>A natural person as a buyer or seller: first name(s), surname(s), date of birth and national identifier.</summary>
public sealed record ReportedPerson(string FirstName, string Surname, LocalDate BirthDate, string Id, PersonIdScheme Scheme);

/// <summary>
/// One new transaction report (auth.016 <c>New</c>): the RTS 22 fields a firm fills for a cash
/// equity or bond transaction. Field numbers of Annex I Table 2 are in the comments.
/// </summary>
public sealed record TransactionReport
{
    /// <summary>2: the transaction reference number, unique for the executing entity.</summary>
    public required string TransactionId { get; init; }

    /// <summary>The trade and version the report describes.</summary>
    public required long TradeId { get; init; }

    /// <summary>The trade version reported.</summary>
    public required int Version { get; init; }

    /// <summary>4: the executing entity's LEI.</summary>
    public required string ExecutingEntity { get; init; }

    /// <summary>5: the executing entity is an investment firm covered by MiFID II.</summary>
    public bool InvestmentFirm { get; init; } = true;

    /// <summary>6: the submitting entity's LEI.</summary>
    public required string SubmittingEntity { get; init; }

    /// <summary>7 to 15: the buyer.</summary>
    public required ReportedParty Buyer { get; init; }

    /// <summary>16 to 24: the seller.</summary>
    public required ReportedParty Seller { get; init; }

    /// <summary>25: the order was transmitted to another firm under Art. 4 of RTS 22 (never, here).</summary>
    public bool Transmission { get; init; }

    /// <summary>28: the trading date and time, UTC, to the microsecond.</summary>
    public required Instant TradedAt { get; init; }

    /// <summary>29: the trading capacity.</summary>
    public required TradingCapacity Capacity { get; init; }

    /// <summary>30: the quantity: a number of units, or a nominal amount in <see cref="QuantityCurrency"/> for a bond.</summary>
    public required decimal Quantity { get; init; }

    /// <summary>31: the currency of a nominal quantity; null for units.</summary>
    public string? QuantityCurrency { get; init; }

    /// <summary>33: the price: an amount in <see cref="PriceCurrency"/>, or a percentage of nominal for a bond.</summary>
    public required decimal Price { get; init; }

    /// <summary>True when <see cref="Price"/> is a percentage of nominal.</summary>
    public bool PricePercentage { get; init; }

    /// <summary>34: the price's currency (for a monetary price).</summary>
    public required string PriceCurrency { get; init; }

    /// <summary>35: for a bond, the cash the buyer pays: clean consideration plus accrued interest, no commission.</summary>
    public decimal? NetAmount { get; init; }

    /// <summary>36: the venue's MIC, or XOFF off venue.</summary>
    public required string Venue { get; init; }

    /// <summary>3: the trading venue's transaction identification code (on an EEA venue).</summary>
    public string? VenueTransactionId { get; init; }

    /// <summary>37: the country of the branch whose venue membership was used (on a venue only).</summary>
    public string? BranchCountry { get; init; }

    /// <summary>41: the instrument's ISIN.</summary>
    public required string Isin { get; init; }

    /// <summary>57 and 58: who decided the investment within the firm (own account, or a discretionary client).</summary>
    public WithinFirm? InvestmentDecision { get; init; }

    /// <summary>59 and 60: who executed within the firm.</summary>
    public required WithinFirm Execution { get; init; }

    /// <summary>62: for a sale of shares or sovereign debt, whether it was short.</summary>
    public ShortSelling? ShortSelling { get; init; }

    /// <summary>65: a securities financing transaction (never, for these trades).</summary>
    public bool SecuritiesFinancing { get; init; }
}

/// <summary>Whether a record of a report file reports a transaction or cancels an earlier report.</summary>
public enum ReportAction
{
    /// <summary>A new report (<c>Tx/New</c>).</summary>
    New = 1,

    /// <summary>The cancellation of an earlier report (<c>Tx/Cxl</c>).</summary>
    Cancel = 2,
}

/// <summary>
/// One record of a report file: a new report (with its fields), or the cancellation of the report
/// <see cref="TransactionId"/> made earlier for the trade's version <see cref="Version"/>.
/// </summary>
public sealed record ReportRecord(ReportAction Action, string TransactionId, long TradeId, int Version, TransactionReport? Report)
{
    /// <summary>A new report.</summary>
    public static ReportRecord Of(TransactionReport report) => new(ReportAction.New, report.TransactionId, report.TradeId, report.Version, report);

    /// <summary>The cancellation of <paramref name="transactionId"/>.</summary>
    public static ReportRecord Cancellation(string transactionId, long tradeId, int version) => new(ReportAction.Cancel, transactionId, tradeId, version, null);
}
