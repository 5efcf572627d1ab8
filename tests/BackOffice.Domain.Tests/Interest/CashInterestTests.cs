using BackOffice.Domain.Interest;
using NodaTime;

namespace BackOffice.Domain.Tests.Interest;

/// <summary>Tiered interest on client cash, worked by hand.</summary>
public sealed class CashInterestTests
{
    private static readonly LocalDate Start = new(2026, 1, 1);

    private static readonly InterestRate[] Schedule =
    [
        new("CR-0", "USD", InterestSide.Credit, 0m, 0m, "ACT/360", Start),
        new("CR-1", "USD", InterestSide.Credit, 10_000m, 1.5m, "ACT/360", Start),
        new("CR-2", "USD", InterestSide.Credit, 100_000m, 3.0m, "ACT/360", Start),
        new("DR-0", "USD", InterestSide.Debit, 0m, 8.0m, "ACT/360", Start, new LocalDate(2026, 12, 1)),
        new("DR-1", "USD", InterestSide.Debit, 0m, 9.0m, "ACT/365F", new LocalDate(2026, 12, 1)),
    ];

    private static decimal Accrue(decimal balance, LocalDate from, LocalDate to) => CashInterest.Accrue(balance, Schedule, "USD", from, to, 2).Value;

    [Fact]
    public void Tiers_are_marginal_and_a_weekend_accrues_on_friday()
    {
        var friday = new LocalDate(2026, 11, 20);
        // 250,000 from Friday to Monday: 90,000 at 1.5% and 150,000 at 3% for 3/360: 11.25 + 37.50.
        Assert.Equal(48.75m, Accrue(250_000m, friday, friday.PlusDays(3)));
        // Below the first paying tier nothing accrues.
        Assert.Equal(0m, Accrue(9_999.99m, friday, friday.PlusDays(1)));
        // 20,000 for one day: 10,000 at 1.5% / 360 = 0.41666... → 0.42.
        Assert.Equal(0.42m, Accrue(20_000m, friday, friday.PlusDays(1)));
    }

    [Fact]
    public void Debit_balances_use_the_debit_rate_in_force()
    {
        // 5,000 owed for one day at 8% ACT/360: 1.1111 → 1.11; from December at 9% ACT/365F: 1.2329 → 1.23.
        Assert.Equal(1.11m, Accrue(-5_000m, new LocalDate(2026, 11, 30), new LocalDate(2026, 12, 1)));
        Assert.Equal(1.23m, Accrue(-5_000m, new LocalDate(2026, 12, 1), new LocalDate(2026, 12, 2)));
        Assert.Equal(0m, CashInterest.Accrue(-5_000m, Schedule, "EUR", Start, Start.PlusDays(1), 2).Value);
    }

    [Fact]
    public void Rounding_is_half_to_even_on_the_day_total()
    {
        // 13,000: 3,000 at 1.5% / 360 = 0.125 → 0.12 (half to even).
        Assert.Equal(0.12m, Accrue(13_000m, Start, Start.PlusDays(1)));
        // 15,000: 5,000 at 1.5% / 360 = 0.208333 → 0.21.
        Assert.Equal(0.21m, Accrue(15_000m, Start, Start.PlusDays(1)));
    }
}
