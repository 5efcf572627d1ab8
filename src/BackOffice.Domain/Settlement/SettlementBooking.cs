using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Domain.Settlement;

/// <summary>The ledger accounts settlement books to (codes in the chart of accounts).</summary>
public sealed record SettlementBookingPolicy
{
    /// <summary>The firm's default chart (samples/demo/ledger-accounts.csv).</summary>
    public static SettlementBookingPolicy Default { get; } = new();

    /// <summary>Securities the firm holds at the depository (asset, in units of each ISIN).</summary>
    public string Depository { get; init; } = "1100";

    /// <summary>The firm's cash at its settlement bank (asset, per currency).</summary>
    public string Bank { get; init; } = "1010";

    /// <summary>Securities pending settlement with each counterparty (as trade booking books them).</summary>
    public string PendingSettlement { get; init; } = TradeBookingPolicy.Default.PendingSettlement;

    /// <summary>Cash receivable from each counterparty for sales, until settlement.</summary>
    public string SettlementReceivable { get; init; } = TradeBookingPolicy.Default.SettlementReceivable;

    /// <summary>Cash payable to each counterparty for purchases, until settlement.</summary>
    public string SettlementPayable { get; init; } = TradeBookingPolicy.Default.SettlementPayable;

    /// <summary>Settlement penalties the firm owes (expense).</summary>
    public string PenaltyExpense { get; init; } = "5300";

    /// <summary>Settlement penalties owed to the firm (income).</summary>
    public string PenaltyIncome { get; init; } = "4400";

    /// <summary>Penalties payable to the CSD until it collects them (liability).</summary>
    public string PenaltiesPayable { get; init; } = "2500";

    /// <summary>Penalties receivable from the CSD until it pays them (asset).</summary>
    public string PenaltiesReceivable { get; init; } = "1500";

    /// <summary>Every account this policy books to directly (sub-ledgers of the pending accounts are opened by trade booking).</summary>
    public IEnumerable<string> Accounts => [Depository, Bank, PenaltyExpense, PenaltyIncome, PenaltiesPayable, PenaltiesReceivable];
}

/// <summary>Builds instructions from the day's settlements, and the entries their confirmations and penalties book.</summary>
public static class SettlementBooking
{
    /// <summary>
    /// The instruction for one settlement: a group of one is the obligation, instructed gross under
    /// its own transaction id; a larger group is instructed net: the securities one way (the net
    /// quantity), the cash one way (the net amount), the earliest trade date and the average price.
    /// A group whose quantities net to zero cannot be one instruction (a sese.023 moves securities):
    /// its members settle gross. Rejected when an obligation has no standing settlement instruction.
    /// </summary>
    public static Result<IReadOnlyList<SettlementInstruction>> Instruct(NetSettlement settlement)
    {
        foreach (SettlementObligation member in settlement.Members)
        {
            if (member.Ssi is null)
            {
                return new Rejection("settlement.ssi-missing",
                    $"trade {member.TradeId} (counterparty {member.Counterparty}) has no standing settlement instruction: the place of settlement and the counterparty's account are unknown");
            }
        }
        if (!settlement.Netted || settlement.NetQuantity == 0m)
        {
            return settlement.Members.Select(Gross).ToList();
        }
        SettlementObligation first = settlement.Members[0];
        decimal net = settlement.NetQuantity, cash = settlement.NetAmount;
        bool payment = settlement.Members.Any(m => m.AgainstPayment);
        SettlementType type = net < 0m ? (payment ? SettlementType.Dvp : SettlementType.Dfp) : (payment ? SettlementType.Rvp : SettlementType.Rfp);
        decimal price = Math.Round(settlement.Members.Sum(m => m.Price * m.Quantity) / settlement.GrossQuantity, 6, MidpointRounding.AwayFromZero);
        ImmutableArray<InstructionMember> members = [.. settlement.Members.Select(Member)];
        return new List<SettlementInstruction>
        {
            new(NetTransactionId(members), type, settlement.Counterparty, settlement.Isin, first.Nominal, settlement.Currency,
                settlement.Members.Min(m => m.TradeDate), settlement.SettlementDate, Math.Abs(net), Math.Abs(cash), cash > 0m, price, first.PlaceOfTrade,
                first.Ssi!.PlaceOfSettlement, first.Ssi.AgentBic, first.Ssi.DepositoryAccount, members),
        };
    }

