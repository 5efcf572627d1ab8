using System.Collections.Immutable;
using System.Globalization;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Settlement;

/// <summary>Where an instruction is in its life at the custodian or CSD.</summary>
public enum InstructionStatus
{
    /// <summary>Recorded, not yet sent.</summary>
    New = 1,

    /// <summary>Written out for the custodian.</summary>
    Sent = 2,

    /// <summary>The custodian matched it with the counterparty's instruction.</summary>
    Matched = 3,

    /// <summary>Part of the quantity settled; the rest is still open.</summary>
    PartiallySettled = 4,

    /// <summary>Settled in full (terminal).</summary>
    Settled = 5,

    /// <summary>Not settled (in full) at the end of its intended settlement date; still open.</summary>
    Failed = 6,

    /// <summary>Withdrawn: the trade was busted or corrected, or the custodian cancelled it (terminal).</summary>
    Cancelled = 7,
}

/// <summary>One obligation an instruction settles: a trade version, its direction, quantity and cash.</summary>
public readonly record struct InstructionMember(long TradeId, int Version, SettlementType Type, decimal Quantity, decimal Amount)
{
    /// <summary>True when the firm delivers the securities.</summary>
    public bool Delivers => Type is SettlementType.Dvp or SettlementType.Dfp;

    /// <summary>True when cash moves against the securities.</summary>
    public bool AgainstPayment => Type is SettlementType.Dvp or SettlementType.Rvp;
}

/// <summary>
/// A settlement instruction as the firm sent it: one obligation settling gross, or a net of several
/// with one counterparty, instrument, settlement date and currency. <see cref="Quantity"/> and
/// <see cref="Amount"/> are what moves at the depository (never negative); <see cref="Type"/> says
/// which way the securities go, <see cref="ReceivesCash"/> which way the cash goes.
/// </summary>
/// <param name="TransactionId">Our reference (sese.023 TxId, at most 16 characters): <c>BO{trade}-{version}</c> gross, <c>N{first trade}-{members' hash}</c> net.</param>
/// <param name="PlaceOfSettlement">The depository's BIC, from the counterparty's standing settlement instruction.</param>
public sealed record SettlementInstruction(
    string TransactionId,
    SettlementType Type,
    string Counterparty,
    string Isin,
    bool Nominal,
    string Currency,
    LocalDate TradeDate,
    LocalDate SettlementDate,
    decimal Quantity,
    decimal Amount,
    bool ReceivesCash,
    decimal Price,
    string PlaceOfTrade,
    string PlaceOfSettlement,
    string CounterpartyAgent,
    string CounterpartyAccount,
    ImmutableArray<InstructionMember> Members)
{
    /// <summary>Where it is now.</summary>
    public InstructionStatus Status { get; init; } = InstructionStatus.New;

    /// <summary>How much of <see cref="Quantity"/> has settled so far.</summary>
    public decimal SettledQuantity { get; init; }

    /// <summary>How much of <see cref="Amount"/> has settled so far.</summary>
    public decimal SettledAmount { get; init; }

    /// <summary>The custodian's last reason code (LACK, MONY, CLAC, ...), or null.</summary>
    public string? ReasonCode { get; init; }

    /// <summary>The business date the custodian reported it matched, or null while unmatched.</summary>
    public LocalDate? MatchedOn { get; init; }

    /// <summary>True when the firm delivers the securities (DVP, DFP).</summary>
    public bool Delivers => Type is SettlementType.Dvp or SettlementType.Dfp;

    /// <summary>True when cash moves against the securities (DVP, RVP).</summary>
    public bool AgainstPayment => Type is SettlementType.Dvp or SettlementType.Rvp;

    /// <summary>True when it settles more than one obligation.</summary>
    public bool Netted => Members.Length > 1;

    /// <summary>The quantity still to settle.</summary>
    public decimal OpenQuantity => Quantity - SettledQuantity;

    /// <summary>The cash still to settle.</summary>
    public decimal OpenAmount => Amount - SettledAmount;

    /// <summary>True once settled in full or cancelled: nothing more can happen to it.</summary>
    public bool IsFinal => Status is InstructionStatus.Settled or InstructionStatus.Cancelled;

    /// <summary>DVP, RVP, DFP or RFP.</summary>
    public string Code => Type.ToString().ToUpperInvariant();

    /// <summary>The canonical text of what was instructed (not its state): its payload hash tells a re-instruction from a change.</summary>
    public string Canonical() => string.Create(CultureInfo.InvariantCulture,
        $"{TransactionId}|{Code}|{Counterparty}|{Isin}|{Nominal}|{Currency}|{TradeDate:yyyy-MM-dd}|{SettlementDate:yyyy-MM-dd}|{Quantity}|{Amount}|{ReceivesCash}|{Price}|{PlaceOfTrade}|{PlaceOfSettlement}|{CounterpartyAgent}|{CounterpartyAccount}|{string.Join(';', Members.Select(m => $"{m.TradeId}-{m.Version}-{m.Type}-{m.Quantity}-{m.Amount}"))}");
}

