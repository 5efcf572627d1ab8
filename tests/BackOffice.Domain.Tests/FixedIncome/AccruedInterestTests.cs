using BackOffice.Domain.FixedIncome;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Domain.Tests.FixedIncome;

public sealed class AccruedInterestTests
{
    // A 4.25% semi-annual note, ACT/ACT-ICMA, dated 2024-11-15, maturing 2034-11-15.
    private static readonly BondTerms Note = new(0.0425m, 2, "ACT/ACT-ICMA", new LocalDate(2024, 11, 15), new LocalDate(2025, 5, 15), new LocalDate(2034, 11, 15), false);

    /// <summary>Equal to 20 decimal places (decimal division rounds its last digit by operation order).</summary>
    private static void Same(decimal expected, decimal actual) =>
        Assert.Equal(Math.Round(expected, 20, MidpointRounding.ToEven), Math.Round(actual, 20, MidpointRounding.ToEven));

    [Fact]
    public void Accrued_is_the_coupon_times_days_over_the_period_days()
    {
        // 87 days of the 181-day period from 2024-11-15 to 2025-05-15: 2.125 × 87 / 181 per 100 face.
        decimal accrued = AccruedInterest.Compute(100m, Note, new LocalDate(2025, 2, 10)).Value;
        Same(2.125m * 87m / 181m, accrued);
        Assert.Equal(0m, AccruedInterest.Compute(100m, Note, new LocalDate(2025, 5, 15)).Value);
        // In the second period, from 2025-05-15 (184 days to 2025-11-15).
        Same(2.125m * 31m / 184m, AccruedInterest.Compute(100m, Note, new LocalDate(2025, 6, 15)).Value);
    }

    [Fact]
    public void A_long_first_period_accrues_through_its_quasi_coupon_periods()
    {
        BondTerms longFirst = Note with { DatedDate = new LocalDate(2024, 9, 1) };
        // From 2024-09-01 to 2024-11-15 in the quasi period 2024-05-15..2024-11-15 (184 days), then 87 days in the regular one.
        decimal expected = 0.0425m * 100m * ((75m / (2m * 184m)) + (87m / (2m * 181m)));
        Same(expected, AccruedInterest.Compute(100m, longFirst, new LocalDate(2025, 2, 10)).Value);
    }

    [Fact]
    public void Other_day_counts_and_bad_dates()
    {
        BondTerms thirty = Note with { DayCount = "30/360-US" };
        // 2024-11-15 to 2025-02-10 is 85 days in 30/360.
        Same(0.0425m * 1_000_000m * 85m / 360m, AccruedInterest.Compute(1_000_000m, thirty, new LocalDate(2025, 2, 10)).Value);
        Assert.Equal("bond.settlement-date", AccruedInterest.Compute(100m, Note, new LocalDate(2024, 11, 1)).Rejection?.Rule);
        Assert.Equal("bond.settlement-date", AccruedInterest.Compute(100m, Note, new LocalDate(2034, 11, 15)).Rejection?.Rule);
    }

    [Fact]
    public void A_bond_trade_pays_clean_consideration_plus_accrued_plus_fees()
    {
        var bond = new Instrument("US91282CLW90", "US Treasury 4.25% 2034", AssetClass.Debt, "USD", "XNYS", null, null, null, null, 0) { Bond = Note };
        var reference = new TradeReferenceData([bond], [new ClientAccount("C-1", "Client", "5493000DEMO0CLIENT70", "USD", "NYC", ClientAccountStatus.Open, new LocalDate(2024, 1, 1))],
            [new Party("5493000DEMO0BROKER41", "Broker", PartyRole.Counterparty, null)], [new Currency("USD", 840, 2, "US Dollar")], [new Market("XNYS", "NYSE", "US")],
            [new FeeRule { Id = "c", Code = "COMMISSION", Kind = FeeKind.Commission, Method = FeeMethod.Flat, Rate = 25m, Currency = "USD" }], []);
        var request = new TradeRequest
        {
            Source = "OMS",
            SourceTradeId = "B1",
            Side = TradeSide.Buy,
            Instrument = new InstrumentReference(InstrumentIdType.Isin, "US91282CLW90"),
            Quantity = 1_000_000m,
            Price = 99.50m,
            Currency = "USD",
            Account = "C-1",
            Counterparty = "5493000DEMO0BROKER41",
            TradeDate = new LocalDate(2025, 2, 7),
            SettlementDate = new LocalDate(2025, 2, 10),
        };
        EnrichedTrade trade = TradeRules.Enrich(request, reference).Value;
        Assert.Equal(995_000.00m, trade.Gross);
        Assert.Equal(Math.Round(1_000_000m * 0.0425m * 87m / 362m, 2, MidpointRounding.AwayFromZero), trade.AccruedInterest);
        Assert.Equal(trade.Gross + trade.AccruedInterest + 25m, trade.Net);
    }

    [Fact]
    public void Agrees_with_QuantLib_fixed_rate_bonds_on_regular_schedules()
    {
        (string DayCount, QLNet.DayCounter QuantLib)[] conventions =
        [
            ("ACT/ACT-ICMA", new QLNet.ActualActual(QLNet.ActualActual.Convention.ISMA)),
            ("30/360-BOND-BASIS", new QLNet.Thirty360(QLNet.Thirty360.Thirty360Convention.BondBasis)),
            ("ACT/360", new QLNet.Actual360()),
            ("ACT/365F", new QLNet.Actual365Fixed()),
        ];
        var issue = new LocalDate(2020, 3, 10);
        var maturity = new LocalDate(2030, 3, 10);
        foreach (int frequency in new[] { 1, 2, 4 })
        {
            foreach (var (name, dayCounter) in conventions)
            {
                var terms = new BondTerms(0.0375m, frequency, name, issue, AccruedInterest.Step(issue, 12 / frequency, false), maturity, false);
                var schedule = new QLNet.Schedule(Ql(issue), Ql(maturity), new QLNet.Period((QLNet.Frequency)frequency), new QLNet.NullCalendar(),
                    QLNet.BusinessDayConvention.Unadjusted, QLNet.BusinessDayConvention.Unadjusted, QLNet.DateGeneration.Rule.Forward, false);
                var bond = new QLNet.FixedRateBond(0, 100, schedule, [0.0375], dayCounter, QLNet.BusinessDayConvention.Unadjusted, 100, Ql(issue));
                for (int days = 0; days < 3_600; days += 37)
                {
                    LocalDate settlement = issue.PlusDays(days);
                    decimal ours = AccruedInterest.Compute(100m, terms, settlement).Value;
                    double theirs = bond.accruedAmount(Ql(settlement));
                    Assert.True(Math.Abs((double)ours - theirs) < 1e-9, $"{name} {frequency}/year at {settlement}: {ours} vs QuantLib {theirs}");
                }
            }
        }
    }

    private static QLNet.Date Ql(LocalDate date) => new(date.Day, (QLNet.Month)date.Month, date.Year);
}
