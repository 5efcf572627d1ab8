using System.Globalization;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Trading;

/// <summary>
/// The ledger accounts a trade books to (codes in the chart of accounts). Client and counterparty
/// accounts are sub-ledgers of a control account, coded <c>control.sub</c> (2010.C-1001 is client
/// C-1001's money); they are opened on first use. docs/reference/trades.md shows every entry.
/// </summary>
public sealed record TradeBookingPolicy
{
    /// <summary>The firm's default chart (samples/demo/ledger-accounts.csv).</summary>
    public static TradeBookingPolicy Default { get; } = new();

    /// <summary>Securities owed to each client (liability; credit balance is a long position).</summary>
    public string ClientSecurities { get; init; } = "2100";

    /// <summary>Cash owed to each client (liability; credit balance is free cash).</summary>
    public string ClientMoney { get; init; } = "2010";

    /// <summary>Securities to be received from (debit) or delivered to (credit) each counterparty until settlement.</summary>
    public string PendingSettlement { get; init; } = "1300";

    /// <summary>Cash to be received from each counterparty for sales, until settlement.</summary>
    public string SettlementReceivable { get; init; } = "1310";

    /// <summary>Cash to be paid to each counterparty for purchases, until settlement.</summary>
    public string SettlementPayable { get; init; } = "2300";

    /// <summary>The firm's commission income.</summary>
    public string CommissionIncome { get; init; } = "4010";

    /// <summary>Fees and taxes collected for regulators and tax authorities, when the fee rule names no account.</summary>
    public string FeesPayable { get; init; } = "2400";

    /// <summary>The firm's own positions per book, in units (the stock record's owner side for the firm).</summary>
    public string FirmPositions { get; init; } = "3100";

    /// <summary>Securities the firm owns per book, at cost (an asset in each currency; fees and taxes included).</summary>
    public string FirmInventory { get; init; } = "1200";

    /// <summary>Accrued interest the firm bought (debit) or sold (credit) with bonds in its books.</summary>
    public string FirmAccruedInterest { get; init; } = "1420";

    /// <summary>Realized trading gains and losses of each firm book (income).</summary>
    public string FirmRealized { get; init; } = "4300";

    /// <summary>The client's sub-ledger of a control account.</summary>
    public static string Sub(string control, string code) => control + "." + code;

    /// <summary>The sub-ledger accounts a trade books to, with the control account each hangs off.</summary>
    public IEnumerable<(string Code, string Control, string Name)> SubLedgers(string clientAccount, string counterparty, bool firmBook = false)
    {
        if (firmBook)
        {
            yield return (Sub(FirmPositions, clientAccount), FirmPositions, "Firm positions: " + clientAccount);
            yield return (Sub(FirmInventory, clientAccount), FirmInventory, "Securities owned at cost: " + clientAccount);
        }
        else
        {
            yield return (Sub(ClientSecurities, clientAccount), ClientSecurities, "Client securities held: " + clientAccount);
            yield return (Sub(ClientMoney, clientAccount), ClientMoney, "Client money payable: " + clientAccount);
        }
        yield return (Sub(PendingSettlement, counterparty), PendingSettlement, "Pending settlement: " + counterparty);
        yield return (Sub(SettlementReceivable, counterparty), SettlementReceivable, "Settlement receivable: " + counterparty);
        yield return (Sub(SettlementPayable, counterparty), SettlementPayable, "Settlement payable: " + counterparty);
    }
}

/// <summary>Turns an enriched trade into the journal entry that books it at trade date.</summary>
public static class TradeBooking
{
    /// <summary>
    /// The idempotency key of the entry a message books: named by the message's source and id,
    /// which are unique for ever, so the entry can be built before the trade has its id.
    /// </summary>
    public static string EntryKey(TradeRequest message) => "trade/" + message.Source + "/" + message.SourceTradeId;

    /// <summary>The idempotency key of the reversal a correcting, busting or allocating message books.</summary>
    public static string ReversalKey(TradeRequest message) => EntryKey(message) + "/reversal";

