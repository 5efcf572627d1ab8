using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Settlement;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Domain.Tests.Settlement;

/// <summary>
/// Each settlement type through its lifecycle, with the settlement accounts of a small ledger
/// checked after each step: the trade booking's pending lines, then each confirmation's entry.
/// </summary>
public sealed class SettlementLifecycleTests
{
    private const string Isin = "US0378331005";
    private static readonly LocalDate Day = new(2026, 11, 25);
    private static readonly SettlementBookingPolicy Policy = SettlementBookingPolicy.Default;
    private static readonly StandingSettlementInstruction Ssi = new("S", "CP", null, null, "DTCYUS33XXX", "DTC-1", "EXBRUS33XXX", new LocalDate(2024, 1, 1));

    private static SettlementObligation Obligation(long trade, SettlementType type, decimal quantity, decimal amount) =>
        new(Obligations.TransactionId(trade, 1), trade, 1, type, Isin, false, quantity, amount, "USD", Day.PlusDays(-1), Day, 200m, "XNAS", "C-1", "CP", Ssi);

    /// <summary>A ledger of the settlement accounts only: balances per (account, asset), debits positive.</summary>
    private sealed class Ledger
    {
        private readonly Dictionary<(string, string), decimal> _balances = [];

        public decimal this[string account, string asset] => _balances.GetValueOrDefault((account, asset));

        // What trade booking puts on the counterparty's pending accounts (the client's side is left out).
        public void BookTrade(SettlementObligation o)
        {
            decimal sign = o.Delivers ? -1m : 1m;
            Add("1300.CP", Isin, sign * o.Quantity);
            if (o.AgainstPayment)
            {
                Add(o.Delivers ? "1310.CP" : "2300.CP", "USD", -sign * o.Amount);
            }
        }

        public void Book(JournalEntryRequest entry)
        {
            foreach (IGrouping<string, PostingRequest> asset in entry.Postings.GroupBy(p => p.AssetCode))
            {
                Assert.Equal(0m, asset.Sum(p => p.Direction == Direction.Debit ? p.Amount : -p.Amount));
            }
            foreach (PostingRequest p in entry.Postings)
            {
                Assert.True(p.Amount > 0m);
                Add(p.LedgerAccountCode, p.AssetCode, p.Direction == Direction.Debit ? p.Amount : -p.Amount);
            }
        }

        private void Add(string account, string asset, decimal amount) => _balances[(account, asset)] = this[account, asset] + amount;

        public void Pending(decimal securities, decimal receivable, decimal payable)
        {
            Assert.Equal(securities, this["1300.CP", Isin]);
            Assert.Equal(receivable, this["1310.CP", "USD"]);
            Assert.Equal(payable, this["2300.CP", "USD"]);
        }

        public void Settled(decimal depository, decimal bank)
        {
            Assert.Equal(depository, this["1100", Isin]);
            Assert.Equal(bank, this["1010", "USD"]);
        }
    }

    private static SettlementInstruction Sent(SettlementInstruction i) => i with { Status = InstructionStatus.Sent };

    private static SettlementInstruction Confirm(Ledger ledger, SettlementInstruction before, decimal quantity, decimal amount, string message)
    {
        SettlementInstruction after = InstructionLifecycle.Confirm(before, quantity, amount, Day).Value;
        ledger.Book(SettlementBooking.Confirmation(before, after, Day, message, Policy));
        return after;
    }

    [Theory]
    [InlineData(SettlementType.Rvp, 100, 20000, 100, -20000)]
    [InlineData(SettlementType.Dvp, 100, 20000, -100, 20000)]
    [InlineData(SettlementType.Rfp, 100, 0, 100, 0)]
    [InlineData(SettlementType.Dfp, 100, 0, -100, 0)]
    public void Each_type_settles_from_pending_to_the_depository_and_the_bank(SettlementType type, int quantity, int amount, int depository, int bank)
    {
        var ledger = new Ledger();
        SettlementObligation o = Obligation(1, type, quantity, amount);
        ledger.BookTrade(o);
        SettlementInstruction i = Sent(Assert.Single(SettlementBooking.Instruct(new NetSettlement("CP", Isin, Day, "USD", [o])).Value));
        Assert.Equal((type, (decimal)quantity, (decimal)amount), (i.Type, i.Quantity, i.Amount));
        ledger.Pending(o.Delivers ? -quantity : quantity, o.AgainstPayment && o.Delivers ? amount : 0m, o.AgainstPayment && !o.Delivers ? -amount : 0m);
        ledger.Settled(0m, 0m);

        SettlementInstruction settled = Confirm(ledger, i, quantity, amount, "M1");
        Assert.Equal(InstructionStatus.Settled, settled.Status);
        ledger.Pending(0m, 0m, 0m);
        ledger.Settled(depository, bank);
        Assert.Equal("settlement.instruction-final", InstructionLifecycle.Confirm(settled, 1m, 0m, Day).Rejection?.Rule);
    }

