using System.Collections.ObjectModel;
using System.Globalization;
using BackOffice.Domain.Primitives;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Domain.Calendar;

/// <summary>
/// The working days of one market or settlement system (for example XNYS, TARGET2 or DTC) from
/// <see cref="FirstCoveredDate"/> (2000-01-01) through <see cref="LastCoveredDate"/> (2030-12-31):
/// every Monday to Friday that is not a closure. Saturdays and Sundays are never business days.
/// A trading calendar says when a trade can be agreed; a settlement calendar (DTC, TARGET2) says
/// which days count towards a settlement date, and the two differ (the NYSE trades on Columbus
/// Day, when DTC does not settle).
/// </summary>
/// <remarks>
/// Every closure in the covered range is computed once, when the calendar is built, into a sorted
/// array of business days and a running count per day, so <see cref="IsBusinessDay"/> and
/// <see cref="AddBusinessDays"/> are array look-ups. Asking about a date outside the covered range
/// is a caller error and throws; check <see cref="Covers"/> first.
/// <para>Thread safety: immutable after construction; safe to share between threads.</para>
/// </remarks>
public sealed class BusinessCalendar
{
    /// <summary>First year with holiday data.</summary>
    public const int FirstCoveredYear = 2000;

    /// <summary>Last year with holiday data.</summary>
    public const int LastCoveredYear = 2030;

    private readonly int[] _businessDaysThrough;
    private readonly LocalDate[] _businessDays;
    private readonly Dictionary<int, ReadOnlyCollection<LocalDate>> _holidaysByYear;

    internal BusinessCalendar(string code, IEnumerable<LocalDate> closures)
    {
        Invariant.That(!string.IsNullOrWhiteSpace(code), "a business calendar needs a code");
        Code = code;
        var weekdayClosures = new SortedSet<LocalDate>();
        foreach (LocalDate closure in closures)
        {
            if (Covers(closure) && !DateRules.IsWeekend(closure))
            {
                weekdayClosures.Add(closure);
            }
        }
        int dayCount = Offset(LastCoveredDate) + 1;
        _businessDaysThrough = new int[dayCount];
        var businessDays = new List<LocalDate>(dayCount);
        for (int offset = 0; offset < dayCount; offset++)
        {
            LocalDate day = FirstCoveredDate.PlusDays(offset);
            if (!DateRules.IsWeekend(day) && !weekdayClosures.Contains(day))
            {
                businessDays.Add(day);
            }
            _businessDaysThrough[offset] = businessDays.Count;
        }
        _businessDays = businessDays.ToArray();
        _holidaysByYear = GroupByYear(weekdayClosures);
    }

    /// <summary>The first date with holiday data: 2000-01-01.</summary>
    public static LocalDate FirstCoveredDate { get; } = new(FirstCoveredYear, 1, 1);

    /// <summary>The last date with holiday data: 2030-12-31.</summary>
    public static LocalDate LastCoveredDate { get; } = new(LastCoveredYear, 12, 31);

    /// <summary>The covered range as text for messages: "2000-01-01..2030-12-31".</summary>
    public static string CoveredRangeText { get; } =
        Iso(FirstCoveredDate) + ".." + Iso(LastCoveredDate);

    /// <summary>The calendar code: a MIC (XNYS, XLON ...) or a settlement system (TARGET2, USFED, DTC).</summary>
    public string Code { get; }

    /// <summary>True when <paramref name="date"/> lies in 2000-01-01..2030-12-31, where holidays are known.</summary>
    public static bool Covers(LocalDate date) => date >= FirstCoveredDate && date <= LastCoveredDate;

    /// <summary>True on a Monday to Friday that is not a closure of this calendar.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The date is outside the covered range.</exception>
    public bool IsBusinessDay(LocalDate date)
    {
        int offset = CheckedOffset(date, nameof(date));
        int before = offset == 0 ? 0 : _businessDaysThrough[offset - 1];
        return _businessDaysThrough[offset] > before;
    }