    /// <summary>One obligation instructed on its own.</summary>
    public static SettlementInstruction Gross(SettlementObligation o) =>
        new(o.TransactionId, o.Type, o.Counterparty, o.Isin, o.Nominal, o.Currency, o.TradeDate, o.SettlementDate, o.Quantity, o.AgainstPayment ? o.Amount : 0m,
            o.AgainstPayment && o.Delivers, o.Price, o.PlaceOfTrade, o.Ssi?.PlaceOfSettlement ?? "", o.Ssi?.AgentBic ?? "", o.Ssi?.DepositoryAccount ?? "", [Member(o)]);

    private static InstructionMember Member(SettlementObligation o) => new(o.TradeId, o.Version, o.Type, o.Quantity, o.AgainstPayment ? o.Amount : 0m);

    /// <summary>
    /// The same instruction sent again after the custodian cancelled it, under a new reference: a
    /// gross one's with <c>R</c> and the attempt appended (<c>BO12-1R2</c>), a net's with the attempt in its hash.
    /// </summary>
    public static SettlementInstruction Reissued(SettlementInstruction instruction, int attempt) => instruction with
    {
        TransactionId = instruction.Netted
            ? NetTransactionId(instruction.Members, attempt)
            : string.Create(CultureInfo.InvariantCulture, $"{Obligations.TransactionId(instruction.Members[0].TradeId, instruction.Members[0].Version)}R{attempt}"),
    };

