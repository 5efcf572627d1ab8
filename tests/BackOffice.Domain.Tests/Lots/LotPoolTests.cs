using BackOffice.Domain.Lots;
using BackOffice.Domain.Primitives;
using CsCheck;
using NodaTime;

namespace BackOffice.Domain.Tests.Lots;

/// <summary>
/// Lot relief worked by hand: three purchases (100 at 10, 100 at 12, 100 at 11) and a sale of 150
/// at 15 (proceeds 2,250) relieve different lots under each method.
/// </summary>
public sealed class LotPoolTests
{
    private static readonly LocalDate Jan = new(2026, 1, 5), Feb = new(2026, 2, 5), Mar = new(2026, 3, 5), Apr = new(2026, 4, 5);

    private static (LotPool Pool, IReadOnlyList<LotRelief> Reliefs) ThreeBuysAndASale(LotMethod method)
    {
        var pool = new LotPool(method);
        Assert.Empty(pool.Buy(1, Jan, 100, 10m).Value);
        Assert.Empty(pool.Buy(2, Feb, 100, 12m).Value);
        Assert.Empty(pool.Buy(3, Mar, 100, 11m).Value);
        return (pool, pool.Sell(4, Apr, 150, 15m).Value);
    }

    [Theory]
    // FIFO: lot 1 whole (1,000) and half of lot 2 (600).
    [InlineData(LotMethod.Fifo, 1600, 650, new long[] { 1, 2 }, new long[] { 2, 3 })]
    // LIFO: lot 3 whole (1,100) and half of lot 2 (600).
    [InlineData(LotMethod.Lifo, 1700, 550, new long[] { 3, 2 }, new long[] { 1, 2 })]
    // HIFO: lot 2 (unit 12) whole, then half of lot 3 (unit 11): 1,200 + 550.
    [InlineData(LotMethod.Hifo, 1750, 500, new long[] { 2, 3 }, new long[] { 1, 3 })]
    // Average: one pool of 300 costing 3,300; half of it relieved.
    [InlineData(LotMethod.Average, 1650, 600, new long[] { 1 }, new long[] { 1 })]
    public void Each_method_relieves_its_lots(LotMethod method, int costBasis, int realized, long[] relievedLots, long[] openLots)
    {
        var (pool, reliefs) = ThreeBuysAndASale(method);
        Assert.Equal(relievedLots, reliefs.Select(r => r.LotId));
        Assert.Equal(150m, reliefs.Sum(r => r.Quantity));
        Assert.Equal(2250m, reliefs.Sum(r => r.Proceeds));
        Assert.Equal(costBasis, reliefs.Sum(r => r.CostBasis));
        Assert.Equal(realized, reliefs.Sum(r => r.Realized));
        Assert.Equal(openLots, pool.Lots.Select(l => l.Id));
        Assert.Equal(150m, pool.Quantity);
        Assert.Equal(3300m - costBasis, pool.TotalCost);
    }

    [Fact]
    public void Specific_lots_are_relieved_in_the_order_named_and_must_cover_the_sale()
    {
        var pool = new LotPool(LotMethod.Specific);
        pool.Buy(1, Jan, 100, 10m);
        pool.Buy(2, Feb, 100, 12m);
        pool.Buy(3, Mar, 100, 11m);
        Assert.Equal("lots.specific-none", pool.Sell(4, Apr, 50, 15m).Rejection?.Rule);
        Assert.Equal("lots.specific-unknown", pool.Sell(4, Apr, 50, 15m, lots: [9]).Rejection?.Rule);
        Assert.Equal("lots.specific-short", pool.Sell(4, Apr, 150, 15m, lots: [3]).Rejection?.Rule);
        Assert.Equal(300m, pool.Quantity); // nothing relieved by the refused sales

        IReadOnlyList<LotRelief> reliefs = pool.Sell(4, Apr, 150, 15m, lots: [3, 1]).Value;
        Assert.Equal([(3L, 100m, 1100m), (1L, 50m, 500m)], reliefs.Select(r => (r.LotId, r.Quantity, r.CostBasis)));
        Assert.Equal([(1L, 50m), (2L, 100m)], pool.Lots.Select(l => (l.Id, l.Quantity)));
    }

