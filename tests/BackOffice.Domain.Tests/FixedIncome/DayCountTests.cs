using BackOffice.Domain.FixedIncome;
using BackOffice.Domain.ReferenceData;
using CsCheck;
using NodaTime;

namespace BackOffice.Domain.Tests.FixedIncome;

/// <summary>
/// Day counts against the worked examples of ISDA's "EMU and market conventions: recent
/// developments" (1998, section on ACT/ACT) and the ISDA 2006 definitions, and against QuantLib
/// (QLNet) over random dates.
/// </summary>
public sealed class DayCountTests
{
    private static decimal Fraction(DayCountConvention convention, LocalDate start, LocalDate end, DayCountInputs? inputs = null) =>
        DayCounts.Compute(convention, start, end, inputs).Value.YearFraction;

    /// <summary>The paper prints 14 decimals computed in floating point: agree to within one unit of the last.</summary>
    private static void Published(decimal expected, decimal actual) => Assert.InRange(actual, expected - 0.00000000000001m, expected + 0.00000000000001m);

    [Fact]
    public void Isda_1998_regular_period_2003_11_01_to_2004_05_01()
    {
        var start = new LocalDate(2003, 11, 1);
        var end = new LocalDate(2004, 5, 1);
        Published(0.49772438056740m, Fraction(DayCountConvention.ActActIsda, start, end));
        Assert.Equal(0.5m, Fraction(DayCountConvention.ActActIcma, start, end, new DayCountInputs(start, end, 2)));
        Published(0.49726775956284m, Fraction(DayCountConvention.ActActAfb, start, end));
    }

    [Fact]
    public void Isda_1998_short_first_period_1999_02_01_to_1999_07_01()
    {
        var start = new LocalDate(1999, 2, 1);
        var end = new LocalDate(1999, 7, 1);
        Published(0.41095890410959m, Fraction(DayCountConvention.ActActIsda, start, end));
        Published(0.41095890410959m, Fraction(DayCountConvention.ActActIcma, start, end, new DayCountInputs(new LocalDate(1998, 7, 1), end, 1)));
        Published(0.41095890410959m, Fraction(DayCountConvention.ActActAfb, start, end));
    }

    [Fact]
    public void Isda_1998_long_first_period_1999_08_15_to_2000_07_15_semi_annual()
    {
        var start = new LocalDate(1999, 8, 15);
        var end = new LocalDate(2000, 7, 15);
        Published(0.91634104349128m, Fraction(DayCountConvention.ActActIsda, start, end));
        Published(0.91530054644809m, Fraction(DayCountConvention.ActActAfb, start, end));
        // ICMA counts the long period in its quasi-coupon periods, through the bond's schedule.
        var terms = new BondTerms(1m, 2, "ACT/ACT-ICMA", start, end, new LocalDate(2010, 7, 15), false);
        Published(0.91576086956522m, AccruedInterest.IcmaFraction(start, end, end, 6, terms).Value);
    }

    [Fact]
    public void Thirty_360_variants_differ_exactly_where_their_definitions_say()
    {
        // End of February and the 31st: the cases that tell the conventions apart.
        var feb28 = new LocalDate(2007, 2, 28);
        var aug31 = new LocalDate(2007, 8, 31);
        Assert.Equal(183, DayCounts.Compute(DayCountConvention.Thirty360BondBasis, feb28, aug31).Value.DayCount);
        Assert.Equal(180, DayCounts.Compute(DayCountConvention.Thirty360Us, feb28, aug31).Value.DayCount);
        Assert.Equal(182, DayCounts.Compute(DayCountConvention.Thirty360E, feb28, aug31).Value.DayCount);
        Assert.Equal(180, DayCounts.Compute(DayCountConvention.Thirty360EIsda, feb28, aug31).Value.DayCount);
        // 30E/360 (ISDA): the last day of February stays itself when it is the termination date.
        var start = new LocalDate(2007, 8, 31);
        var end = new LocalDate(2008, 2, 29);
        Assert.Equal(180, DayCounts.Compute(DayCountConvention.Thirty360EIsda, start, end).Value.DayCount);
        Assert.Equal(179, DayCounts.Compute(DayCountConvention.Thirty360EIsda, start, end, new DayCountInputs(TerminationDate: end)).Value.DayCount);
    }

    [Fact]
    public void Nl365_skips_29_february_and_errors_name_the_rule()
    {
        Assert.Equal(365, DayCounts.Compute(DayCountConvention.Nl365, new LocalDate(2023, 6, 1), new LocalDate(2024, 6, 1)).Value.DayCount);
        Assert.Equal("daycount.dates", DayCounts.Compute(DayCountConvention.Act360, new LocalDate(2024, 6, 2), new LocalDate(2024, 6, 1)).Rejection?.Rule);
        Assert.Equal("daycount.reference-period", DayCounts.Compute(DayCountConvention.ActActIcma, new LocalDate(2024, 1, 1), new LocalDate(2024, 6, 1)).Rejection?.Rule);
        Assert.True(DayCounts.TryParse("act/act-icma", out DayCountConvention parsed));
        Assert.Equal(DayCountConvention.ActActIcma, parsed);
    }

    [Fact]
    public void Agree_with_QuantLib_on_random_dates()
    {
        (DayCountConvention Ours, QLNet.DayCounter Theirs)[] pairs =
        [
            (DayCountConvention.Act360, new QLNet.Actual360()),
            (DayCountConvention.Act365F, new QLNet.Actual365Fixed()),
            (DayCountConvention.ActActIsda, new QLNet.ActualActual(QLNet.ActualActual.Convention.ISDA)),
            (DayCountConvention.ActActAfb, new QLNet.ActualActual(QLNet.ActualActual.Convention.AFB)),
            (DayCountConvention.Thirty360BondBasis, new QLNet.Thirty360(QLNet.Thirty360.Thirty360Convention.BondBasis)),
            (DayCountConvention.Thirty360E, new QLNet.Thirty360(QLNet.Thirty360.Thirty360Convention.EurobondBasis)),
        ];
        Gen.Select(Gen.Int[0, 11_000], Gen.Int[0, 3_000]).Sample((offset, length) =>
        {
            LocalDate start = new LocalDate(1995, 1, 1).PlusDays(offset);
            LocalDate end = start.PlusDays(length);
            foreach (var (ours, theirs) in pairs)
            {
                DayCountResult result = DayCounts.Compute(ours, start, end).Value;
                var qlStart = new QLNet.Date(start.Day, (QLNet.Month)start.Month, start.Year);
                var qlEnd = new QLNet.Date(end.Day, (QLNet.Month)end.Month, end.Year);
                Assert.Equal(theirs.dayCount(qlStart, qlEnd), result.DayCount);
                Assert.Equal(theirs.yearFraction(qlStart, qlEnd), (double)result.YearFraction, 12);
            }
        });
    }
}
