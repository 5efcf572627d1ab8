using BackOffice.Domain.Documents;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Domain.Tests.Documents;

/// <summary>
/// Form 1099-B rows worked by hand: the short/long-term boundary at exactly one year, a wash sale
/// (a loss sale and a purchase within 30 days: the loss is disallowed and moves into the
/// replacement lot's basis, whose holding period tacks), a loss with no replacement (allowed), a
/// gain (never a wash sale), partial replacement and the window's edges.
/// </summary>
public sealed class WashSaleRuleTests
{
    private const string Account = "C-1001", Apple = "US0378331005";

    private static LotPurchase Buy(long lot, LocalDate on, decimal quantity) => new(Account, Apple, lot, on, quantity);

    private static LotSale Sell(long sale, long lot, LocalDate acquired, LocalDate sold, decimal quantity, decimal proceeds, decimal cost) =>
        new(sale, Account, Apple, lot, acquired, sold, quantity, proceeds, cost);

    [Theory]
    // Bought 2025-03-10: held exactly one year on 2026-03-10 (short term), more than a year from 2026-03-11.
    [InlineData("2025-03-10", "2026-03-10", GainTerm.ShortTerm)]
    [InlineData("2025-03-10", "2026-03-11", GainTerm.LongTerm)]
    [InlineData("2025-03-10", "2025-03-10", GainTerm.ShortTerm)]
    // A leap day's anniversary is 28 February: the 1st of March is more than a year.
    [InlineData("2024-02-29", "2025-02-28", GainTerm.ShortTerm)]
    [InlineData("2024-02-29", "2025-03-01", GainTerm.LongTerm)]
    public void A_lot_held_exactly_one_year_is_short_term_and_a_day_more_is_long_term(string acquired, string sold, GainTerm term)
    {
        LocalDate bought = NodaTime.Text.LocalDatePattern.Iso.Parse(acquired).Value, sale = NodaTime.Text.LocalDatePattern.Iso.Parse(sold).Value;
        Assert.Equal(term, HoldingPeriod.Term(bought, sale));
        GainLine line = Assert.Single(WashSaleRule.Apply([Sell(2, 1, bought, sale, 100, 1200m, 1000m)], [Buy(1, bought, 100)], 2));
        Assert.Equal((term, 200m, 0m), (line.Term, line.Gain, line.WashSaleDisallowed));
    }

    [Fact]
    public void A_loss_sale_with_a_purchase_within_30_days_after_is_a_wash_sale_and_the_replacement_carries_the_loss()
    {
        // Trade 1 buys 100 on 5 Jan for 5,000; trade 2 sells them on 2 Feb for 4,000 (a loss of 1,000);
        // trade 3 buys 100 again on 20 Feb (18 days later) for 4,200; trade 4 sells those on 1 Jun for 4,500.
        LocalDate jan5 = new(2026, 1, 5), feb2 = new(2026, 2, 2), feb20 = new(2026, 2, 20), jun1 = new(2026, 6, 1);
        IReadOnlyList<GainLine> lines = WashSaleRule.Apply(
            [Sell(2, 1, jan5, feb2, 100, 4000m, 5000m), Sell(4, 3, feb20, jun1, 100, 4500m, 4200m)],
            [Buy(1, jan5, 100), Buy(3, feb20, 100)], 2);
        // The whole loss is disallowed: reported gain 0.
        Assert.Equal((4000m, 5000m, 1000m, 0m), (lines[0].Proceeds, lines[0].CostBasis, lines[0].WashSaleDisallowed, lines[0].Gain));
        Assert.Equal([3L], lines[0].ReplacementLots);
        // The replacement's basis is 4,200 + 1,000, and the sold lot's 28 days (5 Jan to 2 Feb) are
        // added to its holding period: it counts from 23 Jan (20 Feb less 28 days).
        Assert.Equal((5200m, 0m, -700m, new LocalDate(2026, 1, 23), GainTerm.ShortTerm),
            (lines[1].CostBasis, lines[1].WashSaleDisallowed, lines[1].Gain, lines[1].Acquired, lines[1].Term));
        // Over both sales the loss is the same 700 (4,000 + 4,500 - 5,000 - 4,200): deferred, not lost.
        Assert.Equal(8500m - 9200m, lines.Sum(l => l.Gain));
    }

