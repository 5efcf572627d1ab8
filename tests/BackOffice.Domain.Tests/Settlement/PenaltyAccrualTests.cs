using BackOffice.Domain.Primitives;
using BackOffice.Domain.Settlement;
using NodaTime;

namespace BackOffice.Domain.Tests.Settlement;

/// <summary>
/// Daily CSDR penalties on our instructions, worked by hand in the manner of ESMA's examples:
/// failing quantity × reference price × the category's rate (liquid shares 1 basis point), or ×
/// the central bank rate / 365 for a lack of cash, rounded to the cent.
/// </summary>
public sealed class PenaltyAccrualTests
{
    private const string EuroclearFrance = "SICVFRPP";

    // Monday 23 November 2026.
    private static readonly LocalDate Isd = new(2026, 11, 23);

    private static SettlementInstruction Instruction(SettlementType type, decimal quantity = 100m, decimal amount = 2500m, string place = EuroclearFrance,
        LocalDate? isd = null, InstructionStatus status = InstructionStatus.Failed, decimal settledQuantity = 0m, bool nominal = false) =>
        FailsTests.Instruction("BO1-1", type, isd ?? Isd, quantity, amount, place, status: status, settledQuantity: settledQuantity,
            settledAmount: quantity == 0m ? 0m : amount * settledQuantity / quantity, nominal: nominal);

    private static AccruedPenalty? Accrue(SettlementInstruction instruction, LocalDate day, string? reason, decimal price = 25.00m, decimal? cashRate = null,
        PenaltyAssetClass category = PenaltyAssetClass.ShareLiquid)
    {
        Result<AccruedPenalty?> result = PenaltyAccrual.ForDay(instruction, day, reason, category, price, cashRate, 2);
        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        return result.Value;
    }

    [Fact]
    public void Our_lack_of_securities_costs_us_one_basis_point_of_the_reference_value_of_a_liquid_share()
    {
        // 100 shares × 25.00 × 0.0001 = 0.25 EUR a day.
        AccruedPenalty penalty = Accrue(Instruction(SettlementType.Dvp), Isd, "LACK")!;
        Assert.Equal(new AccruedPenalty("BO1-1", Isd, FailType.LackOfSecurities, PenaltySide.Pay, PenaltyAssetClass.ShareLiquid, 100m, 25.00m, 0.25m, "EUR"),
            penalty);
        Assert.Equal(-0.25m, penalty.SignedAmount);
    }

    [Fact]
    public void After_a_partial_settlement_the_next_day_is_penalised_on_what_is_still_open()
    {
        // 40 of 100 settle on the 23rd; on the 24th 60 fail: 60 × 25.00 × 0.0001 = 0.15.
        SettlementInstruction partial = Instruction(SettlementType.Dvp, status: InstructionStatus.PartiallySettled, settledQuantity: 40m);
        AccruedPenalty penalty = Accrue(partial, Isd.PlusDays(1), "LACK")!;
        Assert.Equal((60m, 0.15m), (penalty.FailingQuantity, penalty.Amount));
    }

    [Fact]
    public void A_bond_fails_on_its_nominal_at_the_price_per_hundred()
    {
        // 1,000,000 nominal at 98.40: 984,000 × 0.20 basis points = 19.68.
        SettlementInstruction bond = Instruction(SettlementType.Dvp, 1_000_000m, 984_000m, nominal: true);
        Assert.Equal(19.68m, Accrue(bond, Isd, "LACK", 98.40m, category: PenaltyAssetClass.OtherDebt)!.Amount);
    }

    [Fact]
    public void Our_lack_of_cash_costs_the_central_bank_rate_over_365_on_the_reference_value()
    {
        // 400 shares at 25.00 = 10,000 EUR; 10,000 × 0.04 / 365 = 1.0958904... = 1.10.
        SettlementInstruction purchase = Instruction(SettlementType.Rvp, 400m, 10_000m);
        AccruedPenalty penalty = Accrue(purchase, Isd, "MONY", cashRate: 0.04m)!;
        Assert.Equal((FailType.LackOfCash, PenaltySide.Pay, 1.10m), (penalty.Type, penalty.Side, penalty.Amount));

        Result<AccruedPenalty?> noRate = PenaltyAccrual.ForDay(purchase, Isd, "MONY", PenaltyAssetClass.ShareLiquid, 25.00m, null, 2);
        Assert.Equal("penalty.cash-rate", noRate.Rejection?.Rule);
    }

