using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Domain.Tests.Trading;

/// <summary>Fee schedules against worked examples with published figures (sources in docs/reference/trades.md).</summary>
public sealed class FeeCalculatorTests
{
    private static readonly LocalDate Day = new(2026, 11, 25);

    private static FeeRule Rule(string code, FeeMethod method, decimal rate, FeeRounding rounding = FeeRounding.Nearest, decimal? min = null, decimal? max = null,
        TradeSide? side = null, string currency = "USD", LocalDate? from = null, LocalDate? to = null, string? account = null, string? country = null, FeeKind kind = FeeKind.Fee) => new()
        {
            Id = code + (from ?? LocalDate.MinIsoValue),
            Code = code,
            Kind = kind,
            Method = method,
            Rate = rate,
            Rounding = rounding,
            Minimum = min,
            Maximum = max,
            Side = side,
            Currency = currency,
            EffectiveFrom = from ?? new LocalDate(2000, 1, 1),
            EffectiveTo = to,
            Account = account,
            IssuerCountry = country,
        };

    private static IReadOnlyList<TradeCharge> Charges(IEnumerable<FeeRule> rules, TradeSide side, decimal quantity, decimal gross, string currency = "USD",
        string isin = "US0378331005", LocalDate? date = null, string account = "C-1") =>
        FeeCalculator.Compute(rules, account, "XNAS", AssetClass.Equity, isin, side, currency, date ?? Day, quantity, gross, 2);

    [Fact]
    public void Sec_section_31_fee_at_23_10_per_million_on_10000_of_sales_is_0_24_rounded_up()
    {
        // Published example: $10,000 x $0.0000231 = $0.231, rounded up to the nearest penny.
        FeeRule sec = Rule("SEC31", FeeMethod.Percent, 0.00231m, FeeRounding.Up, side: TradeSide.Sell);
        Assert.Equal(0.24m, Assert.Single(Charges([sec], TradeSide.Sell, 100, 10_000m)).Amount);
        Assert.Empty(Charges([sec], TradeSide.Buy, 100, 10_000m));
    }

    [Fact]
    public void Sec_fee_follows_the_rate_in_force_on_the_trade_date()
    {
        // FY2024 rate $27.80 per million from 2024-05-22; $0.00 from 2025-05-14 (SEC fee rate orders).
        FeeRule[] rules =
        [
            Rule("SEC31", FeeMethod.Percent, 0.00278m, FeeRounding.Up, side: TradeSide.Sell, from: new LocalDate(2024, 5, 22)),
            Rule("SEC31", FeeMethod.Percent, 0m, FeeRounding.Up, side: TradeSide.Sell, from: new LocalDate(2025, 5, 14)),
        ];
        Assert.Equal(2.78m, Assert.Single(Charges(rules, TradeSide.Sell, 1000, 100_000m, date: new LocalDate(2024, 6, 3))).Amount);
        Assert.Empty(Charges(rules, TradeSide.Sell, 1000, 100_000m, date: new LocalDate(2025, 6, 2)));
        Assert.Empty(Charges(rules, TradeSide.Sell, 1000, 100_000m, date: new LocalDate(2024, 5, 21)));
    }

    [Fact]
    public void Finra_taf_is_per_share_rounded_up_with_a_cap_per_trade()
    {
        // $0.000166 per share sold, at most $8.30 per trade: 1,000 shares cost $0.17 (0.166 rounded up).
        FeeRule taf = Rule("FINRA-TAF", FeeMethod.PerUnit, 0.000166m, FeeRounding.Up, min: 0.01m, max: 8.30m, side: TradeSide.Sell);
        Assert.Equal(0.17m, Charges([taf], TradeSide.Sell, 1_000, 50_000m).Single().Amount);
        Assert.Equal(8.30m, Charges([taf], TradeSide.Sell, 100_000, 5_000_000m).Single().Amount);
        Assert.Equal(0.01m, Charges([taf], TradeSide.Sell, 10, 500m).Single().Amount);
    }

    [Fact]
    public void French_ftt_taxes_purchases_of_french_shares_at_0_3_then_0_4_percent_from_april_2025()
    {
        FeeRule[] rules =
        [
            Rule("FR-FTT", FeeMethod.Percent, 0.3m, side: TradeSide.Buy, currency: "EUR", from: new LocalDate(2017, 1, 1), to: new LocalDate(2025, 4, 1), country: "FR", kind: FeeKind.Tax),
            Rule("FR-FTT", FeeMethod.Percent, 0.4m, side: TradeSide.Buy, currency: "EUR", from: new LocalDate(2025, 4, 1), country: "FR", kind: FeeKind.Tax),
        ];
        Assert.Equal(30.00m, Charges(rules, TradeSide.Buy, 100, 10_000m, "EUR", "FR0000120271", new LocalDate(2025, 3, 31)).Single().Amount);
        Assert.Equal(40.00m, Charges(rules, TradeSide.Buy, 100, 10_000m, "EUR", "FR0000120271", new LocalDate(2025, 4, 1)).Single().Amount);
        Assert.Empty(Charges(rules, TradeSide.Sell, 100, 10_000m, "EUR", "FR0000120271"));
        Assert.Empty(Charges(rules, TradeSide.Buy, 100, 10_000m, "EUR", "DE0007164600"));
    }

    [Fact]
    public void Percent_commission_with_minimum_and_maximum_and_an_account_rule_that_beats_the_general_one()
    {
        FeeRule general = Rule("COMMISSION", FeeMethod.Percent, 0.10m, min: 5m, max: 100m, kind: FeeKind.Commission);
        FeeRule negotiated = Rule("COMMISSION", FeeMethod.Percent, 0.05m, account: "C-VIP", kind: FeeKind.Commission);
        Assert.Equal(5.00m, Charges([general, negotiated], TradeSide.Buy, 10, 1_000m).Single().Amount);
        Assert.Equal(20.00m, Charges([general, negotiated], TradeSide.Buy, 10, 20_000m).Single().Amount);
        Assert.Equal(100.00m, Charges([general, negotiated], TradeSide.Buy, 10, 500_000m).Single().Amount);
        Assert.Equal(250.00m, Charges([general, negotiated], TradeSide.Buy, 10, 500_000m, account: "C-VIP").Single().Amount);
    }

    [Fact]
    public void Charges_carry_the_currency_decimal_places_and_rounding_is_explicit()
    {
        FeeRule flat = Rule("TICKET", FeeMethod.Flat, 1m);
        Assert.Equal("1.00", Charges([flat], TradeSide.Buy, 1, 10m).Single().Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0.13m, FeeCalculator.Round(0.125m, 2, FeeRounding.Nearest));
        Assert.Equal(0.13m, FeeCalculator.Round(0.121m, 2, FeeRounding.Up));
        Assert.Equal(0.12m, FeeCalculator.Round(0.129m, 2, FeeRounding.Down));
    }

    [Fact]
    public void A_rule_in_another_currency_does_not_apply()
    {
        FeeRule euro = Rule("COMMISSION", FeeMethod.Flat, 3m, currency: "EUR", kind: FeeKind.Commission);
        Assert.Empty(Charges([euro], TradeSide.Buy, 1, 10m, "USD"));
    }
}