    /// <summary>
    /// The booking entry. A buy: the counterparty owes the securities (debit pending settlement), the
    /// client is owed them (credit client securities); the client pays the net (debit client money),
    /// owed to the counterparty (credit settlement payable, gross plus accrued), commission income and
    /// each fee's payable. A sell mirrors it. Lines of zero are left out.
    /// </summary>
    /// <param name="bookOn">The entry's effective date when not the trade date: a late trade whose trade date is in a closed period books in the open one.</param>
    public static JournalEntryRequest Entry(EnrichedTrade trade, TradeBookingPolicy policy, LocalDate? bookOn = null)
    {
        TradeRequest r = trade.Request;
        string client = trade.Account.Code, counterparty = trade.Counterparty.Lei;
        string isin = trade.Instrument.Isin, currency = trade.Instrument.Currency;
        decimal sign = r.Side == TradeSide.Buy ? 1m : -1m;
        var lines = new List<PostingRequest>(8);
        Add(lines, TradeBookingPolicy.Sub(policy.PendingSettlement, counterparty), isin, sign * r.Quantity);
        decimal consideration = trade.Gross + trade.AccruedInterest;
        if (trade.Account.IsFirmBook)
        {
            // The firm's own book: its position, and its inventory at cost (gross and charges); accrued interest apart.
            Add(lines, TradeBookingPolicy.Sub(policy.FirmPositions, client), isin, -sign * r.Quantity);
            Add(lines, TradeBookingPolicy.Sub(policy.FirmInventory, client), currency, sign * (trade.Net - trade.AccruedInterest));
            Add(lines, policy.FirmAccruedInterest, currency, sign * trade.AccruedInterest);
        }
        else
        {
            // The client's cash moves by the net; the counterparty's by gross plus accrued; charges go to the firm and to regulators.
            Add(lines, TradeBookingPolicy.Sub(policy.ClientSecurities, client), isin, -sign * r.Quantity);
            Add(lines, TradeBookingPolicy.Sub(policy.ClientMoney, client), currency, sign * trade.Net);
        }
        Add(lines, r.Side == TradeSide.Buy ? TradeBookingPolicy.Sub(policy.SettlementPayable, counterparty) : TradeBookingPolicy.Sub(policy.SettlementReceivable, counterparty),
            currency, -sign * consideration);
        foreach (TradeCharge charge in trade.Charges)
        {
            string account = charge.Kind == FeeKind.Commission ? policy.CommissionIncome : charge.LedgerAccount ?? policy.FeesPayable;
            Add(lines, account, currency, -charge.Amount);
        }
        LocalDate effective = bookOn ?? r.TradeDate;
        string reason = string.Create(CultureInfo.InvariantCulture,
            $"{(r.Side == TradeSide.Buy ? "buy" : "sell")} {r.Quantity} {isin} @ {r.Price} {currency} for {client}{(effective != r.TradeDate ? $" (late: traded {r.TradeDate:yyyy-MM-dd}, period closed)" : "")}");
        return new JournalEntryRequest(EntryKey(r), effective, reason, r.Source + "/" + r.SourceTradeId, lines);
    }

    /// <summary>The reversal, booked by <paramref name="change"/>, of trade version <paramref name="version"/>'s entry, effective on <paramref name="effectiveDate"/>.</summary>
    public static ReversalRequest Reversal(TradeRequest change, TradeVersion version, JournalEntryId booked, LocalDate effectiveDate, string why) =>
        new(ReversalKey(change), booked, effectiveDate, string.Create(CultureInfo.InvariantCulture,
            $"trade {version.TradeId} v{version.Version} {why}{(effectiveDate != version.TradeDate ? $" (late: reverses entry {booked.Value} of {version.TradeDate:yyyy-MM-dd}, period closed)" : "")}"));

    private static void Add(List<PostingRequest> lines, string account, string asset, decimal signed)
    {
        if (signed != 0m)
        {
            lines.Add(new PostingRequest(account, asset, signed > 0m ? Direction.Debit : Direction.Credit, Math.Abs(signed)));
        }
    }
}
