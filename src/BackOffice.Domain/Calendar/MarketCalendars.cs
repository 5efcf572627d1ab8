using System.Collections.Frozen;
using System.Collections.ObjectModel;
using NodaTime;

namespace BackOffice.Domain.Calendar;

/// <summary>
/// The registry of business calendars the back office knows, built once on first use: the trading
/// calendars of the markets (by ISO 10383 MIC) and the calendars of the settlement systems behind
/// them. A market's trading calendar decides whether a trade date is valid; its settlement calendar
/// (see <see cref="SettlementDates"/>) decides which days count towards the settlement date.
/// </summary>
/// <remarks>
/// Codes: XNYS and XNAS (US equities, same holidays), XLON, XPAR, XAMS, XETR, XTKS; and the
/// settlement calendars TARGET2 (euro, also used by T2S), USFED (Federal Reserve Banks) and DTC
/// (NYSE closures together with Federal Reserve holidays). Look-up ignores letter case.
/// </remarks>
public static class MarketCalendars
{
    /// <summary>New York Stock Exchange.</summary>
    public const string Xnys = "XNYS";

    /// <summary>Nasdaq (same holiday rules as the NYSE).</summary>
    public const string Xnas = "XNAS";

    /// <summary>London Stock Exchange (England and Wales bank holidays).</summary>
    public const string Xlon = "XLON";

    /// <summary>Euronext Paris.</summary>
    public const string Xpar = "XPAR";

    /// <summary>Euronext Amsterdam.</summary>
    public const string Xams = "XAMS";

    /// <summary>Deutsche Börse Xetra.</summary>
    public const string Xetr = "XETR";

    /// <summary>Tokyo Stock Exchange (JPX).</summary>
    public const string Xtks = "XTKS";

    /// <summary>TARGET2 closing days; T2S settles euro DVP on the same days.</summary>
    public const string Target2 = "TARGET2";

    /// <summary>Federal Reserve Bank holidays.</summary>
    public const string UsFed = "USFED";

    /// <summary>DTC settlement days: closed on NYSE holidays and on Federal Reserve holidays.</summary>
    public const string Dtc = "DTC";

    private static readonly Lazy<FrozenDictionary<string, BusinessCalendar>> Registry = new(Build);

    /// <summary>Every calendar code, markets first, in a fixed order.</summary>
    public static IReadOnlyList<string> Codes { get; } = new ReadOnlyCollection<string>(
        [Xnys, Xnas, Xlon, Xpar, Xams, Xetr, Xtks, Target2, UsFed, Dtc]);

    /// <summary>
    /// Finds the calendar for a MIC or a settlement calendar code (case is ignored). Returns false,
    /// with <paramref name="calendar"/> null, for an unknown code.
    /// </summary>
    public static bool TryGetTradingCalendar(string code, out BusinessCalendar calendar)
    {
        if (code is not null && Registry.Value.TryGetValue(code, out BusinessCalendar? found))
        {
            calendar = found;
            return true;
        }
        calendar = null!;
        return false;
    }

    /// <summary>The calendar for a code known to exist (one of <see cref="Codes"/>); a bug otherwise.</summary>
    internal static BusinessCalendar Get(string code) =>
        TryGetTradingCalendar(code, out BusinessCalendar calendar)
            ? calendar
            : throw new ArgumentException($"no business calendar '{code}'", nameof(code));

    private static FrozenDictionary<string, BusinessCalendar> Build()
    {
        List<LocalDate> nyse = Closures(UnitedStatesHolidays.NyseClosures);
        List<LocalDate> fed = Closures(UnitedStatesHolidays.FederalReserveClosures);
        List<LocalDate> euronext = Closures(EuropeanHolidays.EuronextClosures);
        var calendars = new[]
        {
            new BusinessCalendar(Xnys, nyse),
            new BusinessCalendar(Xnas, nyse),
            new BusinessCalendar(Xlon, Closures(UnitedKingdomHolidays.Closures)),
            new BusinessCalendar(Xpar, euronext),
            new BusinessCalendar(Xams, euronext),
            new BusinessCalendar(Xetr, Closures(EuropeanHolidays.XetraClosures)),
            new BusinessCalendar(Xtks, Closures(JapaneseHolidays.JpxClosures)),
            new BusinessCalendar(Target2, Closures(EuropeanHolidays.Target2Closures)),
            new BusinessCalendar(UsFed, fed),
            new BusinessCalendar(Dtc, nyse.Concat(fed)),
        };
        return calendars.ToFrozenDictionary(c => c.Code, StringComparer.OrdinalIgnoreCase);
    }

    private static List<LocalDate> Closures(Func<int, IEnumerable<LocalDate>> rule)
    {
        var closures = new List<LocalDate>();
        for (int year = BusinessCalendar.FirstCoveredYear; year <= BusinessCalendar.LastCoveredYear; year++)
        {
            closures.AddRange(rule(year));
        }
        return closures;
    }
}