    [Fact]
    public void The_counterpartys_lack_is_credited_to_us()
    {
        AccruedPenalty securities = Accrue(Instruction(SettlementType.Rvp), Isd, "CLAC")!;
        Assert.Equal((FailType.LackOfSecurities, PenaltySide.Receive, 0.25m, 0.25m), (securities.Type, securities.Side, securities.Amount, securities.SignedAmount));
        AccruedPenalty cash = Accrue(Instruction(SettlementType.Dvp, 400m, 10_000m), Isd, "CMON", cashRate: 0.04m)!;
        Assert.Equal((FailType.LackOfCash, PenaltySide.Receive, 1.10m), (cash.Type, cash.Side, cash.Amount));
    }

    [Theory]
    [InlineData(SettlementType.Dvp, "LACK", FailType.LackOfSecurities, PenaltySide.Pay)]
    [InlineData(SettlementType.Dfp, "lack ", FailType.LackOfSecurities, PenaltySide.Pay)]
    [InlineData(SettlementType.Dvp, "LALO", FailType.LackOfSecurities, PenaltySide.Pay)]
    [InlineData(SettlementType.Dvp, "COLL", FailType.LackOfSecurities, PenaltySide.Pay)]
    [InlineData(SettlementType.Dvp, "SBLO", FailType.LackOfSecurities, PenaltySide.Pay)]
    [InlineData(SettlementType.Dvp, "FLIM", FailType.LackOfSecurities, PenaltySide.Pay)]
    [InlineData(SettlementType.Rvp, "MONY", FailType.LackOfCash, PenaltySide.Pay)]
    [InlineData(SettlementType.Rvp, "YCOL", FailType.LackOfCash, PenaltySide.Pay)]
    [InlineData(SettlementType.Rvp, "CLAC", FailType.LackOfSecurities, PenaltySide.Receive)]
    [InlineData(SettlementType.Rfp, "CLAC", FailType.LackOfSecurities, PenaltySide.Receive)]
    [InlineData(SettlementType.Dvp, "CMON", FailType.LackOfCash, PenaltySide.Receive)]
    public void A_reason_code_names_the_cause_and_the_side(SettlementType type, string code, FailType cause, PenaltySide side) =>
        Assert.Equal((cause, side), PenaltyAccrual.Cause(Instruction(type), code));

    [Theory]
    // No cause known, or none given.
    [InlineData(SettlementType.Dvp, null)]
    [InlineData(SettlementType.Dvp, "CYCL")]
    [InlineData(SettlementType.Rvp, "AWSH")]
    [InlineData(SettlementType.Dvp, "BOTH")]
    // A cause that does not fit the direction: we cannot lack securities we receive, nor cash we receive.
    [InlineData(SettlementType.Rvp, "LACK")]
    [InlineData(SettlementType.Dvp, "CLAC")]
    [InlineData(SettlementType.Dvp, "MONY")]
    [InlineData(SettlementType.Rvp, "CMON")]
    [InlineData(SettlementType.Dfp, "CMON")]
    [InlineData(SettlementType.Rfp, "MONY")]
    public void An_unknown_or_misdirected_reason_is_unexplained(SettlementType type, string? code)
    {
        Assert.Null(PenaltyAccrual.Cause(Instruction(type), code));
        Assert.Null(Accrue(Instruction(type), Isd, code, cashRate: 0.04m));
    }

    [Fact]
    public void Nothing_accrues_on_a_TARGET2_closing_day_or_a_weekend()
    {
        // Intended for Wednesday 23 December 2026: Christmas Day is closed, the 26th a Saturday.
        SettlementInstruction fail = Instruction(SettlementType.Dvp, isd: new LocalDate(2026, 12, 23));
        Assert.Null(Accrue(fail, new LocalDate(2026, 12, 25), "LACK"));
        Assert.Null(Accrue(fail, new LocalDate(2026, 12, 26), "LACK"));
        Assert.Equal(0.25m, Accrue(fail, new LocalDate(2026, 12, 28), "LACK")!.Amount);
    }

    [Fact]
    public void Nothing_accrues_outside_an_EU_CSD_before_the_intended_date_or_once_nothing_is_open()
    {
        Assert.Null(Accrue(Instruction(SettlementType.Dvp, place: "DTCYUS33"), Isd, "LACK"));
        Assert.Null(Accrue(Instruction(SettlementType.Dvp, place: "CRSTGB22"), Isd, "LACK"));
        Assert.Null(Accrue(Instruction(SettlementType.Dvp), Isd.PlusDays(-1), "LACK"));
        Assert.Null(Accrue(Instruction(SettlementType.Dvp, status: InstructionStatus.Settled, settledQuantity: 100m), Isd, "LACK"));
        Assert.Null(Accrue(Instruction(SettlementType.Dvp, status: InstructionStatus.Cancelled), Isd, "LACK"));
        // At Euroclear Bank or Clearstream Banking it does.
        Assert.NotNull(Accrue(Instruction(SettlementType.Dvp, place: "MGTCBEBEXXX"), Isd, "LACK"));
        Assert.NotNull(Accrue(Instruction(SettlementType.Dvp, place: "CEDELULLXXX"), Isd, "LACK"));
    }

