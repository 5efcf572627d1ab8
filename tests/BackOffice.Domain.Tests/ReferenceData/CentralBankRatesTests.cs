using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Settlement;
using CsCheck;
using NodaTime;

namespace BackOffice.Domain.Tests.ReferenceData;

/// <summary>
/// The central bank rate in force on a day, and the rules close-out rules, central bank rates and
/// an instrument's CSDR category are held to when loaded.
/// </summary>
public sealed class CentralBankRatesTests
{
    private static readonly CentralBankRate[] s_rates =
    [
        new("EUR", new LocalDate(2025, 6, 11), 0.0240m, "ECB marginal lending facility"),
        new("USD", new LocalDate(2025, 1, 1), 0.0450m, "Federal Reserve primary credit rate"),
        new("EUR", new LocalDate(2024, 6, 12), 0.0450m, "ECB marginal lending facility"),
        new("EUR", new LocalDate(2025, 4, 23), 0.0265m, "ECB marginal lending facility"),
        new("CHF", new LocalDate(2015, 1, 15), -0.0050m, "test rate below zero"),
    ];

    [Theory]
    [InlineData("EUR", "2024-06-11", null)]
    [InlineData("EUR", "2024-06-12", "0.0450")]
    [InlineData("EUR", "2025-04-22", "0.0450")]
    [InlineData("EUR", "2025-04-23", "0.0265")]
    [InlineData("EUR", "2025-06-10", "0.0265")]
    [InlineData("EUR", "2025-06-11", "0.0240")]
    [InlineData("EUR", "2030-01-01", "0.0240")]
    [InlineData("USD", "2025-06-11", "0.0450")]
    [InlineData("CHF", "2016-01-01", "-0.0050")]
    [InlineData("GBP", "2025-06-11", null)]
    [InlineData("eur", "2025-06-11", null)]
    public void The_rate_on_a_day_is_the_latest_effective_on_or_before_it_in_any_row_order(string currency, string day, string? expected)
    {
        LocalDate date = NodaTime.Text.LocalDatePattern.Iso.Parse(day).Value;
        decimal? rate = CentralBankRates.RateOn(s_rates, currency, date);
        Assert.Equal(expected, rate?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(rate, CentralBankRates.RateOn([.. s_rates.Reverse()], currency, date));
    }

    [Fact]
    public void No_rates_give_no_rate()
    {
        Assert.Null(CentralBankRates.RateOn([], "EUR", new LocalDate(2025, 6, 11)));
    }

    [Fact]
    public void The_rate_is_the_one_a_linear_scan_of_the_sorted_rows_finds()
    {
        Gen.Select(Gen.Int[0, 30].Array[0, 12], Gen.Int[-5, 35]).Sample((offsets, dayOffset) =>
        {
            var start = new LocalDate(2025, 1, 1);
            CentralBankRate[] rates = [.. offsets.Distinct().Select(o => new CentralBankRate("EUR", start.PlusDays(o), o / 1000m, "test"))];
            LocalDate day = start.PlusDays(dayOffset);
            decimal? expected = null;
            foreach (CentralBankRate rate in rates.OrderBy(r => r.EffectiveFrom))
            {
                if (rate.EffectiveFrom <= day)
                {
                    expected = rate.Rate;
                }
            }
            Assert.Equal(expected, CentralBankRates.RateOn(rates, "EUR", day));
        });
    }

    private static readonly KnownReference s_known = new(
        new HashSet<string>(["EUR", "USD"], StringComparer.Ordinal), new HashSet<string>(["XPAR"], StringComparer.Ordinal),
        new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal), new Dictionary<string, int>(StringComparer.Ordinal));

    public static TheoryData<string, string, string> BadCloseOutRules => new()
    {
        { "csdr-art7|||0", "close-out.business-days", "business_days must be 1 to 250, not 0" },
        { "csdr-art7|||251", "close-out.business-days", "not 251" },
        { "csdr art7|||4", "reference.code", "without spaces" },
        { "|||4", "close-out.name", "name is required" },
        { "paris|fr||4", "close-out.market", "market 'fr'" },
        { "london|UK||4", "close-out.market", "market 'UK'" },
        { "london|GBR||4", "close-out.market", "market 'GBR'" },
        { "odd||99|4", "close-out.category", "category 99" },
    };

    [Theory]
    [MemberData(nameof(BadCloseOutRules))]
    public void A_close_out_rule_is_checked_row_by_row(string row, string rule, string says)
    {
        string[] f = row.Split('|');
        var bad = new CloseOutRule(f[0], f[1].Length == 0 ? null : f[1], f[2].Length == 0 ? null : (PenaltyAssetClass)int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture),
            null, int.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture));
        var changes = new ReferenceChanges { CloseOutRules = [new CloseOutRule("csdr-art7-sme", null, PenaltyAssetClass.SmeNonDebt, null, 15), bad] };
        var rejection = ReferenceRules.Validate(changes, s_known, ["r.csv:2", "r.csv:3"]);
        Assert.NotNull(rejection);
        Assert.Equal(rule, rejection.Rule);
        Assert.Equal("r.csv:3", rejection.Location);
        Assert.Contains(says, rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_close_out_rules_central_bank_rates_and_categories_pass_and_count()
    {
        var changes = new ReferenceChanges
        {
            CloseOutRules = [.. CloseOutRules.Defaults.Take(3), new CloseOutRule("reg-sho-204", "US", null, AssetClass.Equity, 1), new CloseOutRule("year", null, null, null, 250)],
            CentralBankRates = [new("EUR", new LocalDate(2025, 6, 11), 0.024m, "ECB"), new("USD", new LocalDate(2025, 6, 11), -0.999m, "test"), new("EUR", new LocalDate(2025, 4, 23), 0.999m, "test")],
            Instruments = [new Instrument("FR0000120271", "TotalEnergies", AssetClass.Equity, "EUR", "XPAR", null, null, null, null, 0) { CsdrCategory = PenaltyAssetClass.ShareIlliquid }],
        };
        Assert.Null(ReferenceRules.Validate(changes, s_known));
        Assert.Equal(9, changes.Count);
    }

    [Theory]
    [InlineData("EUR", "1", "central-bank-rate.rate")]
    [InlineData("EUR", "-1", "central-bank-rate.rate")]
    [InlineData("EUR", "-0.0050", null)]
    [InlineData("GBP", "0.05", "reference.unknown")]
    public void A_central_bank_rate_needs_a_known_currency_and_a_rate_between_minus_one_and_one(string currency, string rate, string? rule)
    {
        var changes = new ReferenceChanges
        {
            CentralBankRates = [new(currency, new LocalDate(2025, 6, 11), decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), "source")],
        };
        Assert.Equal(rule, ReferenceRules.Validate(changes, s_known)?.Rule);
    }

    [Fact]
    public void An_undefined_csdr_category_is_refused()
    {
        var changes = new ReferenceChanges
        {
            Instruments = [new Instrument("FR0000120271", "TotalEnergies", AssetClass.Equity, "EUR", "XPAR", null, null, null, null, 0) { CsdrCategory = (PenaltyAssetClass)0 }],
        };
        Assert.Equal("instrument.csdr-category", ReferenceRules.Validate(changes, s_known)?.Rule);
    }
}
