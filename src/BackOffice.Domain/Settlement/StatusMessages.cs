using NodaTime;

namespace BackOffice.Domain.Settlement;

/// <summary>The custodian's matching status of an instruction (sese.024 MtchgSts).</summary>
public enum MatchingStatus
{
    /// <summary>Matched with the counterparty's instruction.</summary>
    Matched = 1,

    /// <summary>Not (yet) matched; the reason says why (DDAT, DMON, NCRR, ...).</summary>
    Unmatched = 2,
}

/// <summary>The custodian's settlement status of a matched instruction (sese.024 SttlmSts).</summary>
public enum SettlementCondition
{
    /// <summary>Waiting for its settlement date or for settlement to be attempted.</summary>
    Pending = 1,

    /// <summary>Its settlement date has come and it did not settle; the reason says why (LACK, MONY, CLAC, ...).</summary>
    Failing = 2,
}

/// <summary>The custodian's processing status (sese.024 PrcgSts), when the advice carries one.</summary>
public enum ProcessingStatus
{
    /// <summary>Accepted for processing.</summary>
    Accepted = 1,

    /// <summary>Rejected: it will not settle as sent.</summary>
    Rejected = 2,

    /// <summary>Cancelled at the custodian.</summary>
    Cancelled = 3,

    /// <summary>Pending processing.</summary>
    Pending = 4,
}

/// <summary>
/// One sese.024 status advice as read: which of our instructions it is about (AcctOwnrTxId), the
/// custodian's reference, and whichever of the processing, matching and settlement statuses it gives,
/// each with its reason code and text.
/// </summary>
public sealed record StatusAdvice(
    string TransactionId,
    string? ServicerTransactionId,
    ProcessingStatus? Processing,
    MatchingStatus? Matching,
    SettlementCondition? Settlement,
    string? ReasonCode,
    string? ReasonText);

/// <summary>
/// One sese.025 confirmation as read: which instruction (AcctOwnrTxId), the movement (delivery or
/// receipt, against payment or free), the ISIN, the settled quantity (units or face amount), the
/// settled cash with its direction, the actual settlement date, and whether it is a partial
/// settlement (with the quantity still to settle, when the custodian says).
/// </summary>
public sealed record SettlementConfirmation(
    string TransactionId,
    string? ServicerTransactionId,
    bool Delivery,
    bool AgainstPayment,
    string Isin,
    decimal SettledQuantity,
    bool FaceAmount,
    decimal? SettledAmount,
    string? Currency,
    bool? Credit,
    LocalDate SettledOn,
    bool Partial,
    decimal? RemainingQuantity);
