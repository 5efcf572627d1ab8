using BackOffice.Domain.Primitives;
using BackOffice.Domain.Trading;
using CsCheck;
using NodaTime;

namespace BackOffice.Domain.Tests.Trading;

public sealed class AllocationRulesTests
{
    private static TradeVersion Fill(string id, decimal quantity, decimal price, string account = "AP-1") => new()
    {
        TradeId = 1,
        Version = 1,
        Action = TradeAction.New,
        Status = TradeStatus.Active,
        Source = "OMS",
        SourceTradeId = id,
        PayloadHash = Sha256Hash.Zero,
        Side = TradeSide.Buy,
        Isin = TradingData.Apple,
        Market = "XNAS",
        Quantity = quantity,
        Price = price,
        Currency = "USD",
        Account = account,
        Counterparty = TradingData.Broker,
        TradeDate = new LocalDate(2026, 11, 25),
        SettlementDate = new LocalDate(2026, 11, 27),
        Gross = Math.Round(quantity * price, 2, MidpointRounding.AwayFromZero),
        Charges = [],
        AccruedInterest = 0m,
        Net = Math.Round(quantity * price, 2, MidpointRounding.AwayFromZero),
        AuditSequence = new AuditSequence(1),
        SourceMessage = "",
    };

    private static AllocationRequest Instruction(params (string Account, decimal Quantity)[] lines) =>
        new("OMS", "A-1", ["F1", "F2"], [.. lines.Select(l => new AllocationLine(l.Account, l.Quantity, null))]);

    [Fact]
    public void Allocations_get_the_average_price_and_their_share_of_the_consideration()
    {
        TradeVersion[] block = [Fill("F1", 600, 100.00m), Fill("F2", 400, 100.07m)];
        IReadOnlyList<TradeRequest> split = AllocationRules.Split(Instruction(("C-1", 700), ("C-2", 300)), block, 2).Value;
        Assert.All(split, r => Assert.Equal(100.028m, r.Price));
        // 30% of 100,028.00 is 30,008.40; the largest allocation takes the rest.
        Assert.Equal(30_008.40m, split[1].AllocatedGross);
        Assert.Equal(70_019.60m, split[0].AllocatedGross);
        Assert.Equal(["A-1/C-1", "A-1/C-2"], split.Select(r => r.SourceTradeId));
    }

    [Fact]
    public void The_rounding_remainder_goes_to_the_largest_allocation_first_among_equals()
    {
        TradeVersion[] block = [Fill("F1", 3, 33.3333333m)];
        IReadOnlyList<TradeRequest> split = AllocationRules.Split(Instruction(("C-1", 1), ("C-2", 1), ("C-3", 1)), block, 2).Value;
        Assert.Equal([100.00m - 66.66m, 33.33m, 33.33m], split.Select(r => r.AllocatedGross!.Value));
    }

    [Fact]
    public void Allocated_considerations_always_add_up_to_the_block()
    {
        Gen.Select(Gen.Int[1, 8].SelectMany(n => Gen.Int[1, 100_000].Array[n]), Gen.Decimal[0.01m, 1000m]).Sample((quantities, rawPrice) =>
        {
            decimal price = Math.Round(rawPrice, 4, MidpointRounding.AwayFromZero);
            decimal total = quantities.Sum(q => (decimal)q);
            TradeVersion[] block = [Fill("F1", total, price)];
            var lines = quantities.Select((q, i) => ("C-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), (decimal)q)).ToArray();
            IReadOnlyList<TradeRequest> split = AllocationRules.Split(Instruction(lines), block, 2).Value;
            Assert.Equal(block[0].Gross, split.Sum(r => r.AllocatedGross!.Value));
            Assert.All(split, r => Assert.True(Math.Abs(r.AllocatedGross!.Value - r.Quantity * price) <= 0.01m * quantities.Length));
        });
    }

    [Fact]
    public void Quantities_must_add_up_and_the_block_must_be_one_order()
    {
        TradeVersion[] block = [Fill("F1", 600, 100m), Fill("F2", 400, 100m)];
        Assert.Equal("allocation.quantity-mismatch", AllocationRules.Split(Instruction(("C-1", 700), ("C-2", 200)), block, 2).Rejection?.Rule);
        Assert.Equal("allocation.account-repeated", AllocationRules.Split(Instruction(("C-1", 500), ("C-1", 500)), block, 2).Rejection?.Rule);
        Assert.Equal("allocation.quantity-not-positive", AllocationRules.Split(Instruction(("C-1", 1000), ("C-2", 0)), block, 2).Rejection?.Rule);
        TradeVersion[] mixed = [Fill("F1", 600, 100m), Fill("F2", 400, 100m, account: "AP-2")];
        Assert.Equal("allocation.block-mixed", AllocationRules.Split(Instruction(("C-1", 1000)), mixed, 2).Rejection?.Rule);
        TradeVersion[] busted = [Fill("F1", 600, 100m) with { Status = TradeStatus.Busted }];
        Assert.Equal("allocation.block-not-active", AllocationRules.Split(Instruction(("C-1", 600)), busted, 2).Rejection?.Rule);
    }
}
