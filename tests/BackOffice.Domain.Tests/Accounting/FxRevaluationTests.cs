using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using CsCheck;
using NodaTime;

namespace BackOffice.Domain.Tests.Accounting;

public sealed class FxRevaluationTests
{
    private static readonly LocalDate D1 = new(2026, 11, 23), D2 = new(2026, 11, 24), D3 = new(2026, 11, 25);

    [Fact]
    public void Each_flow_is_valued_at_its_days_rate_and_the_position_at_the_closing_rate()
    {
        // 1,000 EUR at 1.10 and 500 at 1.15 cost 1,675 USD; at 1.05 the 1,500 are worth 1,575: a loss of 100.
        (LocalDate, decimal)[] rates = [(D1, 1.10m), (D2, 1.15m), (D3, 1.05m)];
        Result<CurrencyRevaluation> result = FxRevaluation.Revalue("EUR", "USD", [new(D1, 1000m), new(D2, 500m)], rates, D3, 2);
        Assert.True(result.IsAccepted);
        Assert.Equal(1500m, result.Value.Position);
        Assert.Equal(1675m, result.Value.HistoricalValue);
        Assert.Equal(1575m, result.Value.ClosingValue);
        Assert.Equal(-100m, result.Value.Unrealized);
        Assert.Equal(D3, result.Value.ClosingRateDate);
    }

    [Fact]
    public void A_day_without_its_own_rate_takes_the_last_one_before_it()
    {
        (LocalDate, decimal)[] rates = [(D1, 1.10m)];
        Result<CurrencyRevaluation> result = FxRevaluation.Revalue("EUR", "USD", [new(D2, 100m)], rates, D3, 2);
        Assert.Equal(0m, result.Value.Unrealized);
        Assert.Equal(D1, result.Value.ClosingRateDate);
    }

    [Fact]
    public void A_flow_before_any_rate_is_refused_naming_the_pair_and_date()
    {
        Result<CurrencyRevaluation> result = FxRevaluation.Revalue("EUR", "USD", [new(D1, 100m)], [(D2, 1.1m)], D3, 2);
        Assert.Equal("eod.fx-rate", result.Rejection!.Rule);
        Assert.Contains("EUR/USD", result.Rejection.Message, StringComparison.Ordinal);
        Assert.Contains("2026-11-23", result.Rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inverse_quotes_are_inverted_and_a_direct_quote_of_the_same_day_wins()
    {
        FxRate[] quotes = [new("USD", "EUR", D1, 0.8m, "x"), new("USD", "EUR", D2, 0.5m, "x"), new("EUR", "USD", D2, 1.9m, "y")];
        var rates = FxRevaluation.Rates("EUR", "USD", quotes);
        Assert.Equal([(D1, 1.25m), (D2, 1.9m)], rates);
    }

    [Fact]
    public void With_one_rate_throughout_nothing_is_unrealized()
    {
        Gen.Select(Gen.Decimal[-1_000_000m, 1_000_000m].Select(d => Math.Round(d, 2, MidpointRounding.ToEven)).Array[1, 20], Gen.Decimal[0.5m, 2m].Select(d => Math.Round(d, 6, MidpointRounding.ToEven)))
            .Sample((amounts, rate) =>
            {
                CurrencyFlow[] flows = [.. amounts.Select((a, i) => new CurrencyFlow(D1.PlusDays(i), a))];
                Result<CurrencyRevaluation> result = FxRevaluation.Revalue("EUR", "USD", flows, [(D1, rate)], D1.PlusDays(amounts.Length), 2);
                return result.Value.Unrealized == 0m && result.Value.Position == amounts.Sum();
            });
    }
}
