using System.Collections.Frozen;
using BackOffice.Domain.Calendar;
using BackOffice.Domain.ReferenceData;
using NodaTime;

namespace BackOffice.Domain.Settlement;

/// <summary>
/// Which business calendar a place of settlement counts days on, and whether the place is a CSD
/// under the CSDR (where cash penalties and the buy-in rules of Regulation (EU) No 909/2014
/// Article 7 apply). A place is named by its BIC; its country is the BIC's 5th and 6th characters
/// (MGTCBEBE is Euroclear Bank, in BE).
/// </summary>
public static class SettlementCalendars
{
    /// <summary>
    /// The member states of the European Union (AT, BE, BG, CY, CZ, DE, DK, EE, ES, FI, FR, GR, HR,
    /// HU, IE, IT, LT, LU, LV, MT, NL, PL, PT, RO, SE, SI, SK) and the other EEA states that apply
    /// the CSDR (IS, LI, NO), by ISO 3166 alpha-2 code as a BIC carries it. The United Kingdom (GB)
    /// and Switzerland (CH) are not in it.
    /// </summary>
    public static IReadOnlySet<string> EuEeaCountries { get; } = new[]
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT",
        "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// The calendar the place settles on, first rule that fits:
    /// <list type="number">
    /// <item>a US place (DTCYUS33): USFED, the Federal Reserve's days;</item>
    /// <item>a euro settlement, or a place in the EU or EEA: TARGET2 (T2S settles on TARGET2 days;
    /// no calendar of a non-euro EU CSD is held, so TARGET2 stands in for them too);</item>
    /// <item>a UK place (CRSTGB22): XLON, the England and Wales bank holidays;</item>
    /// <item>a Japanese place (JJSDJPJT): XTKS;</item>
    /// <item>otherwise by currency: USFED for USD, and TARGET2 for anything else. No
    /// weekdays-only calendar is held; TARGET2, with six closing days a year the fewest of the
    /// settlement calendars held, is the nearest to one.</item>
    /// </list>
    /// A BIC too short to carry a country falls through to the currency rule.
    /// </summary>
    public static BusinessCalendar ForPlace(string placeOfSettlementBic, string currency)
    {
        string? country = Country(placeOfSettlementBic);
        bool euro = string.Equals(currency, "EUR", StringComparison.OrdinalIgnoreCase);
        string code = country switch
        {
            "US" => MarketCalendars.UsFed,
            _ when euro || (country is not null && EuEeaCountries.Contains(country)) => MarketCalendars.Target2,
            "GB" => MarketCalendars.Xlon,
            "JP" => MarketCalendars.Xtks,
            _ when string.Equals(currency, "USD", StringComparison.OrdinalIgnoreCase) => MarketCalendars.UsFed,
            _ => MarketCalendars.Target2,
        };
        return MarketCalendars.Get(code);
    }

    /// <summary>
    /// True when the place is a CSD in the EU or EEA (<see cref="EuEeaCountries"/>): Euroclear Bank
    /// MGTCBEBE, Clearstream Banking CEDELULL, Clearstream Frankfurt DAKVDEFF, Euroclear France
    /// SICVFRPP, Euroclear Nederland NECINL2A, and so on. Only then do CSDR cash penalties and the
    /// CSDR buy-in rules apply.
    /// </summary>
    public static bool IsEuCsd(string placeOfSettlementBic) => Country(placeOfSettlementBic) is { } country && EuEeaCountries.Contains(country);

    /// <summary>The BIC's country code (its 5th and 6th characters, upper case), or null when it has none.</summary>
    public static string? Country(string bic)
    {
        if (bic is null || bic.Length < 6 || !char.IsAsciiLetter(bic[4]) || !char.IsAsciiLetter(bic[5]))
        {
            return null;
        }
        return bic.Substring(4, 2).ToUpperInvariant();
    }
}