    [Fact]
    public void A_reference_price_that_is_not_positive_is_rejected()
    {
        Result<AccruedPenalty?> result = PenaltyAccrual.ForDay(Instruction(SettlementType.Dvp), Isd, "LACK", PenaltyAssetClass.ShareLiquid, 0m, null, 2);
        Assert.Equal("penalty.reference-price", result.Rejection?.Rule);
    }

    [Fact]
    public void Late_matching_is_penalised_on_the_TARGET2_days_from_the_intended_date_to_the_day_before_matching()
    {
        // Intended for Wednesday 23 December 2026, matched Tuesday the 29th: the 23rd, 24th and 28th.
        SettlementInstruction late = Instruction(SettlementType.Rvp, isd: new LocalDate(2026, 12, 23));
        Assert.Equal([new LocalDate(2026, 12, 23), new LocalDate(2026, 12, 24), new LocalDate(2026, 12, 28)],
            PenaltyAccrual.LateMatchingDays(late, new LocalDate(2026, 12, 29)));
        // Intended for Wednesday 30 December, matched Tuesday 5 January: 1 January is closed.
        SettlementInstruction yearEnd = Instruction(SettlementType.Rvp, isd: new LocalDate(2026, 12, 30));
        Assert.Equal([new LocalDate(2026, 12, 30), new LocalDate(2026, 12, 31), new LocalDate(2027, 1, 4)],
            PenaltyAccrual.LateMatchingDays(yearEnd, new LocalDate(2027, 1, 5)));
        // Matched on or before the intended date, or outside the EU: none.
        Assert.Empty(PenaltyAccrual.LateMatchingDays(late, new LocalDate(2026, 12, 23)));
        Assert.Empty(PenaltyAccrual.LateMatchingDays(late, new LocalDate(2026, 12, 21)));
        Assert.Empty(PenaltyAccrual.LateMatchingDays(Instruction(SettlementType.Rvp, place: "DTCYUS33"), Isd.PlusDays(3)));
    }

    [Fact]
    public void Comparing_with_the_CSD_finds_the_differing_day_and_the_day_only_the_CSD_reports()
    {
        AccruedPenalty Ours(string tx, int day, PenaltySide side, decimal amount) =>
            new(tx, Isd.PlusDays(day), FailType.LackOfSecurities, side, PenaltyAssetClass.ShareLiquid, 100m, 25m, amount, "EUR");
        AccruedPenalty[] ours =
        [
            Ours("BO1-1", 0, PenaltySide.Pay, 0.25m),
            Ours("BO1-1", 1, PenaltySide.Pay, 0.25m),
            Ours("BO1-1", 2, PenaltySide.Pay, 0.25m),
            Ours("BO2-1", 0, PenaltySide.Receive, 0.40m),
        ];
        (string, LocalDate, decimal, string)[] csd =
        [
            ("BO2-1", Isd, 0.40m, "EUR"),
            ("BO1-1", Isd.PlusDays(3), -0.25m, "EUR"),
            ("BO1-1", Isd.PlusDays(2), -0.25m, "EUR"),
            ("BO1-1", Isd.PlusDays(1), -0.30m, "EUR"),
            ("BO1-1", Isd, -0.25m, "EUR"),
        ];
        Assert.Equal(
            [new PenaltyBreak("BO1-1", Isd.PlusDays(1), -0.25m, -0.30m, "EUR"), new PenaltyBreak("BO1-1", Isd.PlusDays(3), 0m, -0.25m, "EUR")],
            PenaltyAccrual.Compare(ours, csd));
    }

    [Fact]
    public void The_same_amount_the_other_way_round_is_a_break()
    {
        AccruedPenalty ours = new("BO1-1", Isd, FailType.LackOfSecurities, PenaltySide.Receive, PenaltyAssetClass.ShareLiquid, 100m, 25m, 0.25m, "EUR");
        Assert.Equal([new PenaltyBreak("BO1-1", Isd, 0.25m, -0.25m, "EUR")], PenaltyAccrual.Compare([ours], [("BO1-1", Isd, -0.25m, "EUR")]));
        Assert.Empty(PenaltyAccrual.Compare([ours], [("BO1-1", Isd, 0.25m, "EUR")]));
    }
}