    /// <summary>
    /// A net's reference: <c>N</c>, its first trade id, and four hex digits of a hash of every member
    /// (trade and version) and of the attempt after the first, so a net whose members change (a
    /// correction) or that is sent again is a new instruction.
    /// </summary>
    public static string NetTransactionId(IReadOnlyList<InstructionMember> members, int attempt = 1)
    {
        string text = string.Join(';', members.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.TradeId}-{m.Version}")))
            + (attempt > 1 ? string.Create(CultureInfo.InvariantCulture, $";R{attempt}") : "");
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 2);
        return string.Create(CultureInfo.InvariantCulture, $"N{members[0].TradeId}-{hash}");
    }

    /// <summary>The idempotency key of the entry a confirmation books: the instruction and the custodian's message reference.</summary>
    public static string ConfirmationKey(string transactionId, string messageId) => "settlement/" + transactionId + "/" + messageId;

    /// <summary>The idempotency key of a day's penalty entry for an instruction.</summary>
    public static string PenaltyKey(string transactionId, LocalDate date) =>
        "penalty/" + transactionId + "/" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// The entry a confirmation books, moving <paramref name="before"/>'s settled state to
    /// <paramref name="after"/>'s: securities from pending settlement with the counterparty to the
    /// depository (or back out of it), cash between the settlement receivable or payable and the bank.
    /// A partial settlement moves the settled part in the instruction's direction; the confirmation that
    /// completes it clears every member's pending lines, so a net leaves nothing behind. Effective on
    /// <paramref name="effective"/> (the actual settlement date, or the open period's first day).
    /// </summary>
    public static JournalEntryRequest Confirmation(SettlementInstruction before, SettlementInstruction after, LocalDate effective, string messageId,
        SettlementBookingPolicy policy)
    {
        Dictionary<(string Account, string Asset), decimal> from = State(before, policy), to = State(after, policy);
        var lines = new List<PostingRequest>();
        foreach ((string account, string asset) in to.Keys.Union(from.Keys).OrderBy(k => k.Account, StringComparer.Ordinal).ThenBy(k => k.Asset, StringComparer.Ordinal))
        {
            decimal delta = to.GetValueOrDefault((account, asset)) - from.GetValueOrDefault((account, asset));
            if (delta != 0m)
            {
                lines.Add(new PostingRequest(account, asset, delta > 0m ? Direction.Debit : Direction.Credit, Math.Abs(delta)));
            }
        }
        decimal quantity = after.SettledQuantity - before.SettledQuantity;
        string reason = string.Create(CultureInfo.InvariantCulture,
            $"{(after.Status == InstructionStatus.Settled ? "settled" : "partially settled")} {after.Code} {after.TransactionId}: {quantity} {after.Isin} on {effective:yyyy-MM-dd}");
        return new JournalEntryRequest(ConfirmationKey(after.TransactionId, messageId), effective, reason, "settlement/" + messageId, lines);
    }

    // What the settlement has booked once it has settled SettledQuantity and SettledAmount, debits positive.
    private static Dictionary<(string, string), decimal> State(SettlementInstruction i, SettlementBookingPolicy policy)
    {
        var state = new Dictionary<(string, string), decimal>();
        void Add(string account, string asset, decimal amount) => state[(account, asset)] = state.GetValueOrDefault((account, asset)) + amount;
        string pending = TradeBookingPolicy.Sub(policy.PendingSettlement, i.Counterparty);
        string receivable = TradeBookingPolicy.Sub(policy.SettlementReceivable, i.Counterparty);
        string payable = TradeBookingPolicy.Sub(policy.SettlementPayable, i.Counterparty);
        if (i.SettledQuantity == 0m && i.SettledAmount == 0m)
        {
            return state;
        }
        if (i.SettledQuantity == i.Quantity && i.SettledAmount == i.Amount)
        {
            // Settled in full: every member's pending lines clear; the depository and bank take the net.
            foreach (InstructionMember m in i.Members)
            {
                decimal sign = m.Delivers ? -1m : 1m;
                Add(policy.Depository, i.Isin, sign * m.Quantity);
                Add(pending, i.Isin, -sign * m.Quantity);
                if (m.AgainstPayment)
                {
                    Add(policy.Bank, i.Currency, -sign * m.Amount);
                    Add(m.Delivers ? receivable : payable, i.Currency, sign * m.Amount);
                }
            }
            return state;
        }
        decimal direction = i.Delivers ? -1m : 1m;
        Add(policy.Depository, i.Isin, direction * i.SettledQuantity);
        Add(pending, i.Isin, -direction * i.SettledQuantity);
        if (i.SettledAmount != 0m)
        {
            Add(policy.Bank, i.Currency, i.ReceivesCash ? i.SettledAmount : -i.SettledAmount);
            Add(i.ReceivesCash ? receivable : payable, i.Currency, i.ReceivesCash ? -i.SettledAmount : i.SettledAmount);
        }
        return state;
    }

    /// <summary>
    /// The entry a day's penalty books: one the firm pays is an expense owed to the CSD; one it
    /// receives is income the CSD owes it.
    /// </summary>
    public static JournalEntryRequest Penalty(AccruedPenalty penalty, LocalDate effective, SettlementBookingPolicy policy)
    {
        bool pay = penalty.Side == PenaltySide.Pay;
        string reason = string.Create(CultureInfo.InvariantCulture,
            $"CSDR penalty {(pay ? "owed" : "due to us")} for {penalty.TransactionId} on {penalty.Date:yyyy-MM-dd}: {penalty.Type} on {penalty.FailingQuantity} at {penalty.ReferencePrice}");
        return new JournalEntryRequest(PenaltyKey(penalty.TransactionId, penalty.Date), effective, reason, "penalty/" + penalty.TransactionId,
        [
            new PostingRequest(pay ? policy.PenaltyExpense : policy.PenaltiesReceivable, penalty.Currency, Direction.Debit, penalty.Amount),
            new PostingRequest(pay ? policy.PenaltiesPayable : policy.PenaltyIncome, penalty.Currency, Direction.Credit, penalty.Amount),
        ]);
    }
}
