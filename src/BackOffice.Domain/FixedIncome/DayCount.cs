using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.FixedIncome;

/// <summary>The day-count conventions BackOffice computes (docs/reference/daycounts.md gives each formula and its source).</summary>
public enum DayCountConvention
{
    /// <summary>Actual days / 360 (ISDA 2006 4.16(e)).</summary>
    Act360 = 1,

    /// <summary>Actual days / 365 (ISDA 2006 4.16(d), "Actual/365 (Fixed)").</summary>
    Act365F = 2,

    /// <summary>Days in leap years / 366 + days in other years / 365 (ISDA 2006 4.16(b)).</summary>
    ActActIsda = 3,

    /// <summary>Days / (frequency × days in the reference period) (ICMA Rule 251; ISDA 2006 4.16(c)).</summary>
    ActActIcma = 4,

    /// <summary>Whole years counted back from the end, then days / 366 if a 29 February falls in the rest, else 365 (AFB/FBF).</summary>
    ActActAfb = 5,

    /// <summary>30/360 with the SIA end-of-February rules (the US bond market's "30/360").</summary>
    Thirty360Us = 6,

    /// <summary>30/360, 360/360, Bond Basis (ISDA 2006 4.16(f)).</summary>
    Thirty360BondBasis = 7,

    /// <summary>30E/360, Eurobond Basis (ISDA 2006 4.16(g)).</summary>
    Thirty360E = 8,

    /// <summary>30E/360 (ISDA) (ISDA 2006 4.16(h)): the last day of February counts as 30 except at the termination date.</summary>
    Thirty360EIsda = 9,

    /// <summary>Actual days less any 29 February / 365 ("No Leap / 365").</summary>
    Nl365 = 10,
}

/// <summary>A day count and year fraction.</summary>
public readonly record struct DayCountResult(int DayCount, decimal YearFraction);

/// <summary>What some conventions need besides the two dates.</summary>
/// <param name="ReferenceStart">ACT/ACT-ICMA: start of the (regular) coupon period the dates fall in.</param>
/// <param name="ReferenceEnd">ACT/ACT-ICMA: end of that coupon period.</param>
/// <param name="Frequency">ACT/ACT-ICMA: coupons per year.</param>
/// <param name="TerminationDate">30E/360-ISDA: the maturity, where the last day of February is not made 30.</param>
public sealed record DayCountInputs(LocalDate? ReferenceStart = null, LocalDate? ReferenceEnd = null, int? Frequency = null, LocalDate? TerminationDate = null);

/// <summary>Day counts and year fractions, exact in <c>decimal</c>.</summary>
public static class DayCounts
{
    private static readonly (string Name, DayCountConvention Convention)[] Names =
    [
        ("ACT/360", DayCountConvention.Act360),
        ("ACT/365F", DayCountConvention.Act365F),
        ("ACT/ACT-ISDA", DayCountConvention.ActActIsda),
        ("ACT/ACT-ICMA", DayCountConvention.ActActIcma),
        ("ACT/ACT-AFB", DayCountConvention.ActActAfb),
        ("30/360-US", DayCountConvention.Thirty360Us),
        ("30/360-BOND-BASIS", DayCountConvention.Thirty360BondBasis),
        ("30E/360", DayCountConvention.Thirty360E),
        ("30E/360-ISDA", DayCountConvention.Thirty360EIsda),
        ("NL/365", DayCountConvention.Nl365),
    ];

    /// <summary>The accepted names, in documented order.</summary>
    public static IReadOnlyList<string> AllNames { get; } = [.. Names.Select(n => n.Name)];

