using System.Collections.Frozen;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Settlement;

/// <summary>Which way a CSDR cash penalty goes for the firm.</summary>
public enum PenaltySide
{
    /// <summary>We caused the fail: the CSD debits the penalty to us.</summary>
    Pay = 1,

    /// <summary>The counterparty caused the fail: the CSD credits the penalty to us.</summary>
    Receive = 2,
}

/// <summary>One day's CSDR cash penalty on one of our instructions, as we compute it.</summary>
/// <param name="FailingQuantity">The quantity that failed that day: the instruction's open quantity.</param>
/// <param name="ReferencePrice">The day's reference price (for debt, per 100 of nominal).</param>
/// <param name="Amount">The penalty, never negative, rounded to the currency's minor units; <paramref name="Side"/> says which way it goes.</param>
public sealed record AccruedPenalty(string TransactionId, LocalDate Date, FailType Type, PenaltySide Side, PenaltyAssetClass Category, decimal FailingQuantity,
    decimal ReferencePrice, decimal Amount, string Currency)
{
    /// <summary>The amount signed from our side: negative when we pay, positive when we receive.</summary>
    public decimal SignedAmount => Side == PenaltySide.Pay ? -Amount : Amount;
}

/// <summary>
/// A day on which our penalty for an instruction and the CSD's differ, signed from our side
/// (negative: we pay). A day only one side has shows zero for the other.
/// </summary>
public sealed record PenaltyBreak(string TransactionId, LocalDate Date, decimal Ours, decimal Csd, string Currency);