    /// <summary>
    /// The business day <paramref name="days"/> business days after <paramref name="date"/> (before it
    /// when negative). Counting starts after the given date, so the given date itself never counts and
    /// need not be a business day: T+1 from a Friday is the next Monday that is a business day. Zero
    /// returns <paramref name="date"/> unchanged.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The date, or the result, is outside the covered range.</exception>
    public LocalDate AddBusinessDays(LocalDate date, int days)
    {
        CheckedOffset(date, nameof(date));
        if (!TryAddBusinessDays(date, days, out LocalDate result))
        {
            throw new ArgumentOutOfRangeException(nameof(days), days,
                $"{Code}: {days} business days from {Iso(date)} falls outside the covered range {CoveredRangeText}");
        }
        return result;
    }

    /// <summary>
    /// Like <see cref="AddBusinessDays"/>, but returns false instead of throwing when the date or the
    /// result lies outside the covered range.
    /// </summary>
    public bool TryAddBusinessDays(LocalDate date, int days, out LocalDate result)
    {
        result = date;
        if (!Covers(date))
        {
            return false;
        }
        if (days == 0)
        {
            return true;
        }
        int offset = Offset(date);
        long throughDate = _businessDaysThrough[offset];
        long strictlyBefore = offset == 0 ? 0 : _businessDaysThrough[offset - 1];
        // Index into the sorted business days: the n-th after the date, or the n-th before it.
        long index = days > 0 ? throughDate + days - 1 : strictlyBefore + days;
        if (index < 0 || index >= _businessDays.Length)
        {
            return false;
        }
        result = _businessDays[index];
        return true;
    }

    /// <summary>
    /// The number of business days after <paramref name="fromExclusive"/> up to and including
    /// <paramref name="toInclusive"/>; negative when <paramref name="toInclusive"/> is the earlier date.
    /// For a positive count, <c>BusinessDaysBetween(d, AddBusinessDays(d, n)) == n</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A date is outside the covered range.</exception>
    public int BusinessDaysBetween(LocalDate fromExclusive, LocalDate toInclusive)
    {
        int from = CheckedOffset(fromExclusive, nameof(fromExclusive));
        int to = CheckedOffset(toInclusive, nameof(toInclusive));
        return _businessDaysThrough[to] - _businessDaysThrough[from];
    }

    /// <summary>
    /// The closures of <paramref name="year"/> that fall on a Monday to Friday, in date order. A holiday
    /// on a weekend is not listed (it closes nothing); its observed weekday, where the rules move it, is.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The year is outside 2000..2030.</exception>
    public IReadOnlyList<LocalDate> Holidays(int year)
    {
        if (year < FirstCoveredYear || year > LastCoveredYear)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year,
                string.Create(CultureInfo.InvariantCulture, $"holidays are known for {FirstCoveredYear}..{LastCoveredYear} only"));
        }
        return _holidaysByYear[year];
    }

    /// <inheritdoc/>
    public override string ToString() => Code;

    internal static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static int Offset(LocalDate date) => Period.DaysBetween(FirstCoveredDate, date);

    private int CheckedOffset(LocalDate date, string parameterName)
    {
        if (!Covers(date))
        {
            throw new ArgumentOutOfRangeException(parameterName, Iso(date),
                $"{Code}: holidays are known for {CoveredRangeText} only");
        }
        return Offset(date);
    }

    private static Dictionary<int, ReadOnlyCollection<LocalDate>> GroupByYear(SortedSet<LocalDate> weekdayClosures)
    {
        var byYear = new Dictionary<int, ReadOnlyCollection<LocalDate>>();
        for (int year = FirstCoveredYear; year <= LastCoveredYear; year++)
        {
            int y = year;
            byYear[year] = weekdayClosures.Where(d => d.Year == y).ToList().AsReadOnly();
        }
        return byYear;
    }
}
