using BackOffice.Domain.Calendar;
using static BackOffice.Domain.Tests.Calendar.CalendarTestData;

namespace BackOffice.Domain.Tests.Calendar;

/// <summary>
/// Settlement dates against published settlement schedules and migration notices (FINRA trade
/// date / settlement date schedules, EuroCCP and JSDA migration notices, Deutsche Börse circulars).
/// </summary>
public sealed class SettlementDatesTests
{
    [Theory]
    // Columbus Day 2025-10-13: the NYSE trades but the Federal Reserve (so DTC) is closed; a Friday trade settles Tuesday.
    [InlineData("XNYS", "2025-10-10", "2025-10-14", 1, "DTC")]
    // A trade on Columbus Day itself counts from the next DTC day (FINRA Notice to Members 99-83: Oct 11 1999 trades
    // settled with Oct 8 trades); T+1 is Tuesday.
    [InlineData("XNYS", "2025-10-13", "2025-10-14", 1, "DTC")]
    // Veterans Day 2025-11-11 (Tuesday): Monday's trade settles Wednesday.
    [InlineData("XNAS", "2025-11-10", "2025-11-12", 1, "DTC")]
    // National day of mourning 2025-01-09: a trade on 8 January settles on 10 January.
    [InlineData("XNYS", "2025-01-08", "2025-01-10", 1, "DTC")]
    // T+2 over Memorial Day 2024-05-27, then T+1 from trade date 2024-05-28: both settle 2024-05-29.
    [InlineData("XNYS", "2024-05-24", "2024-05-29", 2, "DTC")]
    [InlineData("XNYS", "2024-05-28", "2024-05-29", 1, "DTC")]
    // T+3 to T+2 on 2017-09-05 (SEC Rule 15c6-1): Friday 1 September (Labor Day on the 4th) and Tuesday 5 September
    // both settle on 7 September.
    [InlineData("XNYS", "2017-09-01", "2017-09-07", 3, "DTC")]
    [InlineData("XNYS", "2017-09-05", "2017-09-07", 2, "DTC")]
    // Euronext: T+2 over Easter 2025 on TARGET2 days.
    [InlineData("XPAR", "2025-04-17", "2025-04-23", 2, "TARGET2")]
    // EuroCCP notice 11 June 2014: trades of Friday 3 October (T+3) and Monday 6 October (T+2) both settle 8 October.
    [InlineData("XAMS", "2014-10-03", "2014-10-08", 3, "TARGET2")]
    [InlineData("XAMS", "2014-10-06", "2014-10-08", 2, "TARGET2")]
    // Xetra: 24 December is a settlement day although Xetra does not trade (Deutsche Börse Readiness Newsflash, 26 Nov 2025).
    [InlineData("XETR", "2025-12-23", "2025-12-29", 2, "TARGET2")]
    // Xetra: Whit Monday 2021 was a non-trading day but a settlement day (FWB calendar: "Erfüllungstag").
    [InlineData("XETR", "2021-05-21", "2021-05-25", 2, "TARGET2")]
    // London: 2027 Christmas and Boxing Day substitutes (Monday 27, Tuesday 28 December).
    [InlineData("XLON", "2027-12-23", "2027-12-29", 2, "XLON")]
    [InlineData("XLON", "2014-10-03", "2014-10-08", 3, "XLON")]
    // Tokyo: the 2026 Silver Week (21, 22, 23 September) and the T+2 migration on 2019-07-16 (JSDA: trades of
    // 12 July (T+3) and 16 July (T+2) both settle 18 July).
    [InlineData("XTKS", "2026-09-18", "2026-09-25", 2, "XTKS")]
    [InlineData("XTKS", "2019-07-12", "2019-07-18", 3, "XTKS")]
    [InlineData("XTKS", "2019-07-16", "2019-07-18", 2, "XTKS")]
    public void Standard_cycle_on_the_settlement_calendar(string mic, string trade, string expected, int cycle, string settlementCode)
    {
        SettlementDateResult result = SettlementDates.Compute(mic, D(trade), null);

        Assert.True(result.IsAccepted, result.RejectionReason);
        Assert.Equal(D(expected), result.SettlementDate);
        Assert.Equal(cycle, result.CycleDays);
        Assert.Equal(settlementCode, result.SettlementCalendarCode);
        Assert.Equal(cycle, SettlementDates.StandardCycle(mic, D(trade)));
    }

