using BackOffice.Domain.Calendar;
using CsCheck;
using NodaTime;
using static BackOffice.Domain.Tests.Calendar.CalendarTestData;

namespace BackOffice.Domain.Tests.Calendar;

/// <summary>The laws of business-day arithmetic and of settlement dates, over random dates, calendars and cycles.</summary>
public sealed class BusinessCalendarPropertyTests
{
    private static readonly int CoveredDays = Period.DaysBetween(BusinessCalendar.FirstCoveredDate, BusinessCalendar.LastCoveredDate) + 1;

    // Dates up to 60 days before the end of the range, so a T+10 or a 30-day shift always stays inside it.
    private static readonly Gen<LocalDate> Dates = Gen.Int[0, CoveredDays - 61].Select(BusinessCalendar.FirstCoveredDate.PlusDays);
    private static readonly Gen<string> Codes = Gen.OneOf(MarketCalendars.Codes.ToArray());
    private static readonly Gen<string> Markets = Gen.OneOf(SettlementDates.Markets.ToArray());

    [Fact]
    public void Adding_n_business_days_then_counting_back_gives_n()
    {
        Gen.Select(Codes, Dates, Gen.Int[0, 30]).Sample((code, date, n) =>
        {
            BusinessCalendar calendar = CalendarFor(code);
            LocalDate later = calendar.AddBusinessDays(date, n);

            Assert.Equal(n, calendar.BusinessDaysBetween(date, later));
            if (n > 0)
            {
                Assert.True(later > date);
                Assert.True(calendar.IsBusinessDay(later));
            }
        });
    }

    [Fact]
    public void Going_forward_then_back_from_a_business_day_returns_to_it()
    {
        Gen.Select(Codes, Dates, Gen.Int[1, 30]).Sample((code, date, n) =>
        {
            BusinessCalendar calendar = CalendarFor(code);
            if (!calendar.IsBusinessDay(date))
            {
                return;
            }
            Assert.Equal(date, calendar.AddBusinessDays(calendar.AddBusinessDays(date, n), -n));
        });
    }

    [Fact]
    public void Adding_business_days_agrees_with_stepping_one_day_at_a_time()
    {
        Gen.Select(Codes, Dates, Gen.Int[-10, 10]).Sample((code, date, n) =>
        {
            if (date.Year == BusinessCalendar.FirstCoveredYear && n < 0)
            {
                return; // stepping back could leave the range
            }
            BusinessCalendar calendar = CalendarFor(code);
            LocalDate stepped = date;
            for (int remaining = Math.Abs(n); remaining > 0;)
            {
                stepped = stepped.PlusDays(Math.Sign(n));
                bool weekday = stepped.DayOfWeek < IsoDayOfWeek.Saturday;
                if (weekday && !calendar.Holidays(stepped.Year).Contains(stepped))
                {
                    remaining--;
                }
            }
            Assert.Equal(stepped, calendar.AddBusinessDays(date, n));
        });
    }

    [Fact]
    public void A_settlement_date_is_a_settlement_business_day_after_the_trade_date()
    {
        Gen.Select(Markets, Dates, Gen.Int[0, SettlementDates.CycleDaysMax + 1]).Sample((mic, tradeDate, draw) =>
        {
            int? cycle = draw > SettlementDates.CycleDaysMax ? null : draw; // one draw in twelve uses the standard cycle
            SettlementDateResult result = SettlementDates.Compute(mic, tradeDate, cycle);

            if (!CalendarFor(mic).IsBusinessDay(tradeDate))
            {
                Assert.Equal("settlement.trade-date-not-business-day", result.Rejection!.Rule);
                return;
            }
            BusinessCalendar settlement = CalendarFor(result.SettlementCalendarCode);
            Assert.True(settlement.IsBusinessDay(result.SettlementDate));
            Assert.Equal(cycle ?? SettlementDates.StandardCycle(mic, tradeDate), result.CycleDays);
            if (result.CycleDays > 0)
            {
                Assert.True(result.SettlementDate > tradeDate);
                Assert.Equal(result.CycleDays, settlement.BusinessDaysBetween(tradeDate, result.SettlementDate));
            }
            else
            {
                Assert.True(result.SettlementDate >= tradeDate);
            }
        });
    }
}
