using System.CommandLine;
using System.Globalization;
using System.Text;
using BackOffice.Application.Ports;
using BackOffice.Application.Reconciliation;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Reconciliation;
using BackOffice.Intake.Csv;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Host.Cli;

/// <summary>recon: statements imported, reconciliation runs, and the break queue.</summary>
internal static class ReconCommands
{
    /// <summary>The columns of <c>recon breaks</c>.</summary>
    public static readonly string[] BreakHeader =
    [
        "id", "source", "account", "kind", "type", "subject", "ours", "theirs", "difference", "date", "first_seen", "last_seen", "age_days", "status", "owner", "cause",
        "note", "detail",
    ];

    /// <summary>The columns of <c>recon run</c>.</summary>
    public static readonly string[] RunHeader = ["statement", "source", "account", "kind", "date", "compared", "matched", "breaks", "outcome", "result"];

    public static Command Build(CliContext context) => new("recon", "Reconciliation: custody and cash statements against the books, and the breaks they raise")
    {
        Import(context), Run(context), Breaks(context), History(context), Statements(context), Act(context, "assign"), Act(context, "explain"), Act(context, "resolve"),
    };

    private static Command Import(CliContext context)
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "statement files: semt.002 or camt.053 XML, or the custody or cash CSV layouts", Arity = ArgumentArity.OneOrMore };
        var command = new Command("import", "Import statements, each file once (by its content hash); a statement for an account and date already held supersedes it") { files };
        command.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            return await context.ForEachFileAsync(parsed.GetValue(files)!, async (file, content) =>
            {
                (CommandOutcome outcome, _) = await services.Reconciliation.ImportAsync(file.Name, content, services.Actor, ct);
                if (outcome.Rejection is { } refused)
                {
                    await context.RejectAsync(refused);
                    return false;
                }
                await context.Output.WriteLineAsync(outcome.Status == CommandStatus.Replayed ? "already imported: " + outcome.Result : outcome.Result);
                return true;
            }, ct);
        });
        return command;
    }

    private static Command Run(CliContext context)
    {
        var date = new Option<string>("--date") { Description = "the statement date to reconcile (yyyy-MM-dd)", Required = true };
        var source = new Option<string?>("--source") { Description = "only the statements of this source (a custodian or bank)" };
        var command = new Command("run", "Reconcile every current statement of a date with the books and file the differences as breaks; a rerun that finds the same changes nothing")
        {
            date, source,
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
            IReadOnlyList<StatementRun> runs = await services.Reconciliation.RunAsync(day.Value, parsed.GetValue(source), services.Actor, ct);
            if (runs.Count == 0)
            {
                await context.Error.WriteLineAsync($"no statement dated {LocalDatePattern.Iso.Format(day.Value)}{(parsed.GetValue(source) is { } s ? " from " + s : "")}; import one first");
            }
            await context.Output.WriteLineAsync(CsvText.Row(RunHeader));
            int exit = ExitCodes.Ok;
            foreach (StatementRun run in runs)
            {
                StoredStatement s = run.Statement;
                string outcome = run.Outcome.Status switch
                {
                    CommandStatus.Accepted => "run",
                    CommandStatus.Replayed => "unchanged",
                    _ => "refused",
                };
                if (run.Outcome.Rejection is not null)
                {
                    exit = ExitCodes.Refused;
                }
                await context.Output.WriteLineAsync(CsvText.Row([N(s.Id), s.Source, s.Account, ReconciliationService.Kind(s.Kind), Iso(s.Date),
                    N(run.Comparison?.Compared ?? 0), N(run.Comparison?.Matched ?? 0), N(run.Comparison?.Findings.Count ?? 0), outcome, run.Outcome.Result]));
            }
            return exit;
        });
        return command;
    }

    private static Command Breaks(CliContext context)
    {
        var status = new Option<string?>("--status") { Description = "open, explained, resolved or all (default: open and explained)" };
        var olderThan = new Option<int?>("--older-than") { Description = "only breaks more than N days old" };
        var source = new Option<string?>("--source") { Description = "only breaks of this source" };
        var account = new Option<string?>("--account") { Description = "only breaks of this statement account" };
        var asOf = new Option<string?>("--as-of") { Description = "the date ages are counted to (default: the latest reconciliation run's date)" };
        var command = new Command("breaks", "Print the break queue as CSV: " + string.Join(',', BreakHeader)) { status, olderThan, source, account, asOf };
        command.SetAction(async (parsed, ct) =>
        {
            string? statusText = parsed.GetValue(status);
            BreakStatus? wanted = BreakBook.ParseStatus(statusText);
            if (statusText is not null && statusText != "all" && wanted is null)
            {
                await context.Error.WriteLineAsync("error: --status must be open, explained, resolved or all");
                return ExitCodes.Usage;
            }
            if (parsed.GetValue(olderThan) is < 0)
            {
                await context.Error.WriteLineAsync("error: --older-than must be zero or more days");
                return ExitCodes.Usage;
            }
            var (valid, asOfDate) = await context.DateOptionAsync(parsed.GetValue(asOf), "--as-of");
            if (!valid)
            {
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            LocalDate day = asOfDate ?? await LatestRunDateAsync(services, ct);
            int? older = parsed.GetValue(olderThan);
            var query = new BreakQuery(Status: wanted, UnresolvedOnly: statusText is null, Account: parsed.GetValue(account), Source: parsed.GetValue(source),
                FirstSeenOnOrBefore: older is { } n ? day.PlusDays(-n - 1) : null, Limit: int.MaxValue);
            await context.Output.WriteLineAsync(CsvText.Row(BreakHeader));
            foreach (ReconBreak b in await services.Store.ListBreaksAsync(query, ct))
            {
                await context.Output.WriteLineAsync(CsvText.Row(BreakRow(b, day)));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The date break ages count to: the latest run's, else today (UTC).</summary>
    public static async Task<LocalDate> LatestRunDateAsync(Services services, CancellationToken ct) =>
        await services.Store.ListReconRunsAsync(null, 1, ct) is [var latest, ..] ? latest.Date : services.Clock.GetCurrentInstant().InUtc().Date;

    /// <summary>One break as a row of <see cref="BreakHeader"/>.</summary>
    public static string[] BreakRow(ReconBreak b, LocalDate asOf) =>
    [
        N(b.Id), b.Source, b.Account, ReconciliationService.Kind(b.Kind), BreakBook.Name(b.Type), b.Subject, D(b.Ours), D(b.Theirs), D(b.Difference), Iso(b.Date),
        Iso(b.FirstSeen), Iso(b.LastSeen), N(b.AgeDays(asOf)), BreakBook.Name(b.Status), b.Owner ?? "", b.Cause ?? "", b.Note ?? "", b.Detail,
    ];

    private static Command History(CliContext context)
    {
        var id = new Argument<long>("ID") { Description = "the break's id" };
        var command = new Command("history", "Print everything that happened to a break, oldest first, as CSV: at,actor,action,note,run") { id };
        command.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            long breakId = parsed.GetValue(id);
            if (await services.Store.ListBreaksAsync(new BreakQuery(Id: breakId, Limit: 1), ct) is [])
            {
                await context.RejectAsync(new Rejection("break.unknown", $"no break {breakId}"));
                return ExitCodes.Refused;
            }
            await context.Output.WriteLineAsync("at,actor,action,note,run");
            foreach (BreakEvent e in await services.Store.ReadBreakEventsAsync(breakId, ct))
            {
                await context.Output.WriteLineAsync(CsvText.Row([InstantPattern.ExtendedIso.Format(e.At), e.Actor, e.Action, e.Note ?? "", e.RunId is { } run ? N(run) : ""]));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Statements(CliContext context)
    {
        var date = new Option<string?>("--date") { Description = "only statements of this date" };
        var command = new Command("statements", "Print the statements imported as CSV: id,file,format,source,kind,account,currency,date,basis,statement_id,lines,superseded_by")
        {
            date,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var (valid, day) = await context.DateOptionAsync(parsed.GetValue(date), "--date");
            if (!valid)
            {
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            await context.Output.WriteLineAsync("id,file,source,kind,account,currency,date,basis,statement_id,lines,superseded_by");
            foreach (StoredStatement s in await services.Store.ListStatementsAsync(new StatementQuery(day, Limit: int.MaxValue), ct))
            {
                await context.Output.WriteLineAsync(CsvText.Row([N(s.Id), s.FileName, s.Source, ReconciliationService.Kind(s.Kind), s.Account, s.Currency ?? "", Iso(s.Date),
                    s.Basis == StatementBasis.TradeDate ? "trade" : "settlement", s.StatementId, N(s.LineCount), s.SupersededBy is { } by ? N(by) : ""]));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Act(CliContext context, string action)
    {
        var id = new Argument<long>("ID") { Description = "the break's id" };
        var owner = new Option<string?>("--owner") { Description = "who works the break", Required = action == "assign" };
        var note = new Option<string?>("--note") { Description = action == "assign" ? "why (optional)" : "what was found or done", Required = action != "assign" };
        string what = action switch
        {
            "assign" => "Assign a break to an owner",
            "explain" => "Explain a break: a note on why the two sides differ (the break stays until it agrees or is resolved)",
            _ => "Resolve a break by hand, with a note (an adjusting entry goes through a checker: POST /api/v1/recon/breaks/{id}/adjustments)",
        };
        var key = new Option<string?>("--key") { Description = "idempotency key (default: the break, the action, its words and the break's history so far)" };
        var command = new Command(action, what) { id, key };
        if (action == "assign")
        {
            command.Options.Add(owner);
        }
        command.Options.Add(note);
        command.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            long breakId = parsed.GetValue(id);
            string? who = action == "assign" ? parsed.GetValue(owner) : null;
            string? text = parsed.GetValue(note);
            IdempotencyKey actionKey = parsed.GetValue(key) is { Length: > 0 } given
                ? IdempotencyKey.From(given)
                : ActionKey(breakId, action, who, text, (await services.Store.ReadBreakEventsAsync(breakId, ct)).Count);
            CommandOutcome outcome = await services.Reconciliation.ActAsync(breakId, action, who, text, services.Actor, actionKey, ct);
            if (outcome.Rejection is { } refused)
            {
                await context.RejectAsync(refused);
                return ExitCodes.Refused;
            }
            await context.Output.WriteLineAsync(outcome.Result);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The key of an action: the same action with the same words on the break as it stands (its
    /// history's length) is done once, so a retry replays; after anything else happened to the
    /// break, the same words are a new action (assign alice, then bob, then alice again).
    /// </summary>
    public static IdempotencyKey ActionKey(long breakId, string action, string? owner, string? note, int eventsSoFar) =>
        IdempotencyKey.From(string.Create(CultureInfo.InvariantCulture,
            $"recon/break/{breakId}/{eventsSoFar}/{action}/{Sha256Hash.Of(Encoding.UTF8.GetBytes(owner + "\n" + note)).ToString()[..16]}"));

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string D(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);
}
