using BackOffice.Domain.FixedIncome;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Interest;

/// <summary>Which client balances a rate applies to.</summary>
public enum InterestSide
{
    /// <summary>Credit balances (cash the firm holds for the client): the firm pays the client interest.</summary>
    Credit = 1,

    /// <summary>Debit balances (cash the client owes the firm): the client pays the firm interest.</summary>
    Debit = 2,
}

/// <summary>
/// One tier of a client cash interest schedule: from <see cref="TierFrom"/> (an absolute balance
/// in the currency) upward, <see cref="Rate"/> percent a year under <see cref="DayCount"/>, between
/// the effective dates (to exclusive). Tiers are marginal: each applies to the part of the balance
/// above its start and below the next tier's.
/// </summary>
public sealed record InterestRate(string Id, string Currency, InterestSide Side, decimal TierFrom, decimal Rate, string DayCount, LocalDate EffectiveFrom,
    LocalDate? EffectiveTo = null)
{
    /// <summary>True when the rate applies on <paramref name="date"/>.</summary>
    public bool InForce(LocalDate date) => EffectiveFrom <= date && (EffectiveTo is not { } to || date < to);
}

/// <summary>Interest on client cash balances, accrued day by day.</summary>
public static class CashInterest
{
    /// <summary>Decimals kept before the final rounding to the currency's minor units.</summary>
    public const int WorkingDecimals = 12;

    /// <summary>
    /// The interest one balance earns (credit) or owes (debit) from <paramref name="from"/> to
    /// <paramref name="to"/> (exclusive) under the tiers in force on <paramref name="from"/>: for each
    /// tier, the part of the balance inside it times its rate times the day count's year fraction,
    /// summed, then rounded to <see cref="WorkingDecimals"/> and to <paramref name="scale"/> decimals, half to even. Zero when no tier applies.
    /// </summary>
    public static Result<decimal> Accrue(decimal balance, IReadOnlyList<InterestRate> rates, string currency, LocalDate from, LocalDate to, int scale)
    {
        Invariant.That(to > from, "an accrual covers at least one day");
        InterestSide side = balance >= 0 ? InterestSide.Credit : InterestSide.Debit;
        decimal amount = Math.Abs(balance);
        List<InterestRate> tiers = rates.Where(r => r.Currency == currency && r.Side == side && r.InForce(from)).OrderBy(r => r.TierFrom).ToList();
        decimal interest = 0m;
        for (int i = 0; i < tiers.Count; i++)
        {
            decimal upper = i + 1 < tiers.Count ? tiers[i + 1].TierFrom : decimal.MaxValue;
            decimal inTier = Math.Max(0m, Math.Min(amount, upper) - tiers[i].TierFrom);
            if (inTier == 0m)
            {
                continue;
            }
            if (!DayCounts.TryParse(tiers[i].DayCount, out DayCountConvention convention))
            {
                return new Rejection("interest.day-count", $"rate {tiers[i].Id}: day count '{tiers[i].DayCount}' is not one of {string.Join(", ", DayCounts.AllNames)}");
            }
            Result<DayCountResult> fraction = DayCounts.Compute(convention, from, to);
            if (fraction.Rejection is { } rejection)
            {
                return rejection;
            }
            interest += inTier * tiers[i].Rate / 100m * fraction.Value.YearFraction;
        }
        // A year fraction such as 1/360 is not exact in decimal: its last digit would turn an exact
        // half cent (0.125) into 0.1250…01. Twelve decimals first, then the currency's.
        return Math.Round(Math.Round(interest, WorkingDecimals, MidpointRounding.ToEven), scale, MidpointRounding.ToEven);
    }
}