/// <summary>
/// How many business days after the intended settlement date a fail must be closed out (bought
/// in, or covered by borrowing or buying), for the places and instruments it matches. A null
/// criterion matches anything.
/// </summary>
/// <param name="Name">The rule's name in reports (csdr-art7, reg-sho-204, ...).</param>
/// <param name="Market">The country of the place of settlement (from its BIC: US, GB ...), or null for any place.</param>
/// <param name="Category">The instrument's CSDR category, or null for any.</param>
/// <param name="AssetClass">The instrument's asset class, or null for any.</param>
/// <param name="BusinessDays">Business days after the intended settlement date, on the place's calendar, that the deadline falls.</param>
public sealed record CloseOutRule(string Name, string? Market, PenaltyAssetClass? Category, AssetClass? AssetClass, int BusinessDays);

/// <summary>The close-out deadlines a fail is held to, and the rule that picks one.</summary>
public static class CloseOutRules
{
    /// <summary>
    /// The default table. Outside the United States, the CSDR extension periods (Regulation (EU)
    /// No 909/2014 Article 7(3) and (4)): 4 business days after the intended settlement date for
    /// any instrument; 7 for shares that do not have a liquid market (Article 7(4)(a), as set by
    /// Commission Delegated Regulation (EU) 2018/1229 Article 36); 15 days for instruments traded
    /// on an SME growth market (Article 7(3), second subparagraph), applied here to both SME
    /// categories. At a US place, SEC Regulation SHO Rule 204(a) (17 CFR 242.204): a fail to
    /// deliver is closed out by the start of regular trading hours on the settlement day after
    /// the settlement date, 1 business day. Rule 204 allows until the third settlement day for a
    /// long sale or bona fide market making; an instruction does not say which it was, so the
    /// shorter period is the default, and a firm that knows its US deliveries are long sales
    /// passes a table with 3 instead. The table is a parameter: these rows are only defaults.
    /// The CSDR buy-in is mandatory only once the Commission applies it (Article 7a, as
    /// inserted by Regulation (EU) 2023/2845), so a deadline here marks when a buy-in may
    /// start, not that one will.
    /// </summary>
    public static IReadOnlyList<CloseOutRule> Defaults { get; } =
    [
        new("csdr-art7", null, null, null, 4),
        new("csdr-art7-illiquid", null, PenaltyAssetClass.ShareIlliquid, null, 7),
        new("csdr-art7-sme", null, PenaltyAssetClass.SmeNonDebt, null, 15),
        new("csdr-art7-sme", null, PenaltyAssetClass.SmeDebt, null, 15),
        new("reg-sho-204", "US", null, null, 1),
    ];

    /// <summary>
    /// The rule for the instruction: of the rules whose every criterion matches, the most
    /// specific, where a matching market outweighs a matching category, which outweighs a matching
    /// asset class (so a US place takes reg-sho-204 whatever the category); between rules as
    /// specific, the first in the table. Without <paramref name="assetClass"/>, it is taken as debt
    /// for a nominal quantity or a debt category, equity for a share category, and unknown
    /// otherwise (rules naming an asset class then do not match).
    /// </summary>
    /// <exception cref="ArgumentException">No rule matches: the table needs a catch-all row (all criteria null).</exception>
    public static CloseOutRule For(SettlementInstruction instruction, PenaltyAssetClass category, IReadOnlyList<CloseOutRule> rules, AssetClass? assetClass = null)
    {
        string? market = SettlementCalendars.Country(instruction.PlaceOfSettlement);
        AssetClass? asset = assetClass ?? InferredAssetClass(instruction, category);
        CloseOutRule? best = null;
        int bestScore = -1;
        foreach (CloseOutRule rule in rules)
        {
            if ((rule.Market is not null && !string.Equals(rule.Market, market, StringComparison.OrdinalIgnoreCase))
                || (rule.Category is { } c && c != category)
                || (rule.AssetClass is { } a && a != asset))
            {
                continue;
            }
            int score = (rule.Market is null ? 0 : 4) + (rule.Category is null ? 0 : 2) + (rule.AssetClass is null ? 0 : 1);
            if (score > bestScore)
            {
                best = rule;
                bestScore = score;
            }
        }
        return best ?? throw new ArgumentException(
            $"no close-out rule matches instruction {instruction.TransactionId} ({instruction.PlaceOfSettlement}, {category}): the table needs a catch-all row", nameof(rules));
    }

