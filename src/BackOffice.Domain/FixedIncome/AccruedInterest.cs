using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using NodaTime;

namespace BackOffice.Domain.FixedIncome;

/// <summary>
/// Accrued interest of a fixed-coupon bond: face × coupon rate × the year fraction from the start
/// of the current coupon period (the dated date in the first period) to the settlement date. The
/// coupon schedule runs from the first coupon date to maturity in steps of 12/frequency months
/// (kept on month ends with the end-of-month rule); a first period from the dated date may be
/// short or long. Under ACT/ACT-ICMA the fraction is counted in quasi-coupon periods (ICMA Rule
/// 251): each part of the accrual in a regular period counts days / (frequency × days of that
/// period). The result is unrounded; bookings round it to the currency.
/// </summary>
public static class AccruedInterest
{
    /// <summary>The accrued interest on <paramref name="face"/> at <paramref name="settlement"/>.</summary>
    public static Result<decimal> Compute(decimal face, BondTerms terms, LocalDate settlement)
    {
        if (!DayCounts.TryParse(terms.DayCount, out DayCountConvention convention))
        {
            return new Rejection("bond.day-count", $"'{terms.DayCount}' is not one of {string.Join(", ", DayCounts.AllNames)}");
        }
        if (terms.Frequency is not (1 or 2 or 4 or 12))
        {
            return new Rejection("bond.frequency", "the coupon frequency must be 1, 2, 4 or 12");
        }
        if (!(terms.DatedDate < terms.FirstCouponDate && terms.FirstCouponDate <= terms.MaturityDate))
        {
            return new Rejection("bond.dates", "dates must run dated date < first coupon date <= maturity date");
        }
        if (settlement < terms.DatedDate || settlement >= terms.MaturityDate)
        {
            return new Rejection("bond.settlement-date", "the settlement date must be on or after the dated date and before maturity");
        }
        int months = 12 / terms.Frequency;
        LocalDate periodStart = terms.DatedDate, periodEnd = terms.FirstCouponDate;
        for (int k = 1; periodEnd <= settlement; k++)
        {
            periodStart = periodEnd;
            periodEnd = Step(terms.FirstCouponDate, k * months, terms.EndOfMonth);
        }
        Result<decimal> fraction = convention == DayCountConvention.ActActIcma
            ? IcmaFraction(periodStart, settlement, periodEnd, months, terms)
            : Fraction(convention, periodStart, settlement, terms.MaturityDate);
        return fraction.Rejection is { } rejection ? rejection : face * terms.CouponRate * fraction.Value;
    }

    /// <summary>
    /// The ICMA year fraction of an accrual from <paramref name="start"/> to <paramref name="end"/>
    /// in the coupon period ending <paramref name="periodEnd"/>: quasi-coupon periods are laid back
    /// from the period's end in regular steps, and each part counts days / (frequency × its period's days).
    /// </summary>
    public static Result<decimal> IcmaFraction(LocalDate start, LocalDate end, LocalDate periodEnd, int months, BondTerms terms)
    {
        decimal fraction = 0m;
        LocalDate quasiEnd = periodEnd;
        for (int k = 1; quasiEnd > start; k++)
        {
            LocalDate quasiStart = Step(periodEnd, -k * months, terms.EndOfMonth);
            LocalDate from = quasiStart > start ? quasiStart : start;
            LocalDate to = quasiEnd < end ? quasiEnd : end;
            if (to > from)
            {
                fraction += Period.DaysBetween(from, to) / (terms.Frequency * (decimal)Period.DaysBetween(quasiStart, quasiEnd));
            }
            quasiEnd = quasiStart;
        }
        return fraction;
    }

    private static Result<decimal> Fraction(DayCountConvention convention, LocalDate start, LocalDate end, LocalDate maturity)
    {
        Result<DayCountResult> result = DayCounts.Compute(convention, start, end, new DayCountInputs(TerminationDate: maturity));
        return result.Rejection is { } rejection ? rejection : result.Value.YearFraction;
    }

    /// <summary><paramref name="anchor"/> moved by whole months; on month ends when the rule applies and the anchor is one.</summary>
    public static LocalDate Step(LocalDate anchor, int months, bool endOfMonth)
    {
        LocalDate moved = anchor.PlusMonths(months);
        if (endOfMonth && anchor.Day == CalendarSystem.Iso.GetDaysInMonth(anchor.Year, anchor.Month))
        {
            moved = new LocalDate(moved.Year, moved.Month, CalendarSystem.Iso.GetDaysInMonth(moved.Year, moved.Month));
        }
        return moved;
    }
}
