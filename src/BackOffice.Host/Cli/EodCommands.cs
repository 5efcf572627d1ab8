using System.CommandLine;
using BackOffice.Application.EndOfDay;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Host.Cli;

/// <summary>eod run and eod status.</summary>
internal static class EodCommands
{
    public static Command Build(CliContext context)
    {
        var date = new Option<string?>("--date") { Description = "the business date to close (yyyy-MM-dd; default: the current business date)" };
        var maxAge = new Option<int>("--max-price-age") { Description = "business days a price may be older than the date (default 0)", DefaultValueFactory = _ => 0 };
        var calendar = new Option<string>("--calendar") { Description = "the firm's calendar for the next business date", DefaultValueFactory = _ => EodService.DefaultCalendar };
        var run = new Command("run", "Close a business day: corporate actions (splits), prices, accruals, FX revaluation, realized P&L, checks, period close, roll; a rerun skips what is done and resumes at a failed step")
        {
            date, maxAge, calendar,
        };
        run.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            var eod = services.Eod();
            if (await DateAsync(context, services, eod, parsed.GetValue(date), parsed.GetValue(calendar)!, ct) is not { } day)
            {
                return ExitCodes.Usage;
            }
            EodRun result = await eod.RunAsync(day, services.Actor, parsed.GetValue(maxAge), parsed.GetValue(calendar)!, null, ct);
            await WriteAsync(context.Output, result.Date, result.Steps, result.FailedStep);
            if (result.Failure is { } failure)
            {
                await context.RejectAsync(failure);
                await context.Error.WriteLineAsync($"end of day {LocalDatePattern.Iso.Format(day)} stopped at step '{result.FailedStep}'; fix the cause and run it again");
                return ExitCodes.Refused;
            }
            return ExitCodes.Ok;
        });
        var statusDate = new Option<string?>("--date") { Description = "the business date (default: the current business date)" };
        var statusCalendar = new Option<string>("--calendar") { Description = "the firm's calendar", DefaultValueFactory = _ => EodService.DefaultCalendar };
        var status = new Command("status", "Print each end-of-day step of a date: done (with its audit record and result) or pending") { statusDate, statusCalendar };
        status.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            var eod = services.Eod();
            if (await DateAsync(context, services, eod, parsed.GetValue(statusDate), parsed.GetValue(statusCalendar)!, ct) is not { } day)
            {
                return ExitCodes.Usage;
            }
            await WriteAsync(context.Output, day, await eod.StatusAsync(day, ct), null);
            return ExitCodes.Ok;
        });
        return new Command("eod", "End of day") { run, status };
    }

    private static async Task<LocalDate?> DateAsync(CliContext context, Services services, EodService eod, string? text, string calendar, CancellationToken ct)
    {
        var (valid, date) = await context.DateOptionAsync(text, "--date");
        return !valid ? null : date ?? await eod.BusinessDateAsync(services.Clock.GetCurrentInstant().InUtc().Date, calendar, ct);
    }

    private static async Task WriteAsync(TextWriter output, LocalDate date, IReadOnlyList<EodStepState> steps, string? failed)
    {
        await output.WriteLineAsync("date,step,status,audit_sequence,result");
        foreach (EodStepState s in steps)
        {
            string state = s.Done ? "done" : s.Step == failed ? "failed" : "pending";
            await output.WriteLineAsync(Intake.Csv.CsvText.Row(LocalDatePattern.Iso.Format(date), s.Step, state, s.Sequence?.ToString() ?? "", s.Result ?? ""));
        }
    }
}