    [Theory]
    [InlineData("XNYS", "2017-09-04", 3)]
    [InlineData("XNYS", "2024-05-27", 2)]
    [InlineData("XLON", "2014-10-05", 3)]
    [InlineData("XPAR", "2014-10-06", 2)]
    [InlineData("XETR", "2005-06-01", 2)]
    [InlineData("XTKS", "2019-07-15", 3)]
    [InlineData("XTKS", "2030-12-31", 2)]
    public void Standard_cycle_history(string mic, string trade, int expected)
    {
        Assert.Equal(expected, SettlementDates.StandardCycle(mic, D(trade)));
    }

    [Fact]
    public void An_explicit_cycle_overrides_the_standard_one()
    {
        SettlementDateResult result = SettlementDates.Compute("XNYS", D("2025-10-10"), 3);

        Assert.Equal(D("2025-10-16"), result.SettlementDate);
        Assert.Equal(3, result.CycleDays);
    }

    [Theory]
    // T+0 settles on the trade date when DTC is open, else on the next DTC day (Columbus Day).
    [InlineData("2025-10-14", "2025-10-14")]
    [InlineData("2025-10-13", "2025-10-14")]
    public void Same_day_settlement(string trade, string expected)
    {
        SettlementDateResult result = SettlementDates.Compute("XNYS", D(trade), 0);

        Assert.Equal(D(expected), result.SettlementDate);
        Assert.Equal(0, result.CycleDays);
    }

    [Theory]
    [InlineData("XNYS", "2025-12-25", null, "settlement.trade-date-not-business-day", "trade date 2025-12-25 is not a business day of XNYS")]
    [InlineData("XETR", "2025-12-24", null, "settlement.trade-date-not-business-day", "trade date 2025-12-24 is not a business day of XETR")]
    [InlineData("xlon", "2025-12-27", null, "settlement.trade-date-not-business-day", "trade date 2025-12-27 is not a business day of XLON")]
    [InlineData("XNYS", "1999-12-30", null, "settlement.trade-date-outside-calendar", "trade date 1999-12-30 is outside the covered range 2000-01-01..2030-12-31")]
    [InlineData("XNYS", "2025-10-10", 11, "settlement.cycle-out-of-range", "settlement cycle T+11 is outside T+0..T+10")]
    [InlineData("XNYS", "2025-10-10", -1, "settlement.cycle-out-of-range", "settlement cycle T+-1 is outside T+0..T+10")]
    [InlineData("DTC", "2025-10-10", null, "settlement.unknown-market", "'DTC' is not a market with settlement rules; known: XNYS, XNAS, XLON, XPAR, XAMS, XETR, XTKS")]
    // Order of checks: the unknown market is reported before the bad cycle and the bad date.
    [InlineData("XXXX", "1999-12-30", 99, "settlement.unknown-market", "'XXXX' is not a market with settlement rules; known: XNYS, XNAS, XLON, XPAR, XAMS, XETR, XTKS")]
    public void Rejections_name_the_rule(string mic, string trade, int? cycle, string rule, string message)
    {
        SettlementDateResult result = SettlementDates.Compute(mic, D(trade), cycle);

        Assert.False(result.IsAccepted);
        Assert.Equal(rule, result.Rejection!.Rule);
        Assert.Equal(message, result.RejectionReason);
        Assert.Equal(string.Empty, result.SettlementCalendarCode);
    }

    [Fact]
    public void A_settlement_date_past_the_covered_range_is_rejected_with_the_range()
    {
        SettlementDateResult result = SettlementDates.Compute("XNYS", D("2030-12-31"), null);

        Assert.False(result.IsAccepted);
        Assert.Equal("settlement.date-outside-calendar", result.Rejection!.Rule);
        Assert.Contains("2000-01-01..2030-12-31", result.RejectionReason, StringComparison.Ordinal);
        Assert.Throws<Primitives.InvariantViolationException>(() => result.SettlementDate);
    }

    [Fact]
    public void Standard_cycle_of_an_unknown_market_is_a_caller_error()
    {
        Assert.Throws<ArgumentException>(() => SettlementDates.StandardCycle("TARGET2", D("2025-01-02")));
    }
}
