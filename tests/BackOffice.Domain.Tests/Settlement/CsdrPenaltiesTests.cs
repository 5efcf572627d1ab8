using BackOffice.Domain.Primitives;
using BackOffice.Domain.Settlement;
using NodaTime;

namespace BackOffice.Domain.Tests.Settlement;

/// <summary>
/// CSDR cash penalties, hand-computed: reference value (quantity × reference price, per 100 of a
/// nominal) × the Annex rate of the category, or × the central bank rate / 365 for a lack of cash,
/// rounded once to the cent, half away from zero.
/// </summary>
public sealed class CsdrPenaltiesTests
{
    private static readonly LocalDate Day = new(2026, 11, 25);

    private static decimal Penalty(FailType type, PenaltyAssetClass assetClass, QuantityKind kind, decimal quantity, decimal price, decimal? cashRate = null) =>
        CsdrPenalties.Daily(new PenaltyDay(type, assetClass, kind, quantity, "EUR", Day, price, cashRate), 2).Value;

    [Theory]
    // 1,000 liquid shares at 25.50: 25,500 × 1.0 bp = 2.55.
    [InlineData(PenaltyAssetClass.ShareLiquid, QuantityKind.Units, "1000", "25.50", "2.55")]
    // 10,000 illiquid shares at 3.47: 34,700 × 0.5 bp = 1.735, rounded half away from zero.
    [InlineData(PenaltyAssetClass.ShareIlliquid, QuantityKind.Units, "10000", "3.47", "1.74")]
    // 20,000 SME growth-market shares at 2.10: 42,000 × 0.25 bp = 1.05.
    [InlineData(PenaltyAssetClass.SmeNonDebt, QuantityKind.Units, "20000", "2.10", "1.05")]
    // 5,000,000 nominal of a government bond at 101.25: 5,062,500 × 0.10 bp = 50.625.
    [InlineData(PenaltyAssetClass.SovereignDebt, QuantityKind.Nominal, "5000000", "101.25", "50.63")]
    // 1,000,000 nominal of a corporate bond at 98.40: 984,000 × 0.20 bp = 19.68.
    [InlineData(PenaltyAssetClass.OtherDebt, QuantityKind.Nominal, "1000000", "98.40", "19.68")]
    // 2,000,000 nominal of an SME growth-market bond at par: 2,000,000 × 0.15 bp = 30.00.
    [InlineData(PenaltyAssetClass.SmeDebt, QuantityKind.Nominal, "2000000", "100", "30.00")]
    // 500 units of an ETF at 80: 40,000 × 0.5 bp = 2.00.
    [InlineData(PenaltyAssetClass.Other, QuantityKind.Units, "500", "80", "2.00")]
    public void A_lack_of_securities_costs_the_reference_value_times_the_rate_of_its_category(PenaltyAssetClass assetClass, QuantityKind kind, string quantity,
        string price, string expected)
    {
        decimal penalty = Penalty(FailType.LackOfSecurities, assetClass, kind, decimal.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture),
            decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), penalty);
        // A late matching is charged at the same rate.
        Assert.Equal(penalty, Penalty(FailType.LateMatching, assetClass, kind, decimal.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture),
            decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_lack_of_cash_costs_the_central_bank_rate_over_365_floored_at_zero()
    {
        // 25,500 × 4% / 365 = 2.7945...
        Assert.Equal(2.79m, Penalty(FailType.LackOfCash, PenaltyAssetClass.ShareLiquid, QuantityKind.Units, 1000m, 25.50m, 0.04m));
        Assert.Equal(0.00m, Penalty(FailType.LackOfCash, PenaltyAssetClass.ShareLiquid, QuantityKind.Units, 1000m, 25.50m, -0.005m));
        Result<decimal> noRate = CsdrPenalties.Daily(new PenaltyDay(FailType.LackOfCash, PenaltyAssetClass.ShareLiquid, QuantityKind.Units, 1000m, "EUR", Day, 25.5m, null), 2);
        Assert.Equal("penalty.cash-rate", noRate.Rejection?.Rule);
    }

    [Fact]
    public void A_fail_across_the_Christmas_closing_of_TARGET2_is_penalised_on_business_days_only()
    {
        // Intended for Wednesday 23 December 2026, settled Tuesday 29th: the 25th is a TARGET2
        // closing day and the 26th and 27th a weekend, so three days: 23rd, 24th and 28th.
        IReadOnlyList<LocalDate> days = CsdrPenalties.PenaltyDays(new LocalDate(2026, 12, 23), new LocalDate(2026, 12, 29), settled: true);
        Assert.Equal([new LocalDate(2026, 12, 23), new LocalDate(2026, 12, 24), new LocalDate(2026, 12, 28)], days);
        Result<decimal> holiday = CsdrPenalties.Daily(new PenaltyDay(FailType.LackOfSecurities, PenaltyAssetClass.ShareLiquid, QuantityKind.Units, 1000m, "EUR",
            new LocalDate(2026, 12, 25), 25.5m, null), 2);
        Assert.Equal("penalty.date", holiday.Rejection?.Rule);
        // Still failing on the 28th: the 28th counts.
        Assert.Equal(3, CsdrPenalties.PenaltyDays(new LocalDate(2026, 12, 23), new LocalDate(2026, 12, 28), settled: false).Count);
    }

    [Fact]
    public void After_a_partial_settlement_only_the_quantity_still_failing_is_penalised()
    {
        // 1,000 shares fail on the 24th; 600 settle on the 25th, 400 fail until the 27th: 2.55 + 1.02 + 1.02.
        decimal[] days =
        [
            Penalty(FailType.LackOfSecurities, PenaltyAssetClass.ShareLiquid, QuantityKind.Units, 1000m, 25.50m),
            Penalty(FailType.LackOfSecurities, PenaltyAssetClass.ShareLiquid, QuantityKind.Units, 400m, 25.50m),
            Penalty(FailType.LackOfSecurities, PenaltyAssetClass.ShareLiquid, QuantityKind.Units, 400m, 25.50m),
        ];
        Assert.Equal(4.59m, days.Sum());
    }

    [Fact]
    public void Rates_are_dated_and_an_amendment_applies_from_its_date()
    {
        PenaltyRate[] amended = [.. CsdrPenalties.Annex, new(PenaltyAssetClass.ShareLiquid, new LocalDate(2026, 11, 25), 0.0002m)];
        var before = new PenaltyDay(FailType.LackOfSecurities, PenaltyAssetClass.ShareLiquid, QuantityKind.Units, 1000m, "EUR", new LocalDate(2026, 11, 24), 25.5m, null);
        Assert.Equal(2.55m, CsdrPenalties.Daily(before, 2, amended).Value);
        Assert.Equal(5.10m, CsdrPenalties.Daily(before with { PenaltyDate = Day }, 2, amended).Value);
        Assert.Equal("penalty.date", CsdrPenalties.Daily(before with { PenaltyDate = new LocalDate(2022, 1, 31) }, 2).Rejection?.Rule);
    }
}