/// <summary>
/// The daily CSDR cash penalties (Regulation (EU) No 909/2014 Article 7(2)) on the firm's
/// instructions, with their direction, and their reconciliation with what the CSD reports. The
/// amounts come from <see cref="CsdrPenalties.Daily"/>.
/// </summary>
public static class PenaltyAccrual
{
    private static readonly FrozenDictionary<string, (FailType Type, PenaltySide Side)> Causes = new Dictionary<string, (FailType, PenaltySide)>
    {
        ["LACK"] = (FailType.LackOfSecurities, PenaltySide.Pay),
        ["LALO"] = (FailType.LackOfSecurities, PenaltySide.Pay),
        ["COLL"] = (FailType.LackOfSecurities, PenaltySide.Pay),
        ["SBLO"] = (FailType.LackOfSecurities, PenaltySide.Pay),
        ["FLIM"] = (FailType.LackOfSecurities, PenaltySide.Pay),
        ["MONY"] = (FailType.LackOfCash, PenaltySide.Pay),
        ["YCOL"] = (FailType.LackOfCash, PenaltySide.Pay),
        ["CLAC"] = (FailType.LackOfSecurities, PenaltySide.Receive),
        ["CMON"] = (FailType.LackOfCash, PenaltySide.Receive),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Why the instruction fails and who pays, from the failing or pending reason code of the
    /// custodian's sese.024 (FailingReason4Code and PendingReason24Code of sese.024.001.12):
    /// <list type="table">
    /// <listheader><term>Code (ISO name)</term><description>Cause, side, and the direction it needs</description></listheader>
    /// <item><term>LACK (Lack of Securities)</term><description>lack of securities, Pay; we deliver</description></item>
    /// <item><term>LALO (Securities Loaned Out)</term><description>lack of securities, Pay; we deliver</description></item>
    /// <item><term>COLL (Securities Pledged as Collateral)</term><description>lack of securities, Pay; we deliver</description></item>
    /// <item><term>SBLO (Securities Blocked)</term><description>lack of securities, Pay; we deliver</description></item>
    /// <item><term>FLIM (Maximum Foreign Limit Reached)</term><description>lack of securities, Pay; we deliver</description></item>
    /// <item><term>MONY (Insufficient Money)</term><description>lack of cash, Pay; we pay cash</description></item>
    /// <item><term>YCOL (Collateral Shortage: too little collateral to execute it, read as the credit that would fund the payment)</term><description>lack of cash, Pay; we pay cash</description></item>
    /// <item><term>CLAC (Counterparty Insufficient Securities)</term><description>lack of securities, Receive; we receive</description></item>
    /// <item><term>CMON (Counterparty Insufficient Money)</term><description>lack of cash, Receive; the counterparty pays us cash</description></item>
    /// </list>
    /// Every other code, or none, is null: no penalty accrues and reports show the fail as
    /// unexplained. That includes the "awaiting" codes (AWSH, AWMO, CAIS), which do not say who
    /// lacks what, and BOTH, which means both instructions are on hold, not that both parties lack
    /// something. A code whose direction does not fit the instruction (LACK on a receipt, CMON
    /// where we pay) is also null: the custodian's code or our instruction is wrong, and that
    /// needs a person, not a penalty. Case and surrounding spaces are ignored.
    /// </summary>
    public static (FailType Type, PenaltySide Side)? Cause(SettlementInstruction instruction, string? reasonCode)
    {
        if (reasonCode is null || !Causes.TryGetValue(reasonCode.Trim().ToUpperInvariant(), out (FailType Type, PenaltySide Side) cause))
        {
            return null;
        }
        bool weDeliver = instruction.Delivers;
        bool wePay = instruction.AgainstPayment && !instruction.ReceivesCash;
        bool theyPay = instruction.AgainstPayment && instruction.ReceivesCash;
        bool fits = cause switch
        {
            (FailType.LackOfSecurities, PenaltySide.Pay) => weDeliver,
            (FailType.LackOfSecurities, PenaltySide.Receive) => !weDeliver,
            (FailType.LackOfCash, PenaltySide.Pay) => wePay,
            (FailType.LackOfCash, PenaltySide.Receive) => theyPay,
            _ => false,
        };
        return fits ? cause : null;
    }

    /// <summary>
    /// The penalty of <paramref name="day"/> on the instruction as it stood at the end of that day
    /// (its status and settled quantity then), or null when none accrues, checked in this order:
    /// the place of settlement is not a CSD in the EU or EEA (<see cref="SettlementCalendars.IsEuCsd"/>);
    /// the day is before the intended settlement date or before the penalty regime
    /// (<see cref="CsdrPenalties.RegimeStart"/>); it is not a TARGET2 business day; the instruction
    /// is settled or cancelled, or nothing is open; <paramref name="reasonCode"/> gives no known
    /// cause (<see cref="Cause"/>). Otherwise the penalty is on the open quantity (quantity less
    /// settled quantity, so a partial settlement lowers it), as units or, for an instruction in
    /// nominal, as a nominal. A rejection from <see cref="CsdrPenalties.Daily"/> is passed on: a
    /// reference price that is not positive, a lack of cash without
    /// <paramref name="cashRateAnnual"/>, no rate in force for the category.
    /// </summary>
    public static Result<AccruedPenalty?> ForDay(SettlementInstruction instruction, LocalDate day, string? reasonCode, PenaltyAssetClass category,
        decimal referencePrice, decimal? cashRateAnnual, int minorUnits, IReadOnlyList<PenaltyRate>? rates = null)
    {
        if (!SettlementCalendars.IsEuCsd(instruction.PlaceOfSettlement)
            || day < instruction.SettlementDate
            || day < CsdrPenalties.RegimeStart
            || !CsdrPenalties.IsPenaltyDay(day)
            || instruction.IsFinal
            || instruction.OpenQuantity <= 0m
            || Cause(instruction, reasonCode) is not { } cause)
        {
            return (AccruedPenalty?)null;
        }
        var penaltyDay = new PenaltyDay(cause.Type, category, instruction.Nominal ? QuantityKind.Nominal : QuantityKind.Units, instruction.OpenQuantity,
            instruction.Currency, day, referencePrice, cashRateAnnual);
        Result<decimal> amount = CsdrPenalties.Daily(penaltyDay, minorUnits, rates);
        if (amount.Rejection is { } rejection)
        {
            return rejection.At($"instruction {instruction.TransactionId}");
        }
        return new AccruedPenalty(instruction.TransactionId, day, cause.Type, cause.Side, category, instruction.OpenQuantity, referencePrice, amount.Value,
            instruction.Currency);
    }

    /// <summary>
    /// The days a late-matching penalty accrues for (Regulation (EU) No 909/2014 Article 7(2):
    /// an instruction matched after its intended settlement date is penalised for the days it
    /// could not settle): when <paramref name="matchedOn"/> is after the intended settlement date,
    /// the TARGET2 business days from the intended settlement date up to the day before matching.
    /// Empty when matched on or before the intended settlement date, or when the place is not a
    /// CSD in the EU or EEA. The penalty is charged to whichever party instructed (or changed its
    /// instruction) last, which the days alone do not tell.
    /// </summary>
    public static IReadOnlyList<LocalDate> LateMatchingDays(SettlementInstruction instruction, LocalDate matchedOn)
    {
        if (matchedOn <= instruction.SettlementDate || !SettlementCalendars.IsEuCsd(instruction.PlaceOfSettlement))
        {
            return [];
        }
        return CsdrPenalties.PenaltyDays(instruction.SettlementDate, matchedOn, settled: true);
    }

    /// <summary>
    /// Our penalties against the CSD's, per transaction, day and currency. Amounts are compared
    /// signed from our side, so a penalty we think we receive and the CSD debits is a break: ours
    /// use <see cref="AccruedPenalty.SignedAmount"/>, and the CSD's must come signed the same way
    /// (negative: debited to us). Several rows of one side for a key are added up. A break is a key
    /// whose two totals differ, including a key only one side has (the other shows zero); a
    /// currency that differs between the sides shows as two breaks, one per currency. Ordered by
    /// transaction, date and currency.
    /// </summary>
    public static IReadOnlyList<PenaltyBreak> Compare(IEnumerable<AccruedPenalty> ours,
        IEnumerable<(string TransactionId, LocalDate Date, decimal Amount, string Currency)> csd)
    {
        var totals = new Dictionary<(string TransactionId, LocalDate Date, string Currency), (decimal Ours, decimal Csd)>();
        foreach (AccruedPenalty penalty in ours)
        {
            var key = (penalty.TransactionId, penalty.Date, penalty.Currency);
            (decimal o, decimal c) = totals.GetValueOrDefault(key);
            totals[key] = (o + penalty.SignedAmount, c);
        }
        foreach ((string transactionId, LocalDate date, decimal amount, string currency) in csd)
        {
            var key = (transactionId, date, currency);
            (decimal o, decimal c) = totals.GetValueOrDefault(key);
            totals[key] = (o, c + amount);
        }
        return [.. totals.Where(t => t.Value.Ours != t.Value.Csd)
            .OrderBy(t => t.Key.TransactionId, StringComparer.Ordinal).ThenBy(t => t.Key.Date).ThenBy(t => t.Key.Currency, StringComparer.Ordinal)
            .Select(t => new PenaltyBreak(t.Key.TransactionId, t.Key.Date, t.Value.Ours, t.Value.Csd, t.Key.Currency))];
    }
}