    [Fact]
    public void A_partial_settlement_books_the_settled_part_and_the_rest_settles_later()
    {
        var ledger = new Ledger();
        SettlementObligation o = Obligation(1, SettlementType.Rvp, 100m, 20000m);
        ledger.BookTrade(o);
        SettlementInstruction i = Sent(SettlementBooking.Gross(o));

        SettlementInstruction part = Confirm(ledger, i, 40m, 8000m, "M1");
        Assert.Equal((InstructionStatus.PartiallySettled, 60m, 12000m), (part.Status, part.OpenQuantity, part.OpenAmount));
        ledger.Pending(60m, 0m, -12000m);
        ledger.Settled(40m, -8000m);

        // More than is open, or a final part whose cash is not what is open, books nothing.
        Assert.Equal("settlement.over-settled", InstructionLifecycle.Confirm(part, 61m, 12000m, Day).Rejection?.Rule);
        Assert.Equal("settlement.amount-mismatch", InstructionLifecycle.Confirm(part, 60m, 11999.99m, Day).Rejection?.Rule);

        SettlementInstruction rest = Confirm(ledger, part, 60m, 12000m, "M2");
        Assert.Equal(InstructionStatus.Settled, rest.Status);
        ledger.Pending(0m, 0m, 0m);
        ledger.Settled(100m, -20000m);
    }

    [Fact]
    public void A_net_settles_in_two_parts_and_clears_every_members_pending_lines()
    {
        var ledger = new Ledger();
        // Buy 100 for 20,000.00 and sell 60 for 12,060.00: receive 40 and pay 7,940.00.
        SettlementObligation buy = Obligation(1, SettlementType.Rvp, 100m, 20000m), sell = Obligation(2, SettlementType.Dvp, 60m, 12060m);
        ledger.BookTrade(buy);
        ledger.BookTrade(sell);
        SettlementInstruction net = Sent(Assert.Single(SettlementBooking.Instruct(new NetSettlement("CP", Isin, Day, "USD", [buy, sell])).Value));
        Assert.Equal((SettlementType.Rvp, 40m, 7940m, false, 2), (net.Type, net.Quantity, net.Amount, net.ReceivesCash, net.Members.Length));
        Assert.StartsWith("N1-", net.TransactionId, StringComparison.Ordinal);
        Assert.True(net.TransactionId.Length <= 16);

        SettlementInstruction part = Confirm(ledger, net, 10m, 1985m, "M1");
        ledger.Settled(10m, -1985m);
        ledger.Pending(30m, 12060m, -20000m + 1985m);

        SettlementInstruction done = Confirm(ledger, part, 30m, 5955m, "M2");
        Assert.Equal(InstructionStatus.Settled, done.Status);
        ledger.Settled(40m, -7940m);
        ledger.Pending(0m, 0m, 0m);
    }

    [Fact]
    public void A_net_whose_quantities_cancel_out_settles_gross()
    {
        SettlementObligation buy = Obligation(1, SettlementType.Rvp, 50m, 10000m), sell = Obligation(2, SettlementType.Dvp, 50m, 10100m);
        IReadOnlyList<SettlementInstruction> instructions = SettlementBooking.Instruct(new NetSettlement("CP", Isin, Day, "USD", [buy, sell])).Value;
        Assert.Equal(["BO1-1", "BO2-1"], instructions.Select(i => i.TransactionId));
    }

    [Fact]
    public void A_changed_member_changes_the_net_reference()
    {
        InstructionMember[] first = [new(1, 1, SettlementType.Rvp, 100m, 20000m), new(2, 1, SettlementType.Dvp, 60m, 12060m)];
        InstructionMember[] corrected = [first[0], first[1] with { Version = 2 }];
        Assert.NotEqual(SettlementBooking.NetTransactionId(first), SettlementBooking.NetTransactionId(corrected));
        Assert.Equal(SettlementBooking.NetTransactionId(first), SettlementBooking.NetTransactionId([.. first]));
    }

    [Fact]
    public void The_lifecycle_refuses_moves_out_of_final_states_and_back_to_new()
    {
        Assert.True(InstructionLifecycle.Allowed(InstructionStatus.New, InstructionStatus.Sent));
        Assert.True(InstructionLifecycle.Allowed(InstructionStatus.Sent, InstructionStatus.Matched));
        Assert.True(InstructionLifecycle.Allowed(InstructionStatus.Failed, InstructionStatus.Settled));
        Assert.True(InstructionLifecycle.Allowed(InstructionStatus.PartiallySettled, InstructionStatus.Failed));
        Assert.False(InstructionLifecycle.Allowed(InstructionStatus.Settled, InstructionStatus.Cancelled));
        Assert.False(InstructionLifecycle.Allowed(InstructionStatus.Cancelled, InstructionStatus.Sent));
        Assert.False(InstructionLifecycle.Allowed(InstructionStatus.Matched, InstructionStatus.New));
        Assert.False(InstructionLifecycle.Allowed(InstructionStatus.New, InstructionStatus.Settled));
        SettlementInstruction unsent = SettlementBooking.Gross(Obligation(1, SettlementType.Rvp, 1m, 200m));
        Assert.Equal("settlement.not-sent", InstructionLifecycle.Confirm(unsent, 1m, 200m, Day).Rejection?.Rule);
        Assert.Equal(InstructionStatus.PartiallySettled, InstructionLifecycle.Parse("partially-settled"));
    }
}