    private static AssetClass? InferredAssetClass(SettlementInstruction instruction, PenaltyAssetClass category) => category switch
    {
        _ when instruction.Nominal => AssetClass.Debt,
        PenaltyAssetClass.SovereignDebt or PenaltyAssetClass.OtherDebt or PenaltyAssetClass.SmeDebt => AssetClass.Debt,
        PenaltyAssetClass.ShareLiquid or PenaltyAssetClass.ShareIlliquid => AssetClass.Equity,
        _ => null,
    };
}

/// <summary>One failing instruction as of a date, with its age and close-out deadline.</summary>
/// <param name="AgeBusinessDays">Business days failing, the intended settlement date counting as day 1 (<see cref="Fails.Age"/>).</param>
/// <param name="AgeBucket">The age's bucket (<see cref="Fails.Bucket"/>).</param>
/// <param name="CloseOutDeadline">The intended settlement date plus the rule's business days, on the place's calendar.</param>
/// <param name="BuyInCandidate">
/// We receive (RVP, RFP), the deadline has passed (the report date is on or after it) and the
/// instruction is still open: a buy-in, which only the receiving party starts, may be initiated.
/// </param>
/// <param name="WeAreFailing">We deliver (DVP, DFP): curing the fail is on us, and from the deadline on we face a buy-in (or, at a US place, must close out under Rule 204).</param>
/// <param name="Rule">The name of the close-out rule applied.</param>
public sealed record SettlementFail(SettlementInstruction Instruction, int AgeBusinessDays, string AgeBucket, LocalDate CloseOutDeadline, bool BuyInCandidate,
    bool WeAreFailing, string Rule);

/// <summary>Fails of one counterparty or instrument in one currency.</summary>
/// <param name="Key">The counterparty, or the ISIN.</param>
/// <param name="Currency">The settlement currency: amounts in different currencies are never added together.</param>
/// <param name="Fails">How many instructions fail.</param>
/// <param name="OpenQuantity">The quantity still open, summed (for a counterparty, across instruments: a size, not a position).</param>
/// <param name="OpenAmount">The cash still open, summed.</param>
/// <param name="OldestAge">The age of the oldest fail, in business days.</param>
public sealed record FailSummary(string Key, string Currency, int Fails, decimal OpenQuantity, decimal OpenAmount, int OldestAge);

/// <summary>
/// Settlement fails: instructions not settled in full (neither settled nor cancelled) by the end
/// of their intended settlement date. Every function assumes it runs at the end of the business
/// day <c>asOf</c>, and takes the instructions as they stood then.
/// </summary>
public static class Fails
{
    /// <summary>
    /// True when the instruction is neither settled nor cancelled and <paramref name="asOf"/> is on
    /// or after its intended settlement date: an instruction still open on the evening of its
    /// intended settlement date is a fail (of age 1) that evening.
    /// </summary>
    public static bool IsFail(SettlementInstruction i, LocalDate asOf) => !i.IsFinal && asOf >= i.SettlementDate;

    /// <summary>
    /// How many business days of <paramref name="calendar"/> the instruction has failed as of
    /// <paramref name="asOf"/>: the business days from its intended settlement date through
    /// <paramref name="asOf"/>, both included, so the intended settlement date is day 1 and a fail
    /// does not age on a weekend or holiday (Friday's 1 is still 1 on Sunday and is 2 on Monday).
    /// It is at least 1 once <paramref name="asOf"/> reaches the intended settlement date, even if
    /// that date was no business day of the calendar, and 0 before it. The status is not looked at.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A date is outside the calendar's covered range.</exception>
    public static int Age(SettlementInstruction i, LocalDate asOf, BusinessCalendar calendar)
    {
        if (asOf < i.SettlementDate)
        {
            return 0;
        }
        return Math.Max(1, calendar.BusinessDaysBetween(i.SettlementDate.PlusDays(-1), asOf));
    }

