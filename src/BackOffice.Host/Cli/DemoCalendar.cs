using BackOffice.Domain.Calendar;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Host.Cli;

/// <summary>The demo's calendar section: when the demo trade settles, and why.</summary>
internal static class DemoCalendar
{
    public static async Task PrintAsync(TextWriter output)
    {
        var tradeDate = new LocalDate(2026, 11, 25);
        SettlementDateResult result = SettlementDates.Compute("XNAS", tradeDate, null);
        await output.WriteLineAsync(
            $"calendar: trades on XNAS on {LocalDatePattern.Iso.Format(tradeDate)} settle T+{result.CycleDays} on " +
            $"{LocalDatePattern.Iso.Format(result.SettlementDate)} ({result.SettlementCalendarCode} calendar: 2026-11-26 is Thanksgiving)");
    }
}
