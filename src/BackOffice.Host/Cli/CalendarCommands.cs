using System.CommandLine;
using BackOffice.Domain.Calendar;
using BackOffice.Domain.Primitives;
using BackOffice.Intake.Csv;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Host.Cli;

/// <summary>calendar settlement-date and calendar is-business-day, one value or a CSV file of them.</summary>
internal static class CalendarCommands
{
    public static Command Build(CliContext context)
    {
        return new Command("calendar", "Market holiday calendars (2000-2030) and settlement dates: " + string.Join(", ", MarketCalendars.Codes))
        {
            SettlementDate(context),
            IsBusinessDay(context),
        };
    }

    private static Command SettlementDate(CliContext context)
    {
        var market = new Option<string?>("--market") { Description = "MIC of the market, e.g. XNYS" };
        var tradeDate = new Option<string?>("--trade-date") { Description = "trade date, yyyy-MM-dd" };
        var cycle = new Option<int?>("--cycle") { Description = $"settlement cycle in business days (0-{SettlementDates.CycleDaysMax}); default: the market's standard cycle on the trade date" };
        var file = new Option<FileInfo?>("--file") { Description = "CSV with columns market,trade_date[,cycle]; prints the rows with settlement_date appended" };
        var command = new Command("settlement-date", "Print the settlement date: trade date plus the cycle in business days of the settlement system (DTC for US, TARGET2 for the euro area)")
        {
            market, tradeDate, cycle, file,
        };
        command.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(file) is { } input)
            {
                return await FileAsync(context, input, ["market", "trade_date"], "settlement_date", row =>
                {
                    string cycleText = row["cycle"];
                    int? days = null;
                    if (cycleText.Length > 0)
                    {
                        if (!int.TryParse(cycleText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int d))
                        {
                            return new Rejection("settlement.cycle-out-of-range", $"cycle must be a whole number 0-{SettlementDates.CycleDaysMax}, not '{cycleText}'");
                        }
                        days = d;
                    }
                    return Settle(row["market"], row["trade_date"], days);
                }, ct);
            }
            if (parsed.GetValue(market) is not { } mic || parsed.GetValue(tradeDate) is not { } date)
            {
                await context.Error.WriteLineAsync("error: give --market and --trade-date, or --file");
                return ExitCodes.Usage;
            }
            Result<string> result = Settle(mic, date, parsed.GetValue(cycle));
            return await PrintAsync(context, result);
        });
        return command;
    }

    private static Command IsBusinessDay(CliContext context)
    {
        var market = new Option<string?>("--market") { Description = "MIC of the market, or TARGET2, USFED, DTC" };
        var date = new Option<string?>("--date") { Description = "the date, yyyy-MM-dd" };
        var file = new Option<FileInfo?>("--file") { Description = "CSV with columns market,date; prints the rows with is_business_day appended" };
        var command = new Command("is-business-day", "Print true or false: is the market open (or the settlement system working) on the date") { market, date, file };
        command.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(file) is { } input)
            {
                return await FileAsync(context, input, ["market", "date"], "is_business_day", row => Open(row["market"], row["date"]), ct);
            }
            if (parsed.GetValue(market) is not { } mic || parsed.GetValue(date) is not { } day)
            {
                await context.Error.WriteLineAsync("error: give --market and --date, or --file");
                return ExitCodes.Usage;
            }
            return await PrintAsync(context, Open(mic, day));
        });
        return command;
    }

    private static Result<string> Settle(string mic, string tradeDate, int? cycle)
    {
        if (!TryDate(tradeDate, "trade_date", out LocalDate date, out Rejection? bad))
        {
            return bad!;
        }
        SettlementDateResult result = SettlementDates.Compute(mic, date, cycle);
        return result.IsAccepted ? LocalDatePattern.Iso.Format(result.SettlementDate) : result.Rejection!;
    }

    private static Result<string> Open(string code, string dateText)
    {
        if (!TryDate(dateText, "date", out LocalDate date, out Rejection? bad))
        {
            return bad!;
        }
        if (!MarketCalendars.TryGetTradingCalendar(code, out BusinessCalendar calendar))
        {
            return new Rejection("calendar.unknown", $"no calendar for '{code}'; known: {string.Join(", ", MarketCalendars.Codes)}");
        }
        if (!BusinessCalendar.Covers(date))
        {
            return new Rejection("calendar.date-outside-calendar", $"{dateText} is outside the covered range {BusinessCalendar.CoveredRangeText}");
        }
        return calendar.IsBusinessDay(date) ? "true" : "false";
    }

    private static bool TryDate(string text, string field, out LocalDate date, out Rejection? rejection)
    {
        ParseResult<LocalDate> parsed = LocalDatePattern.Iso.Parse(text);
        date = parsed.Success ? parsed.Value : default;
        rejection = parsed.Success ? null : new Rejection("field.date", $"{field} must be a date as yyyy-MM-dd, not '{text}'");
        return parsed.Success;
    }

    private static async Task<int> PrintAsync(CliContext context, Result<string> result)
    {
        if (result.Rejection is { } rejection)
        {
            await context.RejectAsync(rejection);
            return ExitCodes.Refused;
        }
        await context.Output.WriteLineAsync(result.Value);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Reads a CSV file, appends one computed column to every row, and prints it. A row that fails
    /// keeps its place (empty value) and is reported on standard error with its line; the exit
    /// status is then 1, so a script sees every answer and every problem in one run.
    /// </summary>
    internal static Task<int> FileAsync(CliContext context, FileInfo input, string[] required, string column, Func<CsvRow, Result<string>> compute, CancellationToken ct) =>
        FileAsync(context, input, required, [column], row => compute(row) is { Rejection: null } ok ? new[] { ok.Value } : compute(row).Rejection!, ct);

    /// <summary>As above, appending several computed columns.</summary>
    internal static async Task<int> FileAsync(CliContext context, FileInfo input, string[] required, string[] columns, Func<CsvRow, Result<string[]>> compute, CancellationToken ct)
    {
        if (!input.Exists)
        {
            await context.Error.WriteLineAsync($"error: {input.Name}: file not found");
            return ExitCodes.Refused;
        }
        Result<CsvTable> table = CsvTable.Parse(input.Name, await File.ReadAllTextAsync(input.FullName, ct), required);
        if (table.Rejection is { } malformed)
        {
            await context.RejectAsync(malformed);
            return ExitCodes.Refused;
        }
        int exit = ExitCodes.Ok;
        await context.Output.WriteLineAsync(CsvText.Row([.. table.Value.Header, .. columns]));
        foreach (CsvRow row in table.Value.Rows)
        {
            Result<string[]> value = compute(row);
            if (value.Rejection is { } rejection)
            {
                await context.RejectAsync(rejection.At($"{input.Name}:{row.Line}"));
                exit = ExitCodes.Refused;
            }
            await context.Output.WriteLineAsync(CsvText.Row([.. row.Fields, .. value.Rejection is null ? value.Value : columns.Select(_ => "")]));
        }
        return exit;
    }
}
