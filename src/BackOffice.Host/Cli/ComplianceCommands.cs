using System.CommandLine;
using System.Globalization;
using BackOffice.Application.Compliance;
using BackOffice.Application.Ports;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Compliance;
using BackOffice.Domain.Compliance.TransactionReporting;
using BackOffice.Domain.Primitives;
using BackOffice.Intake.Csv;

namespace BackOffice.Host.Cli;

/// <summary>compliance: MiFIR transaction reports and the regulator's feedback on them.</summary>
internal static class ComplianceCommands
{
    /// <summary>The columns of <c>compliance mifir-reports</c>.</summary>
    public static readonly string[] RecordHeader = ["file", "business_date", "transaction_id", "action", "trade_id", "version", "status", "reason"];

    /// <summary>The columns of <c>compliance alerts</c>.</summary>
    public static readonly string[] AlertHeader =
        ["id", "kind", "subject_kind", "subject", "account", "raised_on", "score", "list_version", "status", "reason", "decided_by", "decided_list_version", "detail"];

    public static Command Build(CliContext context) => new("compliance",
        "Compliance: MiFIR transaction reports (auth.016) and their feedback (auth.031), sanctions screening, trade surveillance, and the alerts they raise")
    {
        Mifir(context), Feedback(context), Reports(context), SanctionsImport(context), Screen(context), Surveil(context), Alerts(context), AlertHistory(context),
    };

    private static Command SanctionsImport(CliContext context)
    {
        var sdn = new Option<FileInfo>("--sdn") { Description = "OFAC's sdn.csv", Required = true };
        var alt = new Option<FileInfo>("--alt") { Description = "OFAC's alt.csv", Required = true };
        var add = new Option<FileInfo>("--add") { Description = "OFAC's add.csv", Required = true };
        var comments = new Option<FileInfo?>("--comments") { Description = "OFAC's sdn_comments.csv, when published" };
        var version = new Option<string>("--version") { Description = "the publication's version label (OFAC's publication id or its date and time)", Required = true };
        var published = new Option<string>("--published") { Description = "the publication date (yyyy-MM-dd)", Required = true };
        var command = new Command("sanctions-import",
            "Import a publication of OFAC's SDN list (legacy CSV files, kept as published) and screen: every name of ours against what changed since the last " +
            "version (the whole list the first time), new or renamed names against the whole list. Hits become alerts.")
        {
            sdn, alt, add, comments, version, published,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var (valid, day) = await context.DateOptionAsync(parsed.GetValue(published), "--published");
            if (!valid || day is null)
            {
                return ExitCodes.Usage;
            }
            var files = new List<SanctionsListFile>();
            foreach ((FileInfo? file, string name) in new[] { (parsed.GetValue(sdn), "sdn.csv"), (parsed.GetValue(alt), "alt.csv"), (parsed.GetValue(add), "add.csv"),
                (parsed.GetValue(comments), "sdn_comments.csv") })
            {
                if (file is null)
                {
                    continue;
                }
                if (!file.Exists)
                {
                    await context.Error.WriteLineAsync($"error: {file.Name}: file not found");
                    return ExitCodes.Refused;
                }
                files.Add(new SanctionsListFile(name, await File.ReadAllBytesAsync(file.FullName, ct)));
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            ScreeningRun run = await services.Compliance.ImportListAsync(files, parsed.GetValue(version)!, day.Value, services.Actor, ct);
            return await PrintAsync(context, run.Outcome, run.Raised);
        });
        return command;
    }