    /// <summary>
    /// The bucket of an age in business days: <c>1</c>, <c>2-3</c>, <c>4-7</c>, <c>8-15</c>,
    /// <c>16-30</c>, <c>31+</c>. The buckets double, and their edges follow the CSDR extension
    /// periods: the standard period of 4 business days ends at intended settlement date + 4 (age
    /// 5), inside <c>4-7</c>, so that bucket holds the fails reaching a buy-in; a fail leaves
    /// <c>4-7</c> on the day the 7-day period for illiquid shares ends (intended settlement date +
    /// 7, age 8) and leaves <c>8-15</c> on the day the 15-day SME growth market period ends (age 16).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The age is below 1.</exception>
    public static string Bucket(int age) => age switch
    {
        < 1 => throw new ArgumentOutOfRangeException(nameof(age), age, "a fail is at least 1 business day old"),
        1 => "1",
        <= 3 => "2-3",
        <= 7 => "4-7",
        <= 15 => "8-15",
        <= 30 => "16-30",
        _ => "31+",
    };

    /// <summary>
    /// The fails among <paramref name="instructions"/> as of <paramref name="asOf"/>, ordered by
    /// counterparty, ISIN and transaction id. Each is aged on its place's calendar
    /// (<see cref="SettlementCalendars.ForPlace"/>); its deadline is the intended settlement date
    /// plus the business days of the rule <see cref="CloseOutRules.For"/> picks from
    /// <paramref name="rules"/> for the category <paramref name="category"/> gives it.
    /// </summary>
    public static IReadOnlyList<SettlementFail> Report(IEnumerable<SettlementInstruction> instructions, LocalDate asOf,
        Func<SettlementInstruction, PenaltyAssetClass> category, IReadOnlyList<CloseOutRule> rules)
    {
        var fails = new List<SettlementFail>();
        foreach (SettlementInstruction instruction in instructions)
        {
            if (!IsFail(instruction, asOf))
            {
                continue;
            }
            BusinessCalendar calendar = SettlementCalendars.ForPlace(instruction.PlaceOfSettlement, instruction.Currency);
            int age = Age(instruction, asOf, calendar);
            CloseOutRule rule = CloseOutRules.For(instruction, category(instruction), rules);
            LocalDate deadline = calendar.AddBusinessDays(instruction.SettlementDate, rule.BusinessDays);
            bool due = asOf >= deadline;
            fails.Add(new SettlementFail(instruction, age, Bucket(age), deadline, due && !instruction.Delivers, instruction.Delivers, rule.Name));
        }
        return [.. fails.OrderBy(f => f.Instruction.Counterparty, StringComparer.Ordinal).ThenBy(f => f.Instruction.Isin, StringComparer.Ordinal)
            .ThenBy(f => f.Instruction.TransactionId, StringComparer.Ordinal)];
    }

    /// <summary>The fails per counterparty and currency, ordered by counterparty then currency.</summary>
    public static IReadOnlyList<FailSummary> ByCounterparty(IEnumerable<SettlementFail> fails) => Summarise(fails, f => f.Instruction.Counterparty);

    /// <summary>The fails per ISIN and currency, ordered by ISIN then currency.</summary>
    public static IReadOnlyList<FailSummary> ByInstrument(IEnumerable<SettlementFail> fails) => Summarise(fails, f => f.Instruction.Isin);

    /// <summary>
    /// The default CSDR category of an instrument: equity a liquid share, debt other debt, a fund
    /// or a derivative or an unknown instrument "other". This is only the default mapping: an
    /// instrument's sovereign-debt, illiquid-share or SME growth market category has to come from
    /// reference data (ESMA publishes the liquidity assessment of shares; the issuer and the venue
    /// decide the others), which the asset class alone cannot tell.
    /// </summary>
    public static PenaltyAssetClass DefaultCategory(Instrument? instrument) => instrument?.AssetClass switch
    {
        AssetClass.Equity => PenaltyAssetClass.ShareLiquid,
        AssetClass.Debt => PenaltyAssetClass.OtherDebt,
        _ => PenaltyAssetClass.Other,
    };

    private static List<FailSummary> Summarise(IEnumerable<SettlementFail> fails, Func<SettlementFail, string> key) =>
        [.. fails.GroupBy(f => (Key: key(f), f.Instruction.Currency))
            .OrderBy(g => g.Key.Key, StringComparer.Ordinal).ThenBy(g => g.Key.Currency, StringComparer.Ordinal)
            .Select(g => new FailSummary(g.Key.Key, g.Key.Currency, g.Count(), g.Sum(f => f.Instruction.OpenQuantity), g.Sum(f => f.Instruction.OpenAmount),
                g.Max(f => f.AgeBusinessDays)))];
}
