using System.Globalization;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Settlement;
using CsCheck;
using NodaTime;

namespace BackOffice.Domain.Tests.Settlement;

/// <summary>
/// CSDR penalty rates loaded as reference data: with the Annex, a loaded amendment applies from
/// its date on and the Annex before it, a loaded row for the Annex's date replaces the Annex's
/// rate, and the rules a loaded row is held to.
/// </summary>
public sealed class PenaltyRatesTests
{
    private static readonly LocalDate Amended = new(2026, 6, 1);

    private static readonly KnownReference s_known = new(
        new HashSet<string>(["EUR"], StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal),
        new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal), new Dictionary<string, int>(StringComparer.Ordinal));

    private static Result<decimal> Penalty(PenaltyAssetClass category, QuantityKind kind, decimal quantity, decimal price, LocalDate day,
        IReadOnlyList<PenaltyRate>? rates) =>
        CsdrPenalties.Daily(new PenaltyDay(FailType.LackOfSecurities, category, kind, quantity, "EUR", day, price, null), 2, rates);

    [Fact]
    public void Nothing_loaded_leaves_the_Annex()
    {
        Assert.Equal(CsdrPenalties.Annex, CsdrPenalties.WithAnnex([]));
    }

    [Fact]
    public void A_loaded_amendment_applies_from_its_date_on_and_the_Annex_before_it()
    {
        IReadOnlyList<PenaltyRate> rates = CsdrPenalties.WithAnnex([new PenaltyRate(PenaltyAssetClass.ShareLiquid, Amended, 0.00012m)]);
        Assert.Equal(8, rates.Count);

        // 1,000 liquid shares at 25.50: 25,500 × 1.0 bp = 2.55 under the Annex, × 1.2 bp = 3.06 from the amendment.
        Assert.Equal(2.55m, Penalty(PenaltyAssetClass.ShareLiquid, QuantityKind.Units, 1000m, 25.50m, new LocalDate(2026, 5, 29), rates).Value);
        Assert.Equal(3.06m, Penalty(PenaltyAssetClass.ShareLiquid, QuantityKind.Units, 1000m, 25.50m, Amended, rates).Value);
        Assert.Equal(3.06m, Penalty(PenaltyAssetClass.ShareLiquid, QuantityKind.Units, 1000m, 25.50m, new LocalDate(2026, 11, 25), rates).Value);
        Assert.Equal(2.55m, Penalty(PenaltyAssetClass.ShareLiquid, QuantityKind.Units, 1000m, 25.50m, CsdrPenalties.RegimeStart, rates).Value);

        // The other categories keep the Annex's rate: 10,000 illiquid shares at 3.47 at 0.5 bp.
        Assert.Equal(1.74m, Penalty(PenaltyAssetClass.ShareIlliquid, QuantityKind.Units, 10000m, 3.47m, new LocalDate(2026, 11, 25), rates).Value);
    }

    [Fact]
    public void A_loaded_row_for_the_Annexs_date_replaces_the_Annexs_rate()
    {
        IReadOnlyList<PenaltyRate> rates = CsdrPenalties.WithAnnex([new PenaltyRate(PenaltyAssetClass.SovereignDebt, CsdrPenalties.RegimeStart, 0.00002m)]);
        Assert.Equal(7, rates.Count);
        Assert.Equal(new PenaltyRate(PenaltyAssetClass.SovereignDebt, CsdrPenalties.RegimeStart, 0.00002m),
            Assert.Single(rates, r => r.AssetClass == PenaltyAssetClass.SovereignDebt));

        // 5,000,000 nominal of a government bond at 101.25: 5,062,500 × 0.20 bp = 101.25 (the Annex's 0.10 bp gives 50.63).
        var day = new LocalDate(2026, 11, 25);
        Assert.Equal(101.25m, Penalty(PenaltyAssetClass.SovereignDebt, QuantityKind.Nominal, 5_000_000m, 101.25m, day, rates).Value);
        Assert.Equal(50.63m, Penalty(PenaltyAssetClass.SovereignDebt, QuantityKind.Nominal, 5_000_000m, 101.25m, day, null).Value);
    }

    [Fact]
    public void The_rows_come_by_category_then_date_whatever_the_order_loaded()
    {
        PenaltyRate[] loaded =
        [
            new(PenaltyAssetClass.Other, new LocalDate(2027, 1, 4), 0.00006m),
            new(PenaltyAssetClass.ShareLiquid, new LocalDate(2027, 1, 4), 0.00013m),
            new(PenaltyAssetClass.ShareLiquid, Amended, 0.00012m),
        ];
        IReadOnlyList<PenaltyRate> rates = CsdrPenalties.WithAnnex(loaded);
        Assert.Equal(rates.OrderBy(r => r.AssetClass).ThenBy(r => r.EffectiveFrom), rates);
        Assert.Equal([0.0001m, 0.00012m, 0.00013m], rates.Where(r => r.AssetClass == PenaltyAssetClass.ShareLiquid).Select(r => r.Rate));
    }

    [Fact]
    public void The_rate_in_force_is_the_latest_loaded_on_or_before_the_day_else_the_Annexs()
    {
        Gen<PenaltyRate> row = Gen.Select(Gen.Int[1, 7], Gen.Int[0, 60], Gen.Int[0, 99]).Select((category, offset, bp) =>
            new PenaltyRate((PenaltyAssetClass)category, CsdrPenalties.RegimeStart.PlusDays(offset), bp / 100_000m));
        Gen.Select(row.Array[0, 10], Gen.Int[1, 7], Gen.Int[0, 70]).Sample((rows, category, dayOffset) =>
        {
            PenaltyRate[] loaded = [.. rows.DistinctBy(r => (r.AssetClass, r.EffectiveFrom))];
            LocalDate day = CsdrPenalties.RegimeStart.PlusDays(dayOffset);
            while (!CsdrPenalties.IsPenaltyDay(day))
            {
                day = day.PlusDays(1);
            }
            var assetClass = (PenaltyAssetClass)category;
            decimal expected = loaded.Where(r => r.AssetClass == assetClass && r.EffectiveFrom <= day).MaxBy(r => r.EffectiveFrom)?.Rate
                ?? CsdrPenalties.Annex.Single(r => r.AssetClass == assetClass).Rate;
            // A reference value of 1 and ten decimal places: the penalty is the rate itself.
            Result<decimal> penalty = CsdrPenalties.Daily(new PenaltyDay(FailType.LateMatching, assetClass, QuantityKind.Units, 1m, "EUR", day, 1m, null), 10,
                CsdrPenalties.WithAnnex(loaded));
            Assert.Equal(expected, penalty.Value);
        });
    }

    [Fact]
    public void Valid_penalty_rates_pass_and_count()
    {
        var changes = new ReferenceChanges
        {
            PenaltyRates =
            [
                new(PenaltyAssetClass.ShareLiquid, CsdrPenalties.RegimeStart, 0m),
                new(PenaltyAssetClass.ShareLiquid, Amended, 0.0099m),
                new(PenaltyAssetClass.SmeDebt, Amended, 0.000015m),
            ],
        };
        Assert.Null(ReferenceRules.Validate(changes, s_known));
        Assert.Equal(3, changes.Count);
    }

    [Theory]
    [InlineData(4, "2022-01-31", "0.00001", "penalty-rate.date", "effective_from 2022-01-31 is before the penalty regime applied (2022-02-01)")]
    [InlineData(1, "2026-06-01", "0.01", "penalty-rate.rate", "rate is a fraction a day from 0 to below 0.01 (0.0001 is 1 basis point), not 0.01")]
    [InlineData(1, "2026-06-01", "-0.00001", "penalty-rate.rate", "not -0.00001")]
    [InlineData(0, "2026-06-01", "0.0001", "penalty-rate.category", "category 0 is not a CSDR penalty category")]
    [InlineData(3, "2026-06-01", "0.00002", "reference.duplicate", "'SME_NON_DEBT 2026-06-01' appears more than once in the change")]
    public void A_penalty_rate_is_checked_row_by_row(int category, string date, string rate, string rule, string says)
    {
        var bad = new PenaltyRate((PenaltyAssetClass)category, NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value,
            decimal.Parse(rate, CultureInfo.InvariantCulture));
        var changes = new ReferenceChanges { PenaltyRates = [new PenaltyRate(PenaltyAssetClass.SmeNonDebt, Amended, 0.00003m), bad] };
        Rejection? rejection = ReferenceRules.Validate(changes, s_known, ["p.csv:2", "p.csv:3"]);
        Assert.NotNull(rejection);
        Assert.Equal(rule, rejection.Rule);
        Assert.Equal("p.csv:3", rejection.Location);
        Assert.EndsWith(says, rejection.Message, StringComparison.Ordinal);
    }
}
