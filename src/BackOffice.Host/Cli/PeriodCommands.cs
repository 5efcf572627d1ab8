using System.CommandLine;
using BackOffice.Application.Periods;
using BackOffice.Application.WritePath;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Host.Cli;

/// <summary>period close and period status.</summary>
internal static class PeriodCommands
{
    public static Command Build(CliContext context)
    {
        var through = new Option<string?>("--through") { Description = "the last date of the period to close (yyyy-MM-dd)" };
        var close = new Command("close", "Close the books through a date: no entry may be dated on or before it afterwards") { through };
        close.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(through) is null)
            {
                await context.Error.WriteLineAsync("error: give --through as a date yyyy-MM-dd");
                return ExitCodes.Usage;
            }
            var (valid, date) = await context.DateOptionAsync(parsed.GetValue(through), "--through");
            if (!valid)
            {
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            CommandOutcome outcome = await new PeriodService(services.Store, services.Processor).CloseAsync(date!.Value, services.Actor, ct);
            if (outcome.Rejection is { } rejection)
            {
                await context.RejectAsync(rejection);
                return ExitCodes.Refused;
            }
            await context.Output.WriteLineAsync($"{outcome.Status.ToString().ToLowerInvariant()}: {outcome.Result} (audit record {outcome.Sequence})");
            return ExitCodes.Ok;
        });
        var status = new Command("status", "Print the last closed date (closed_through), empty when no period is closed");
        status.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            LocalDate? closed = await new PeriodService(services.Store, services.Processor).ClosedThroughAsync(ct);
            await context.Output.WriteLineAsync("closed_through");
            await context.Output.WriteLineAsync(closed is { } d ? LocalDatePattern.Iso.Format(d) : "");
            return ExitCodes.Ok;
        });
        return new Command("period", "Accounting periods: close the books through a date") { close, status };
    }
}