    [Theory]
    [InlineData(LotMethod.Fifo)]
    [InlineData(LotMethod.Hifo)]
    public void Lots_named_on_a_trade_override_the_pools_method_and_unnamed_trades_follow_it(LotMethod method)
    {
        var pool = new LotPool(method);
        pool.Buy(1, Jan, 100, 10m);
        pool.Buy(2, Feb, 100, 12m);
        pool.Buy(3, Mar, 100, 11m);
        Assert.Equal([3L], pool.Sell(4, Apr, 50, 15m, lots: [3]).Value.Select(r => r.LotId));
        Assert.Equal(method == LotMethod.Fifo ? [1L] : [2L], pool.Sell(5, Apr, 50, 15m).Value.Select(r => r.LotId));
        Assert.Equal("lots.specific-unknown", pool.Sell(6, Apr, 10, 15m, lots: [4]).Rejection?.Rule);
    }

    [Fact]
    public void A_short_sale_opens_a_short_lot_that_purchases_close()
    {
        var pool = new LotPool(LotMethod.Fifo);
        Assert.Empty(pool.Sell(1, Jan, 100, 20m).Value);
        Lot shortLot = Assert.Single(pool.Lots);
        Assert.Equal((-100m, -2000m, 20m), (shortLot.Quantity, shortLot.TotalCost, shortLot.UnitCost));

        // Covering 60 at 15: the short sale brought 1,200 for them, covering costs 900.
        LotRelief cover = Assert.Single(pool.Buy(2, Feb, 60, 15m).Value);
        Assert.Equal((60m, 1200m, 900m, 300m), (cover.Quantity, cover.Proceeds, cover.CostBasis, cover.Realized));
        Assert.Equal((-40m, -800m), (pool.Quantity, pool.TotalCost));

        // Buying 100 at 18 covers the last 40 (720 against 800) and opens a long lot of 60 (1,080).
        LotRelief last = Assert.Single(pool.Buy(3, Mar, 100, 18m).Value);
        Assert.Equal((40m, 800m, 720m, 80m), (last.Quantity, last.Proceeds, last.CostBasis, last.Realized));
        Lot longLot = Assert.Single(pool.Lots);
        Assert.Equal((3L, 60m, 1080m, Mar), (longLot.Id, longLot.Quantity, longLot.TotalCost, longLot.AcquisitionDate));
    }

    [Fact]
    public void A_sale_beyond_the_holding_closes_it_and_goes_short_with_the_rest()
    {
        var pool = new LotPool(LotMethod.Fifo);
        pool.Buy(1, Jan, 100, 10m, fees: 5m);
        // 150 at 12 less 6 of fees: 1,794, two thirds (1,196) for the 100 held, the rest (598) for the short 50.
        LotRelief relief = Assert.Single(pool.Sell(2, Feb, 150, 12m, fees: 6m).Value);
        Assert.Equal((100m, 1196m, 1005m, 191m), (relief.Quantity, relief.Proceeds, relief.CostBasis, relief.Realized));
        Lot shortLot = Assert.Single(pool.Lots);
        Assert.Equal((-50m, -598m, Feb), (shortLot.Quantity, shortLot.TotalCost, shortLot.AcquisitionDate));
    }

    [Fact]
    public void Splits_restate_quantity_and_unit_cost_and_keep_cost_and_date()
    {
        var pool = new LotPool(LotMethod.Fifo);
        pool.Buy(1, Jan, 100, 50m);
        pool.Buy(2, Feb, 30, 40m);
        pool.Split(SplitRatio.Parse("2:1").Value);
        Assert.Equal([(1L, 200m, 5000m, 25m, Jan), (2L, 60m, 1200m, 20m, Feb)],
            pool.Lots.Select(l => (l.Id, l.Quantity, l.TotalCost, l.UnitCost, l.AcquisitionDate)));

        var average = new LotPool(LotMethod.Average);
        average.Buy(1, Jan, 1000, 1m);
        average.Buy(2, Feb, 1000, 2m);
        average.Split(SplitRatio.Parse("1:10").Value);
        Lot pooled = Assert.Single(average.Lots);
        Assert.Equal((200m, 3000m, 15m, Jan), (pooled.Quantity, pooled.TotalCost, pooled.UnitCost, pooled.AcquisitionDate));
    }

    [Fact]
    public void Partial_reliefs_round_to_cents_and_a_closed_lot_leaves_no_residue()
    {
        var pool = new LotPool(LotMethod.Fifo);
        pool.Buy(1, Jan, 3, 10m, fees: 0.01m); // 30.01 for 3 units
        Assert.Equal(10m, pool.Sell(2, Feb, 1, 11m).Value[0].CostBasis); // 30.01 / 3 = 10.003.. → 10.00
        Assert.Equal(10.01m, pool.Sell(3, Mar, 1, 11m).Value[0].CostBasis); // 20.01 / 2 = 10.005 → 10.01
        Assert.Equal(10m, pool.Sell(4, Apr, 1, 11m).Value[0].CostBasis); // the whole rest
        Assert.Empty(pool.Lots);
    }