    private static Command Screen(CliContext context)
    {
        var name = new Option<string?>("--name") { Description = "only look this name up against the latest list and print its hits; nothing is recorded" };
        var command = new Command("screen",
            "Screen the names of ours never screened against the latest list, or renamed since (onboarding), and raise alerts for hits; with --name, look one name up")
        {
            name,
        };
        command.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            if (parsed.GetValue(name) is { } lookUp)
            {
                Result<ScreeningResult> result = await services.Compliance.CheckAsync(lookUp, null, ct);
                if (result.Rejection is { } refused)
                {
                    await context.RejectAsync(refused);
                    return ExitCodes.Refused;
                }
                await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"'{lookUp}' against {result.Value.ListVersion}: {result.Value.Hits.Count} hits at threshold {result.Value.Threshold}"));
                foreach (ScreeningHit hit in result.Value.Hits)
                {
                    await context.Output.WriteLineAsync("  " + hit.Explain());
                }
                return ExitCodes.Ok;
            }
            ScreeningRun run = await services.Compliance.ScreenAsync(services.Actor, ct);
            return await PrintAsync(context, run.Outcome, run.Raised);
        });
        return command;
    }

    private static Command Surveil(CliContext context)
    {
        var date = new Option<string>("--date") { Description = "the business date to survey (yyyy-MM-dd)", Required = true };
        var window = new Option<int>("--wash-window-minutes") { Description = "a buy and a sale at one price by one owner this close are a wash (default 10)", DefaultValueFactory = _ => 10 };
        var multiple = new Option<decimal>("--size-multiple") { Description = "a trade this many times the account's median is unusual (default 5)", DefaultValueFactory = _ => 5m };
        var command = new Command("surveil",
            "Survey a day: wash trades, trades in restricted instruments, position and concentration limits, unusual sizes; new findings become alerts")
        {
            date, window, multiple,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var (valid, day) = await context.DateOptionAsync(parsed.GetValue(date), "--date");
            if (!valid || day is null)
            {
                return ExitCodes.Usage;
            }
            if (parsed.GetValue(window) is < 0 or > 24 * 60 || parsed.GetValue(multiple) <= 1m)
            {
                await context.Error.WriteLineAsync("error: --wash-window-minutes is 0 to 1440 and --size-multiple above 1");
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            var settings = SurveillanceSettings.Default with { WashWindow = NodaTime.Duration.FromMinutes(parsed.GetValue(window)), SizeMultiple = parsed.GetValue(multiple) };
            SurveillanceRun run = await services.Compliance.SurveyAsync(day.Value, settings, services.Actor, ct);
            return await PrintAsync(context, run.Outcome, run.Raised);
        });
        return command;
    }

    private static async Task<int> PrintAsync(CliContext context, CommandOutcome outcome, IReadOnlyList<ComplianceAlert> raised)
    {
        if (outcome.Rejection is { } refused)
        {
            await context.RejectAsync(refused);
            return ExitCodes.Refused;
        }
        await context.Output.WriteLineAsync(outcome.Status == CommandStatus.Replayed ? "already done: " + outcome.Result : outcome.Result);
        foreach (ComplianceAlert alert in raised)
        {
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  alert {alert.Id} ({AlertRules.Name(alert.Kind)}): {alert.Detail}"));
        }
        return ExitCodes.Ok;
    }

    private static Command Alerts(CliContext context)
    {
        var status = new Option<string?>("--status") { Description = "open (default), true-match, false-positive or all" };
        var kind = new Option<string?>("--kind") { Description = "sanctions, wash-trade, restricted-list, position-limit, concentration or unusual-size" };
        var account = new Option<string?>("--account") { Description = "only alerts about this account" };
        var command = new Command("alerts", "Print the compliance alert queue, newest first, as CSV: " + string.Join(',', AlertHeader)) { status, kind, account };
        command.SetAction(async (parsed, ct) =>
        {
            string statusText = parsed.GetValue(status) ?? "open";
            AlertStatus? wanted = AlertRules.ParseStatus(statusText);
            if (statusText != "all" && wanted is null)
            {
                await context.Error.WriteLineAsync("error: --status must be open, true-match, false-positive or all");
                return ExitCodes.Usage;
            }
            AlertKind? kindWanted = null;
            if (parsed.GetValue(kind) is { } kindText && (kindWanted = AlertRules.ParseKind(kindText)) is null)
            {
                await context.Error.WriteLineAsync("error: --kind must be sanctions, wash-trade, restricted-list, position-limit, concentration or unusual-size");
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            await context.Output.WriteLineAsync(CsvText.Row(AlertHeader));
            foreach (ComplianceAlert a in await services.Store.ListAlertsAsync(new AlertQuery(wanted, kindWanted, parsed.GetValue(account), Limit: int.MaxValue), ct))
            {
                await context.Output.WriteLineAsync(CsvText.Row(AlertRow(a)));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One alert as a row of <see cref="AlertHeader"/>.</summary>
    public static string[] AlertRow(ComplianceAlert a) =>
    [
        a.Id.ToString(CultureInfo.InvariantCulture), AlertRules.Name(a.Kind), a.SubjectKind, a.Subject, a.Account ?? "",
        a.RaisedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), a.Score?.ToString(CultureInfo.InvariantCulture) ?? "", a.ListVersion ?? "",
        AlertRules.Name(a.Status), a.Reason, a.DecidedBy ?? "", a.DecidedListVersion ?? "", a.Detail,
    ];

    private static Command AlertHistory(CliContext context)
    {
        var id = new Argument<long>("ID") { Description = "the alert's id" };
        var command = new Command("alert-history", "Print what happened to an alert, oldest first, as CSV: audit_sequence,action,actor,note,list_version") { id };
        command.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            IReadOnlyList<AlertEvent> events = await services.Store.ReadAlertEventsAsync(parsed.GetValue(id), ct);
            if (events.Count == 0)
            {
                await context.Error.WriteLineAsync($"error: alert.unknown: there is no alert {parsed.GetValue(id)}");
                return ExitCodes.Refused;
            }
            await context.Output.WriteLineAsync("audit_sequence,action,actor,note,list_version");
            foreach (AlertEvent e in events)
            {
                await context.Output.WriteLineAsync(CsvText.Row(e.Sequence.ToString(), e.Action, e.Actor, e.Note, e.ListVersion ?? ""));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

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
            return await context.ForEachFileAsync(parsed.GetValue(files)!, async (file, content) =>
            {
                FeedbackImport import = await services.TransactionReporting.ImportFeedbackAsync(file.Name, content, services.Actor, ct);
                if (import.Outcome.Rejection is { } refused)
                {
                    await context.RejectAsync(refused);
                    return false;
                }
                await context.Output.WriteLineAsync(import.Outcome.Status == CommandStatus.Replayed ? "already recorded: " + import.Outcome.Result : import.Outcome.Result);
                foreach ((StoredReportRecord record, ReportStatus status, string reason) in import.Changes.Where(c => c.Status == ReportStatus.Rejected))
                {
                    await context.Output.WriteLineAsync($"  rejected {record.TransactionId} (trade {record.TradeId}): {reason}");
                }
                return true;
            }, ct);
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
