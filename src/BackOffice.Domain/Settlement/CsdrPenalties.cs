using System.Globalization;
using BackOffice.Domain.Calendar;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Settlement;

/// <summary>Why a settlement instruction is penalised on a day (CSDR Article 7).</summary>
public enum FailType
{
    /// <summary>The delivering party lacked the securities: the rate of the instrument's category.</summary>
    LackOfSecurities = 1,

    /// <summary>The receiving party lacked the cash: the central bank's overnight rate over 365.</summary>
    LackOfCash = 2,

    /// <summary>The instruction matched after its intended settlement date: the rate of the instrument's category.</summary>
    LateMatching = 3,
}

/// <summary>The categories of the Annex to Delegated Regulation (EU) 2017/389.</summary>
public enum PenaltyAssetClass
{
    ShareLiquid = 1,
    ShareIlliquid = 2,
    SmeNonDebt = 3,
    SovereignDebt = 4,
    OtherDebt = 5,
    SmeDebt = 6,
    Other = 7,
}

/// <summary>Whether the failing quantity is a number of units (shares) or a nominal (debt, priced per 100 of nominal).</summary>
public enum QuantityKind
{
    Units = 1,
    Nominal = 2,
}

/// <summary>A penalty rate for a category, in force from a date (a rate in force until the next row for the category).</summary>
/// <param name="AssetClass">The category of the Annex the rate is for.</param>
/// <param name="EffectiveFrom">The first day the rate applies; not before <see cref="CsdrPenalties.RegimeStart"/>.</param>
/// <param name="Rate">A fraction a day of the reference value: 0.0001 is 1 basis point.</param>
public sealed record PenaltyRate(PenaltyAssetClass AssetClass, LocalDate EffectiveFrom, decimal Rate);

/// <summary>One day of one failing (or late-matching) instruction, as the CSD computes its penalty.</summary>
/// <param name="ReferencePrice">The day's reference price of the instrument (for debt, per 100 of nominal).</param>
/// <param name="CashRateAnnual">For a lack of cash: the central bank's overnight credit rate, a fraction (0.04 is 4%); below zero counts as zero.</param>
public sealed record PenaltyDay(FailType FailType, PenaltyAssetClass AssetClass, QuantityKind QuantityKind, decimal FailingQuantity, string Currency,
    LocalDate PenaltyDate, decimal ReferencePrice, decimal? CashRateAnnual);

/// <summary>
/// CSDR cash penalties (Regulation (EU) No 909/2014 Article 7; Commission Delegated Regulation
/// (EU) 2017/389 Articles 2 and 3 and its Annex). A day's penalty is the reference value of the
/// failing instruction, the failing quantity times the day's reference price (for a nominal, times
/// the price per 100 of nominal divided by 100), times a rate: for a lack of securities or a late
/// matching, the rate of the instrument's category in force on the day; for a lack of cash, the
/// central bank's overnight credit rate (floored at zero) divided by 365. The reference price is
/// used for every fail, whatever its cause (2017/389 Article 3(2)). Penalties accrue for each
/// business day of the TARGET2 calendar an instruction fails. The amount is computed exactly and
/// rounded once, to the currency's minor units, half away from zero.
/// </summary>
public static class CsdrPenalties
{
    /// <summary>When the penalty regime started applying (Delegated Regulation (EU) 2021/70).</summary>
    public static readonly LocalDate RegimeStart = new(2022, 2, 1);

    /// <summary>
    /// The Annex to 2017/389 as it applies from <see cref="RegimeStart"/>, per day: liquid shares
    /// 1.0 basis point, illiquid shares 0.5, SME growth-market instruments other than debt 0.25,
    /// sovereign debt 0.10, other debt 0.20, SME growth-market debt 0.15, all other instruments
    /// 0.5. A later amendment is a row with its own effective date.
    /// </summary>
    public static IReadOnlyList<PenaltyRate> Annex { get; } =
    [
        new(PenaltyAssetClass.ShareLiquid, RegimeStart, 0.0001m),
        new(PenaltyAssetClass.ShareIlliquid, RegimeStart, 0.00005m),
        new(PenaltyAssetClass.SmeNonDebt, RegimeStart, 0.000025m),
        new(PenaltyAssetClass.SovereignDebt, RegimeStart, 0.00001m),
        new(PenaltyAssetClass.OtherDebt, RegimeStart, 0.00002m),
        new(PenaltyAssetClass.SmeDebt, RegimeStart, 0.000015m),
        new(PenaltyAssetClass.Other, RegimeStart, 0.00005m),
    ];

