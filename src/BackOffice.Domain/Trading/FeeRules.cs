using BackOffice.Domain.ReferenceData;
using NodaTime;

namespace BackOffice.Domain.Trading;

/// <summary>What a charge is, which decides where it is booked and how it shows on a confirmation.</summary>
public enum FeeKind
{
    /// <summary>The firm's own charge: booked as commission income.</summary>
    Commission = 1,

    /// <summary>A regulatory or exchange fee passed through to a regulator (SEC Section 31, FINRA TAF): booked as payable.</summary>
    Fee = 2,

    /// <summary>A transaction tax collected for a government (French FTT): booked as payable.</summary>
    Tax = 3,
}

/// <summary>How a charge is computed from a trade.</summary>
public enum FeeMethod
{
    /// <summary><c>rate</c> percent of the gross consideration (0.3 means 0.3%).</summary>
    Percent = 1,

    /// <summary><c>rate</c> per unit traded (per share, per bond).</summary>
    PerUnit = 2,

    /// <summary><c>rate</c> once per trade.</summary>
    Flat = 3,
}

/// <summary>How a charge is rounded to the currency's minor unit.</summary>
public enum FeeRounding
{
    /// <summary>To the nearest unit, halves away from zero.</summary>
    Nearest = 1,

    /// <summary>Up to the next unit (SEC and FINRA pass-through fees are rounded up to the cent).</summary>
    Up = 2,

    /// <summary>Down (truncated).</summary>
    Down = 3,
}

/// <summary>
/// One line of a fee schedule, effective from a date (and, when set, until the day before
/// <see cref="EffectiveTo"/>). The matchers left null match anything. For each <see cref="Code"/>
/// the most specific matching rule applies (most matchers set), then the latest effective date;
/// a rule with a zero rate is how a schedule says "no charge from this date".
/// </summary>
public sealed record FeeRule
{
    /// <summary>The rule's own id in the schedule file (a later file with the same id replaces it).</summary>
    public required string Id { get; init; }

    /// <summary>The charge this rule computes (COMMISSION, SEC31, FINRA-TAF, FR-FTT...): one charge per code per trade.</summary>
    public required string Code { get; init; }
    public FeeKind Kind { get; init; } = FeeKind.Commission;
    public string? Account { get; init; }
    public string? Market { get; init; }
    public AssetClass? AssetClass { get; init; }
    public TradeSide? Side { get; init; }

    /// <summary>The issuer's country, read from the ISIN's first two letters (the French FTT applies to French issuers).</summary>
    public string? IssuerCountry { get; init; }

    public FeeMethod Method { get; init; } = FeeMethod.Percent;
    public decimal Rate { get; init; }
    public decimal? Minimum { get; init; }
    public decimal? Maximum { get; init; }

    /// <summary>The currency the rate (per unit or flat), minimum and maximum are in; the rule applies only to trades in it.</summary>
    public required string Currency { get; init; }

    public FeeRounding Rounding { get; init; } = FeeRounding.Nearest;
    public LocalDate EffectiveFrom { get; init; }
    public LocalDate? EffectiveTo { get; init; }

    /// <summary>Where a pass-through fee or tax is booked (a liability); commission is booked to the policy's income account.</summary>
    public string? LedgerAccount { get; init; }

    /// <summary>The number of matchers set: a rule for one account beats a rule for every account.</summary>
    public int Specificity =>
        (Account is null ? 0 : 8) + (Market is null ? 0 : 4) + (AssetClass is null ? 0 : 2) + (IssuerCountry is null ? 0 : 2) + (Side is null ? 0 : 1);

    /// <summary>True when the rule applies to a trade with these attributes on <paramref name="tradeDate"/>.</summary>
    public bool Matches(string account, string market, AssetClass assetClass, string isin, TradeSide side, string currency, LocalDate tradeDate) =>
        tradeDate >= EffectiveFrom && (EffectiveTo is not { } to || tradeDate < to)
        && string.Equals(Currency, currency, StringComparison.Ordinal)
        && (Account is null || string.Equals(Account, account, StringComparison.Ordinal))
        && (Market is null || string.Equals(Market, market, StringComparison.Ordinal))
        && (AssetClass is null || AssetClass == assetClass)
        && (IssuerCountry is null || isin.StartsWith(IssuerCountry, StringComparison.Ordinal))
        && (Side is null || Side == side);
}