    [Theory]
    [InlineData("2:1", 2)]
    [InlineData("1:10", 0.1)]
    [InlineData("3:2", 1.5)]
    public void Split_ratios_read_new_over_old(string text, decimal factor) => Assert.Equal(factor, SplitRatio.Parse(text).Value.Factor);

    [Theory]
    [InlineData("2")]
    [InlineData("0:1")]
    [InlineData("2:-1")]
    [InlineData("a:b")]
    public void Bad_split_ratios_are_refused(string text) => Assert.Equal("lots.split-ratio", SplitRatio.Parse(text).Rejection?.Rule);

    [Fact]
    public void Bad_fills_are_refused_and_change_nothing()
    {
        var pool = new LotPool(LotMethod.Fifo);
        pool.Buy(1, Jan, 10, 10m);
        Assert.Equal("lots.quantity", pool.Sell(2, Feb, 0, 10m).Rejection?.Rule);
        Assert.Equal("lots.price", pool.Buy(2, Feb, 1, -1m).Rejection?.Rule);
        Assert.Equal("lots.fees", pool.Buy(2, Feb, 1, 1m, fees: -1m).Rejection?.Rule);
        Assert.Equal((10m, 100m), (pool.Quantity, pool.TotalCost));
    }

    /// <summary>
    /// Laws over random histories (buys, sells beyond the holding, splits), for every method:
    /// reliefs never exceed what was open on the relieved side; the lots sum to the position;
    /// money is conserved (purchases minus sales equal open cost minus realized); and so realized
    /// plus unrealized at any mark equals market value minus the net amount invested.
    /// </summary>
    [Theory]
    [InlineData(LotMethod.Fifo)]
    [InlineData(LotMethod.Lifo)]
    [InlineData(LotMethod.Hifo)]
    [InlineData(LotMethod.Average)]
    public void Lot_laws_hold_on_random_histories(LotMethod method)
    {
        SplitRatio[] ratios = [new(2, 1), new(3, 1), new(1, 2), new(1, 4), new(3, 2)];
        Gen<(int Kind, int Quantity, int PriceCents, int FeeCents, int Ratio)> step =
            Gen.Select(Gen.Int[0, 20], Gen.Int[1, 500], Gen.Int[1, 50_000], Gen.Int[0, 999], Gen.Int[0, ratios.Length - 1]);
        Gen.Select(step.Array[1, 40], Gen.Int[1, 50_000]).Sample(t =>
        {
            var (steps, markCents) = t;
            var pool = new LotPool(method);
            decimal position = 0m, bought = 0m, sold = 0m, realized = 0m;
            for (int i = 0; i < steps.Length; i++)
            {
                var (kind, quantity, priceCents, feeCents, ratio) = steps[i];
                decimal price = priceCents / 100m, fees = feeCents / 100m;
                if (kind == 0)
                {
                    pool.Split(ratios[ratio]);
                    position = position * ratios[ratio].New / ratios[ratio].Old;
                    continue;
                }
                bool buy = kind % 2 == 1;
                decimal openOpposite = buy ? -Math.Min(pool.Quantity, 0m) : Math.Max(pool.Quantity, 0m);
                IReadOnlyList<LotRelief> reliefs = (buy ? pool.Buy(i, Jan, quantity, price, fees) : pool.Sell(i, Jan, quantity, price, fees)).Value;
                decimal relieved = reliefs.Sum(r => r.Quantity);
                if (relieved > openOpposite || relieved > quantity || reliefs.Any(r => r.Quantity <= 0))
                {
                    return false;
                }
                decimal amount = Math.Round(quantity * price + (buy ? fees : -fees), 2, MidpointRounding.AwayFromZero);
                bought += buy ? amount : 0m;
                sold += buy ? 0m : amount;
                realized += reliefs.Sum(r => r.Realized);
                position += buy ? quantity : -quantity;
                if (pool.Quantity != position || pool.Lots.Any(l => l.Quantity == 0))
                {
                    return false;
                }
            }
            decimal mark = markCents / 100m;
            decimal unrealized = position * mark - pool.TotalCost;
            return bought - sold == pool.TotalCost - realized
                && realized + unrealized == position * mark - (bought - sold);
        }, iter: 2_000);
    }
}