    /// <summary>
    /// The <see cref="Annex"/> with the rates loaded as reference data (<c>refdata import --kind
    /// penalty-rates</c>), for <see cref="Daily"/>: every Annex row and every loaded row, except
    /// that a loaded row for the category and date of an Annex row replaces it. A loaded row from
    /// a later date is an amendment: <see cref="Daily"/> takes, per category, the row with the
    /// latest date on or before the day, so the Annex applies until it. Ordered by category, then date.
    /// </summary>
    public static IReadOnlyList<PenaltyRate> WithAnnex(IReadOnlyList<PenaltyRate> loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var replaced = new HashSet<(PenaltyAssetClass, LocalDate)>(loaded.Select(r => (r.AssetClass, r.EffectiveFrom)));
        return [.. Annex.Where(r => !replaced.Contains((r.AssetClass, r.EffectiveFrom))).Concat(loaded)
            .OrderBy(r => r.AssetClass).ThenBy(r => r.EffectiveFrom)];
    }

    /// <summary>The day's penalty under <paramref name="rates"/> (the Annex when null), or why it cannot be computed.</summary>
    public static Result<decimal> Daily(PenaltyDay day, int minorUnits, IReadOnlyList<PenaltyRate>? rates = null)
    {
        if (day.FailingQuantity <= 0m)
        {
            return new Rejection("penalty.quantity", Invariant($"failing_quantity must be positive, not {day.FailingQuantity}"));
        }
        if (day.ReferencePrice <= 0m)
        {
            return new Rejection("penalty.reference-price", Invariant($"reference_price must be positive, not {day.ReferencePrice}"));
        }
        if (day.PenaltyDate < RegimeStart)
        {
            return new Rejection("penalty.date", $"penalty_date {Iso(day.PenaltyDate)} is before the penalty regime applied ({Iso(RegimeStart)})");
        }
        if (!IsPenaltyDay(day.PenaltyDate))
        {
            return new Rejection("penalty.date", $"penalty_date {Iso(day.PenaltyDate)} is not a TARGET2 business day: no penalty accrues on it");
        }
        decimal value = day.QuantityKind == QuantityKind.Nominal ? day.FailingQuantity * day.ReferencePrice / 100m : day.FailingQuantity * day.ReferencePrice;
        decimal rate;
        if (day.FailType == FailType.LackOfCash)
        {
            if (day.CashRateAnnual is not { } annual)
            {
                return new Rejection("penalty.cash-rate", "a lack of cash needs cash_rate_annual, the central bank's overnight credit rate (0.04 is 4%)");
            }
            rate = Math.Max(annual, 0m) / 365m;
        }
        else
        {
            PenaltyRate? inForce = (rates ?? Annex).Where(r => r.AssetClass == day.AssetClass && r.EffectiveFrom <= day.PenaltyDate)
                .OrderByDescending(r => r.EffectiveFrom).FirstOrDefault();
            if (inForce is null)
            {
                return new Rejection("penalty.rate", $"no penalty rate for {day.AssetClass} in force on {Iso(day.PenaltyDate)}");
            }
            rate = inForce.Rate;
        }
        return Math.Round(value * rate, minorUnits, MidpointRounding.AwayFromZero);
    }

    /// <summary>True when penalties accrue on the date: a business day of the TARGET2 calendar.</summary>
    public static bool IsPenaltyDay(LocalDate date) =>
        BusinessCalendar.Covers(date) ? MarketCalendars.Get("TARGET2").IsBusinessDay(date) : date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday);

    /// <summary>
    /// The days a fail is penalised: every TARGET2 business day from the intended settlement date up
    /// to the day before it settled (<paramref name="settled"/>), or up to <paramref name="settledOrThrough"/>
    /// itself while it still fails.
    /// </summary>
    public static IReadOnlyList<LocalDate> PenaltyDays(LocalDate intendedSettlement, LocalDate settledOrThrough, bool settled)
    {
        var days = new List<LocalDate>();
        LocalDate last = settled ? settledOrThrough.PlusDays(-1) : settledOrThrough;
        for (LocalDate d = intendedSettlement; d <= last; d = d.PlusDays(1))
        {
            if (IsPenaltyDay(d))
            {
                days.Add(d);
            }
        }
        return days;
    }

    private static string Iso(LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