    [Fact]
    public void A_purchase_within_30_days_before_the_loss_sale_replaces_it_but_the_lot_sold_does_not()
    {
        // 100 bought 1 Mar (lot 1) and 100 bought 20 Mar (lot 2); FIFO sells lot 1 on 25 Mar at a loss of 300.
        LocalDate mar1 = new(2026, 3, 1), mar20 = new(2026, 3, 20), mar25 = new(2026, 3, 25);
        GainLine line = Assert.Single(WashSaleRule.Apply([Sell(3, 1, mar1, mar25, 100, 700m, 1000m)], [Buy(1, mar1, 100), Buy(2, mar20, 100)], 2));
        Assert.Equal((300m, 0m), (line.WashSaleDisallowed, line.Gain));
        Assert.Equal([2L], line.ReplacementLots);
        // Only the lot sold was bought in the window: the loss stands.
        GainLine alone = Assert.Single(WashSaleRule.Apply([Sell(3, 1, mar20, mar25, 100, 700m, 1000m)], [Buy(1, mar20, 100)], 2));
        Assert.Equal((0m, -300m), (alone.WashSaleDisallowed, alone.Gain));
    }

    [Fact]
    public void A_loss_sale_with_no_replacement_is_allowed()
    {
        LocalDate jan5 = new(2026, 1, 5), feb2 = new(2026, 2, 2);
        // A purchase 31 days after the sale is outside the window.
        GainLine line = Assert.Single(WashSaleRule.Apply([Sell(2, 1, jan5, feb2, 100, 4000m, 5000m)], [Buy(1, jan5, 100), Buy(3, feb2.PlusDays(31), 100)], 2));
        Assert.Equal((5000m, 0m, -1000m, GainTerm.ShortTerm), (line.CostBasis, line.WashSaleDisallowed, line.Gain, line.Term));
        Assert.Empty(line.ReplacementLots);
        // On the 30th day it is inside.
        GainLine washed = Assert.Single(WashSaleRule.Apply([Sell(2, 1, jan5, feb2, 100, 4000m, 5000m)], [Buy(1, jan5, 100), Buy(3, feb2.PlusDays(30), 100)], 2));
        Assert.Equal(1000m, washed.WashSaleDisallowed);
    }

    [Fact]
    public void A_gain_is_never_a_wash_sale()
    {
        LocalDate jan5 = new(2026, 1, 5), feb2 = new(2026, 2, 2);
        GainLine line = Assert.Single(WashSaleRule.Apply([Sell(2, 1, jan5, feb2, 100, 6000m, 5000m)], [Buy(1, jan5, 100), Buy(3, feb2.PlusDays(1), 100)], 2));
        Assert.Equal((0m, 1000m, jan5), (line.WashSaleDisallowed, line.Gain, line.Acquired));
    }

    [Fact]
    public void A_partial_replacement_disallows_only_its_share_of_the_loss()
    {
        // 100 sold at a loss of 1,000.01; 30 units bought back: 30% of the loss (300.003) is disallowed, rounded to 300.00.
        LocalDate jan5 = new(2026, 1, 5), feb2 = new(2026, 2, 2);
        IReadOnlyList<GainLine> lines = WashSaleRule.Apply(
            [Sell(2, 1, jan5, feb2, 100, 3999.99m, 5000m), Sell(4, 3, feb2.PlusDays(5), feb2.PlusDays(100), 10, 500m, 400m)],
            [Buy(1, jan5, 100), Buy(3, feb2.PlusDays(5), 30)], 2);
        Assert.Equal((300.00m, -700.01m), (lines[0].WashSaleDisallowed, lines[0].Gain));
        // A third of the replacement lot is sold: it takes a third of the added 300.00.
        Assert.Equal((500m, 0m, 0m), (lines[1].CostBasis, lines[1].WashSaleDisallowed, lines[1].Gain));
    }

    [Fact]
    public void Capacity_follows_the_holder_and_a_bust_gets_a_cancellation()
    {
        var client = new ClientAccount("C-1001", "Client", "L", "USD", "NYC", ClientAccountStatus.Open, new LocalDate(2024, 1, 1));
        Assert.Equal(TradeCapacity.Agent, ConfirmationRules.Capacity(client));
        Assert.Equal(TradeCapacity.Principal, ConfirmationRules.Capacity(ClientAccount.ForBook(new Book("PROP-EQ", "Prop", BookType.Proprietary, "USD"))));
        Assert.Equal("confirm-2026-11-25-7.pdf", DocumentNames.Confirmation(new LocalDate(2026, 11, 25), 7, 1));
        Assert.Equal("confirm-2026-11-25-7-v2.pdf", DocumentNames.Confirmation(new LocalDate(2026, 11, 25), 7, 2));
        Assert.Equal("statement-C_1_-2026-11.pdf", DocumentNames.Statement("C/1 ", new YearMonth(2026, 11)));
    }
}
