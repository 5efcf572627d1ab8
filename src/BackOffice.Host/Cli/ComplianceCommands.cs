using System.CommandLine;
using System.Globalization;
using BackOffice.Application.Compliance;
using BackOffice.Application.Ports;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Compliance.TransactionReporting;
using BackOffice.Domain.Primitives;
using BackOffice.Intake.Csv;

namespace BackOffice.Host.Cli;

/// <summary>compliance: MiFIR transaction reports and the regulator's feedback on them.</summary>
internal static class ComplianceCommands
{
    /// <summary>The columns of <c>compliance mifir-reports</c>.</summary>
    public static readonly string[] RecordHeader = ["file", "business_date", "transaction_id", "action", "trade_id", "version", "status", "reason"];

    public static Command Build(CliContext context) => new("compliance", "Regulatory reporting: MiFIR transaction reports (auth.016) and their feedback (auth.031)")
    {
        Mifir(context), Feedback(context), Reports(context),
    };

    private static Command Mifir(CliContext context)
    {
        var date = new Option<string>("--date") { Description = "the business date to report through (yyyy-MM-dd)", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "where to write the auth.016 file", Required = true };
        var command = new Command("mifir",
            "Write the MiFIR transaction reports due through a date as one auth.016 file: new reports, and cancellations and corrections of earlier ones. " +
            "Trades that cannot be reported are listed on standard error and make the exit status 1. When nothing new is due, the date's last file is written again.")
        {
            date, output,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var (valid, day) = await context.DateOptionAsync(parsed.GetValue(date), "--date");
            if (!valid || day is null)
            {
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            ReportRun run = await services.TransactionReporting.ReportAsync(day.Value, services.Actor, ct);
            if (run.Outcome.Rejection is { } refused)
            {
                await context.RejectAsync(refused);
                return ExitCodes.Refused;
            }
            FileInfo target = parsed.GetValue(output)!;
            if (run.File is { } file)
            {
                await File.WriteAllBytesAsync(target.FullName, file.Content, ct);
            }
            await context.Output.WriteLineAsync(run.Outcome.Result + (run.File is null ? "" : $" (written to {target.Name})"));
            foreach (ReportingException exception in run.Exceptions)
            {
                await context.RejectAsync(exception.Why);
            }
            return run.Exceptions.Count == 0 ? ExitCodes.Ok : ExitCodes.Refused;
        });
        return command;
    }

    private static Command Feedback(CliContext context)
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "auth.031 status advice files from the regulator or the ARM", Arity = ArgumentArity.OneOrMore };
        var command = new Command("mifir-feedback",
            "Record the regulator's feedback on report files: each record accepted, pending or rejected with the rules it failed; each file once (by its content hash)")
        {
            files,
        };
        command.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            int exit = ExitCodes.Ok;
            foreach (FileInfo file in parsed.GetValue(files)!)
            {
                if (!file.Exists)
                {
                    await context.Error.WriteLineAsync($"error: {file.Name}: file not found");
                    exit = ExitCodes.Refused;
                    continue;
                }
                FeedbackImport import = await services.TransactionReporting.ImportFeedbackAsync(file.Name, await File.ReadAllBytesAsync(file.FullName, ct), services.Actor, ct);
                if (import.Outcome.Rejection is { } refused)
                {
                    await context.RejectAsync(refused);
                    exit = ExitCodes.Refused;
                    continue;
                }
                await context.Output.WriteLineAsync(import.Outcome.Status == CommandStatus.Replayed ? "already recorded: " + import.Outcome.Result : import.Outcome.Result);
                foreach ((StoredReportRecord record, ReportStatus status, string reason) in import.Changes.Where(c => c.Status == ReportStatus.Rejected))
                {
                    await context.Output.WriteLineAsync($"  rejected {record.TransactionId} (trade {record.TradeId}): {reason}");
                }
            }
            return exit;
        });
        return command;
    }

    private static Command Reports(CliContext context)
    {
        var date = new Option<string?>("--date") { Description = "only the records of the files of this business date" };
        var status = new Option<string?>("--status") { Description = "sent, received, pending, accepted or rejected" };
        var trade = new Option<long?>("--trade") { Description = "only the records of this trade" };
        var command = new Command("mifir-reports", "Print the report records sent, newest first, with where each stands, as CSV: " + string.Join(',', RecordHeader))
        {
            date, status, trade,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var (valid, day) = await context.DateOptionAsync(parsed.GetValue(date), "--date");
            if (!valid)
            {
                return ExitCodes.Usage;
            }
            ReportStatus? wanted = null;
            if (parsed.GetValue(status) is { } statusText)
            {
                wanted = Enum.GetValues<ReportStatus>().Cast<ReportStatus?>().FirstOrDefault(s => TransactionReportingService.Name(s!.Value) == statusText);
                if (wanted is null)
                {
                    await context.Error.WriteLineAsync("error: --status must be sent, received, pending, accepted or rejected");
                    return ExitCodes.Usage;
                }
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            await context.Output.WriteLineAsync(CsvText.Row(RecordHeader));
            foreach (StoredReportRecord r in await services.Store.ListReportRecordsAsync(new ReportRecordQuery(day, wanted, parsed.GetValue(trade), Limit: int.MaxValue), ct))
            {
                await context.Output.WriteLineAsync(CsvText.Row([r.FileName, r.BusinessDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.TransactionId,
                    r.Action == ReportAction.New ? "new" : "cancel", r.TradeId.ToString(CultureInfo.InvariantCulture), r.Version.ToString(CultureInfo.InvariantCulture),
                    TransactionReportingService.Name(r.Status), r.Reason]));
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