/// <summary>One computed charge on a trade.</summary>
public sealed record TradeCharge(string Code, FeeKind Kind, decimal Amount, string? LedgerAccount);

/// <summary>Computes a trade's charges from the fee rules in force on its trade date.</summary>
public static class FeeCalculator
{
    /// <summary>
    /// The charges on a trade of <paramref name="quantity"/> at a gross consideration of
    /// <paramref name="gross"/> (already rounded to the currency), each rounded to
    /// <paramref name="minorUnits"/> decimal places by its rule, in code order. Zero charges are left out.
    /// </summary>
    public static IReadOnlyList<TradeCharge> Compute(IEnumerable<FeeRule> rules, string account, string market, AssetClass assetClass, string isin,
        TradeSide side, string currency, LocalDate tradeDate, decimal quantity, decimal gross, int minorUnits)
    {
        // Schedules hold a handful of codes: a small list beats a dictionary per trade.
        // Runs once a trade: indexed loops, so no enumerator or closure is allocated.
        List<FeeRule>? chosen = null;
        IReadOnlyList<FeeRule> list = rules as IReadOnlyList<FeeRule> ?? [.. rules];
        for (int r = 0; r < list.Count; r++)
        {
            FeeRule rule = list[r];
            if (!rule.Matches(account, market, assetClass, isin, side, currency, tradeDate))
            {
                continue;
            }
            chosen ??= new List<FeeRule>(4);
            int at = -1;
            for (int c = 0; c < chosen.Count && at < 0; c++)
            {
                at = string.Equals(chosen[c].Code, rule.Code, StringComparison.Ordinal) ? c : -1;
            }
            if (at < 0)
            {
                chosen.Add(rule);
            }
            else if (rule.Specificity > chosen[at].Specificity || (rule.Specificity == chosen[at].Specificity && rule.EffectiveFrom > chosen[at].EffectiveFrom))
            {
                chosen[at] = rule;
            }
        }
        if (chosen is null)
        {
            return [];
        }
        chosen.Sort(static (a, b) => string.CompareOrdinal(a.Code, b.Code));
        var charges = new List<TradeCharge>(chosen.Count);
        foreach (FeeRule rule in chosen)
        {
            decimal amount = Amount(rule, quantity, gross, minorUnits);
            if (amount != 0m)
            {
                charges.Add(new TradeCharge(rule.Code, rule.Kind, amount, rule.LedgerAccount));
            }
        }
        return charges;
    }

    /// <summary>One rule's charge: raw amount, then minimum and maximum, then rounding to the currency.</summary>
    public static decimal Amount(FeeRule rule, decimal quantity, decimal gross, int minorUnits)
    {
        decimal raw = rule.Method switch
        {
            FeeMethod.Percent => gross * rule.Rate / 100m,
            FeeMethod.PerUnit => quantity * rule.Rate,
            FeeMethod.Flat => rule.Rate,
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule.Method, "unknown fee method"),
        };
        if (raw == 0m)
        {
            return 0m;
        }
        decimal rounded = Round(raw, minorUnits, rule.Rounding);
        if (rule.Minimum is { } minimum && rounded < minimum)
        {
            rounded = minimum;
        }
        if (rule.Maximum is { } maximum && rounded > maximum)
        {
            rounded = maximum;
        }
        // A minimum or maximum is rounded too, and every charge carries the currency's decimal places (1.00, not 1).
        return Math.Round(rounded + new decimal(0, 0, 0, false, (byte)minorUnits), minorUnits, MidpointRounding.AwayFromZero);
    }

    /// <summary>Rounds to <paramref name="decimals"/> places the way the rule says.</summary>
    public static decimal Round(decimal value, int decimals, FeeRounding rounding) => rounding switch
    {
        FeeRounding.Up => Math.Round(value, decimals, MidpointRounding.ToPositiveInfinity),
        FeeRounding.Down => Math.Round(value, decimals, MidpointRounding.ToZero),
        _ => Math.Round(value, decimals, MidpointRounding.AwayFromZero),
    };
}