    /// <summary>Reads a convention name (case-insensitive).</summary>
    public static bool TryParse(string? name, out DayCountConvention convention)
    {
        foreach (var (text, value) in Names)
        {
            if (string.Equals(text, name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                convention = value;
                return true;
            }
        }
        convention = default;
        return false;
    }

    /// <summary>The convention's name as written in files and on the command line.</summary>
    public static string Name(DayCountConvention convention) => Names.First(n => n.Convention == convention).Name;

    /// <summary>The day count and year fraction from <paramref name="start"/> to <paramref name="end"/>.</summary>
    public static Result<DayCountResult> Compute(DayCountConvention convention, LocalDate start, LocalDate end, DayCountInputs? inputs = null)
    {
        inputs ??= new DayCountInputs();
        if (end < start)
        {
            return new Rejection("daycount.dates", "the end date is before the start date");
        }
        int actual = Period.DaysBetween(start, end);
        switch (convention)
        {
            case DayCountConvention.Act360:
                return new DayCountResult(actual, actual / 360m);
            case DayCountConvention.Act365F:
                return new DayCountResult(actual, actual / 365m);
            case DayCountConvention.Nl365:
                int noLeap = actual - LeapDaysIn(start, end);
                return new DayCountResult(noLeap, noLeap / 365m);
            case DayCountConvention.ActActIsda:
                return new DayCountResult(actual, ActActIsda(start, end));
            case DayCountConvention.ActActAfb:
                return new DayCountResult(actual, ActActAfb(start, end));
            case DayCountConvention.ActActIcma:
                if (inputs.ReferenceStart is not { } refStart || inputs.ReferenceEnd is not { } refEnd || inputs.Frequency is not { } frequency)
                {
                    return new Rejection("daycount.reference-period", "ACT/ACT-ICMA needs the reference period (ref_start, ref_end) and the coupon frequency");
                }
                if (frequency is not (1 or 2 or 3 or 4 or 6 or 12) || refEnd <= refStart)
                {
                    return new Rejection("daycount.reference-period", "the frequency must be 1, 2, 3, 4, 6 or 12 and the reference period must end after it starts");
                }
                return new DayCountResult(actual, actual / (frequency * (decimal)Period.DaysBetween(refStart, refEnd)));
            default:
                int days = Thirty360(convention, start, end, inputs.TerminationDate);
                return new DayCountResult(days, days / 360m);
        }
    }

    private static int Thirty360(DayCountConvention convention, LocalDate start, LocalDate end, LocalDate? termination)
    {
        int d1 = start.Day, d2 = end.Day;
        switch (convention)
        {
            case DayCountConvention.Thirty360Us:
                // SIA: both on the last day of February: D2 = 30; D1 on the last day of February: D1 = 30;
                // then D2 = 31 and D1 >= 30: D2 = 30; D1 = 31: D1 = 30.
                if (IsLastOfFebruary(start) && IsLastOfFebruary(end))
                {
                    d2 = 30;
                }
                if (IsLastOfFebruary(start))
                {
                    d1 = 30;
                }
                if (d2 == 31 && d1 >= 30)
                {
                    d2 = 30;
                }
                if (d1 == 31)
                {
                    d1 = 30;
                }
                break;
            case DayCountConvention.Thirty360BondBasis:
                // ISDA 4.16(f): D1 = 31 becomes 30; D2 = 31 becomes 30 when D1 is then 30.
                if (d1 == 31)
                {
                    d1 = 30;
                }
                if (d2 == 31 && d1 == 30)
                {
                    d2 = 30;
                }
                break;
            case DayCountConvention.Thirty360E:
                d1 = Math.Min(d1, 30);
                d2 = Math.Min(d2, 30);
                break;
            case DayCountConvention.Thirty360EIsda:
                // ISDA 4.16(h): the last day of a month counts as 30, except the last day of February
                // when it is the termination date.
                if (IsLastOfMonth(start))
                {
                    d1 = 30;
                }
                if (IsLastOfMonth(end) && !(end.Month == 2 && termination == end))
                {
                    d2 = 30;
                }
                break;
        }
        return (360 * (end.Year - start.Year)) + (30 * (end.Month - start.Month)) + (d2 - d1);
    }

    private static decimal ActActIsda(LocalDate start, LocalDate end)
    {
        if (start.Year == end.Year)
        {
            return Period.DaysBetween(start, end) / (decimal)DaysInYear(start.Year);
        }
        decimal fraction = Period.DaysBetween(start, new LocalDate(start.Year + 1, 1, 1)) / (decimal)DaysInYear(start.Year);
        fraction += end.Year - start.Year - 1;
        fraction += Period.DaysBetween(new LocalDate(end.Year, 1, 1), end) / (decimal)DaysInYear(end.Year);
        return fraction;
    }

    /// <summary>
    /// AFB: count whole years back from the end date (a 28 February stepped back into a leap year
    /// becomes 29 February); the rest is days / 366 when it contains a 29 February, else / 365.
    /// </summary>
    private static decimal ActActAfb(LocalDate start, LocalDate end)
    {
        LocalDate rest = end;
        int years = 0;
        while (true)
        {
            LocalDate back = rest.PlusYears(-1);
            if (back.Month == 2 && back.Day == 28 && CalendarSystem.Iso.IsLeapYear(back.Year))
            {
                back = back.PlusDays(1);
            }
            if (back < start)
            {
                break;
            }
            years++;
            rest = back;
        }
        // "If the period includes 29 February": the period runs from its start day to the day before its end.
        bool leap = Enumerable.Range(start.Year, rest.Year - start.Year + 1)
            .Any(y => CalendarSystem.Iso.IsLeapYear(y) && new LocalDate(y, 2, 29) >= start && new LocalDate(y, 2, 29) < rest);
        int denominator = leap ? 366 : 365;
        return years + (Period.DaysBetween(start, rest) / (decimal)denominator);
    }

    /// <summary>29 Februaries in (start, end].</summary>
    private static int LeapDaysIn(LocalDate start, LocalDate end)
    {
        int count = 0;
        for (int year = start.Year; year <= end.Year; year++)
        {
            if (CalendarSystem.Iso.IsLeapYear(year))
            {
                var leapDay = new LocalDate(year, 2, 29);
                if (leapDay > start && leapDay <= end)
                {
                    count++;
                }
            }
        }
        return count;
    }

    private static int DaysInYear(int year) => CalendarSystem.Iso.IsLeapYear(year) ? 366 : 365;

    private static bool IsLastOfMonth(LocalDate date) => date.Day == CalendarSystem.Iso.GetDaysInMonth(date.Year, date.Month);

    private static bool IsLastOfFebruary(LocalDate date) => date.Month == 2 && IsLastOfMonth(date);
}