/// <summary>One audited change of an instruction's state, with the message or run that caused it.</summary>
/// <param name="On">The business date it happened on (a confirmation's actual settlement date; otherwise the run's date).</param>
/// <param name="Source">What caused it: <c>instruct</c>, <c>sese.024</c>, <c>sese.025</c>, <c>fails</c>, <c>correction</c>.</param>
/// <param name="MessageId">The custodian's reference of the message, when one caused it.</param>
public sealed record InstructionEvent(
    string TransactionId,
    InstructionStatus From,
    InstructionStatus To,
    LocalDate On,
    string Source,
    string? MessageId,
    string? ReasonCode,
    string? Note,
    decimal SettledQuantity,
    decimal SettledAmount)
{
    /// <summary>The audit sequence of the command that recorded it (set when stored).</summary>
    public AuditSequence Sequence { get; init; }

    /// <summary>The business date the custodian reported the match, when this event records one.</summary>
    public LocalDate? MatchedOn { get; init; }
}

/// <summary>The transitions an instruction may make, and the new states confirmations and advices lead to.</summary>
public static class InstructionLifecycle
{
    /// <summary>True when <paramref name="from"/> may move to <paramref name="to"/> (staying put to record a new reason counts, except from a final state).</summary>
    public static bool Allowed(InstructionStatus from, InstructionStatus to) => from switch
    {
        InstructionStatus.New => to is InstructionStatus.New or InstructionStatus.Sent or InstructionStatus.Cancelled,
        InstructionStatus.Sent => to is not InstructionStatus.New,
        InstructionStatus.Matched or InstructionStatus.Failed or InstructionStatus.PartiallySettled =>
            to is not (InstructionStatus.New or InstructionStatus.Sent),
        _ => false,
    };

    /// <summary>
    /// The instruction after a confirmation of <paramref name="quantity"/> and <paramref name="amount"/>
    /// settled on <paramref name="on"/>, or why it cannot take it: it is settled or cancelled, the
    /// quantity is more than is open, or the cash does not match (a final confirmation must bring the
    /// cash to exactly what was instructed; a partial one may not exceed it).
    /// </summary>
    public static Result<SettlementInstruction> Confirm(SettlementInstruction instruction, decimal quantity, decimal amount, LocalDate on)
    {
        string tx = instruction.TransactionId;
        if (instruction.IsFinal)
        {
            return new Rejection("settlement.instruction-final", $"instruction {tx} is {Name(instruction.Status)}: it takes no more confirmations");
        }
        if (instruction.Status == InstructionStatus.New)
        {
            return new Rejection("settlement.not-sent", $"instruction {tx} was never sent: a confirmation cannot precede it");
        }
        if (quantity <= 0m)
        {
            return new Rejection("settlement.quantity", Invariant($"instruction {tx}: the settled quantity must be positive, not {quantity}"));
        }
        if (quantity > instruction.OpenQuantity)
        {
            return new Rejection("settlement.over-settled",
                Invariant($"instruction {tx}: the confirmation settles {quantity} but only {instruction.OpenQuantity} of {instruction.Quantity} is open"));
        }
        if (amount < 0m || (!instruction.AgainstPayment && amount != 0m))
        {
            return new Rejection("settlement.amount", Invariant($"instruction {tx}: a settled amount of {amount} does not fit a {instruction.Code} instruction"));
        }
        bool full = quantity == instruction.OpenQuantity;
        if (full && amount != instruction.OpenAmount)
        {
            return new Rejection("settlement.amount-mismatch",
                Invariant($"instruction {tx}: the final confirmation settles {amount} {instruction.Currency} but {instruction.OpenAmount} is open"));
        }
        if (!full && amount > instruction.OpenAmount)
        {
            return new Rejection("settlement.over-settled",
                Invariant($"instruction {tx}: the confirmation settles {amount} {instruction.Currency} but only {instruction.OpenAmount} is open"));
        }
        return instruction with
        {
            Status = full ? InstructionStatus.Settled : InstructionStatus.PartiallySettled,
            SettledQuantity = instruction.SettledQuantity + quantity,
            SettledAmount = instruction.SettledAmount + amount,
        };
    }

    /// <summary>The status's name in files and reports: new, sent, matched, partially-settled, settled, failed, cancelled.</summary>
    public static string Name(InstructionStatus status) => status switch
    {
        InstructionStatus.PartiallySettled => "partially-settled",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>The status a name gives, or null.</summary>
    public static InstructionStatus? Parse(string name) =>
        Enum.GetValues<InstructionStatus>().Cast<InstructionStatus?>().FirstOrDefault(s => Name(s!.Value) == name);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
