using System.Globalization;
using System.Text.Json;
using BackOffice.Application.Ports;
using BackOffice.Application.Reconciliation;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Access;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Reconciliation;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;

namespace BackOffice.Host.Api;

/// <summary>
/// Reconciliation through the API, as operations run it from the CLI (<c>backoffice recon</c>):
/// statement files imported once each (by their content), a day's statements run against the
/// books, the break queue and each break's history, the operators' actions on a break, and an
/// adjusting entry for a break, held for a checker (<see cref="ApprovalKinds.BreakAdjustment"/>).
/// </summary>
internal static class ReconEndpoints
{
    /// <summary>Largest statement file accepted: the server's limit on any body.</summary>
    public const int StatementBytesMax = (int)ApiServer.BodyBytesMax;

    /// <summary>Most statements one list answers; a caller with more asks for one date.</summary>
    public const int StatementsMax = 1000;

    /// <summary>Longest file name a caller may give a statement file.</summary>
    public const int FileNameLengthMax = 200;

    /// <summary>One statement as stored.</summary>
    internal sealed record StatementView(long Id, long File, string FileName, string Source, string Kind, string Account, string? Currency, string Date, string Basis,
        string StatementId, int Lines, long? SupersededBy, string ReceivedAt);

    /// <summary>What an import did: the command's result, whether it was a replay, and the file's statements.</summary>
    internal sealed record ImportView(string Result, bool Replayed, long? AuditSequence, IReadOnlyList<StatementView> Statements);

    /// <summary>What a run did to one statement: <c>outcome</c> is <c>run</c>, <c>unchanged</c> (the same findings as its last run) or <c>refused</c>.</summary>
    internal sealed record StatementRunView(long Statement, string Source, string Account, string Kind, string Date, int Compared, int Matched, int Breaks,
        string Outcome, string Result, string? Rule, long? AuditSequence);

    /// <summary>What one run request did, statement by statement.</summary>
    internal sealed record RunsView(string Date, string? Source, IReadOnlyList<StatementRunView> Runs);

    /// <summary>One recorded run of a statement against the books.</summary>
    internal sealed record ReconRunView(long Id, long Statement, string Date, string Source, string Account, string Kind, int Compared, int Matched, int Breaks,
        string Actor, string At);

    /// <summary>One break, its age counted to the page's <c>as_of</c>; <c>note</c> is the latest an operator wrote (the history has them all).</summary>
    internal sealed record BreakView(long Id, string Source, string Account, string Kind, string Type, string Subject, decimal Ours, decimal Theirs, decimal Difference,
        string Date, string FirstSeen, string LastSeen, int AgeDays, string Status, string? Owner, string? Cause, string? Note, string Detail, long LastRunId);

    /// <summary>A page of breaks and the cursor of the next (null on the last).</summary>
    internal sealed record BreakPage(string AsOf, IReadOnlyList<BreakView> Items, string? Next);

    /// <summary>One thing that happened to a break.</summary>
    internal sealed record EventView(string At, string Actor, string Action, string? Note, long? RunId);

    /// <summary>One break with its history, oldest first.</summary>
    internal sealed record BreakDetail(string AsOf, BreakView Break, IReadOnlyList<EventView> Events);

    /// <summary>What an operator's action did, and the break as it stands after it.</summary>
    internal sealed record ActionView(string Result, bool Replayed, long? AuditSequence, BreakView Break);

    private sealed record RunBody(string? Date, string? Source);

    private sealed record ActionBody(string? Action, string? Owner, string? Note);

    private sealed record AdjustmentBody(JsonElement? Entry);

    public static void Map(RouteGroupBuilder api)
    {
        RouteGroupBuilder recon = api.MapGroup("/recon");
        MapStatements(recon);
        MapRuns(recon);
        MapBreaks(recon);
        MapBreakCommands(recon);
    }

    private static void MapStatements(RouteGroupBuilder recon)
    {
        recon.MapGet("/statements", async (string? date, Services services, CancellationToken ct) =>
        {
            if (!ApiServer.TryDate(date, out LocalDate? day))
            {
                return BadDate(date);
            }
            IReadOnlyList<StoredStatement> found = await services.Store.ListStatementsAsync(new StatementQuery(day, Limit: StatementsMax + 1), ct);
            return found.Count > StatementsMax
                ? ApiServer.BadRequest("query.date", $"more than {StatementsMax} statements: ask for one date", "date")
                : Results.Ok(found.Select(Of));
        }).WithName("recon-statements").WithSummary("Statements imported (of one statement date when given), by date, account and id, with the statement that superseded each")
            .Produces<IReadOnlyList<StatementView>>().RequireAuthorization(Permission.ReconRead);

        recon.MapPost("/statements", async (string? name, HttpContext http, Services services, CancellationToken ct) =>
        {
            string actor = ApiServer.Actor(http);
            if (name is not null && (name.Length is 0 or > FileNameLengthMax || name.Any(c => char.IsControl(c) || c is '/' or '\\')))
            {
                return ApiServer.BadRequest("query.name", $"name is the file's name: 1 to {FileNameLengthMax} characters, no path", "name");
            }
            (_, byte[]? bytes, IResult? problem) = await Writes.ReadFileAsync(http, actor, StatementBytesMax, ct);
            if (problem is not null)
            {
                return problem;
            }
            string fileName = name ?? (http.Request.ContentType!.Contains("csv", StringComparison.OrdinalIgnoreCase) ? "statement.csv" : "statement.xml");
            (CommandOutcome outcome, IReadOnlyList<StoredStatement> stored) = await services.Reconciliation.ImportAsync(fileName, bytes!, actor, ct);
            if (outcome.Rejection is { } refused)
            {
                return Writes.Problem(StatusCodes.Status422UnprocessableEntity, refused.Rule, refused.ToString());
            }
            bool replayed = outcome.Status == CommandStatus.Replayed;
            if (replayed)
            {
                http.Response.Headers[Writes.ReplayedHeader] = "true";
                stored = await ImportedAsync(services, bytes!, ct);
            }
            return Results.Ok(new ImportView(outcome.Result, replayed, outcome.Sequence?.Value, [.. stored.Select(Of)]));
        }).WithName("recon-import").WithSummary(
            "Imports one statement file, the body as received (semt.002 or camt.053 as XML, or the custody or cash CSV layout), named by ?name=. A file is imported once: the same bytes again answer the first import's result")
            .Produces<ImportView>().RequireAuthorization(Permission.ReconOperate);
    }

    /// <summary>
    /// The statements an earlier import of these bytes stored: the file is read again for its
    /// accounts and dates, and the statements stored for them from a file of the same content hash kept.
    /// </summary>
    private static async Task<IReadOnlyList<StoredStatement>> ImportedAsync(Services services, byte[] bytes, CancellationToken ct)
    {
        if (Intake.Reconciliation.StatementFiles.Read("replay", bytes) is not { Rejection: null } read)
        {
            return [];
        }
        Sha256Hash hash = Sha256Hash.Of(bytes);
        var sameContent = new Dictionary<long, bool>();
        var found = new SortedDictionary<long, StoredStatement>();
        foreach (Statement s in read.Value.Statements)
        {
            foreach (StoredStatement stored in await services.Store.ListStatementsAsync(new StatementQuery(s.Date, s.Account, s.Kind, Limit: StatementsMax), ct))
            {
                if (!sameContent.TryGetValue(stored.FileId, out bool same))
                {
                    sameContent[stored.FileId] = same = (await services.Store.ReadStatementFileAsync(stored.FileId, ct))?.ContentHash == hash;
                }
                if (same)
                {
                    found[stored.Id] = stored;
                }
            }
        }
        return [.. found.Values];
    }

    private static void MapRuns(RouteGroupBuilder recon)
    {
        recon.MapPost("/runs", async (HttpContext http, Services services, CancellationToken ct) =>
        {
            string actor = ApiServer.Actor(http);
            (Writes.Body? body, IResult? problem) = await Writes.ReadAsync(http, actor, Writes.SmallBytesMax, ct);
            if (problem is not null)
            {
                return problem;
            }
            if (Writes.Bind<RunBody>(body!) is not { } run)
            {
                return ApiServer.BadRequest("json.shape", "a run is {\"date\": \"yyyy-MM-dd\", \"source\": \"...\"}, the source optional", "body");
            }
            if (!ApiServer.TryDate(run.Date, out LocalDate? day) || day is null)
            {
                return ApiServer.BadRequest("query.date", "date is the statement date to reconcile, as yyyy-MM-dd", "date");
            }
            string? source = Blank(run.Source);
            IReadOnlyList<StatementRun> runs = await services.Reconciliation.RunAsync(day.Value, source, actor, ct);
            return Results.Ok(new RunsView(ApiServer.Iso(day.Value), source, [.. runs.Select(Of)]));
        }).WithName("recon-run").WithSummary(
            "Reconciles every current statement of a date (of one source when given) with the books and files the differences as breaks; a rerun that finds the same changes nothing")
            .Produces<RunsView>().RequireAuthorization(Permission.ReconOperate);

        recon.MapGet("/runs", async (string? date, int? limit, Services services, CancellationToken ct) =>
        {
            if (!ApiServer.TryDate(date, out LocalDate? day))
            {
                return BadDate(date);
            }
            int size = limit ?? 100;
            if (size is < 1 or > TradeEndpoints.PageMax)
            {
                return ApiServer.BadRequest("query.limit", $"limit must be 1 to {TradeEndpoints.PageMax}", "limit");
            }
            IReadOnlyList<ReconRun> runs = await services.Store.ListReconRunsAsync(day, size, ct);
            return Results.Ok(runs.Select(r => new ReconRunView(r.Id, r.StatementRow, ApiServer.Iso(r.Date), r.Source, r.Account, ReconciliationService.Kind(r.Kind),
                r.Compared, r.Matched, r.Breaks, r.Actor, r.At.ToString())));
        }).WithName("recon-runs").WithSummary("Reconciliation runs, latest first (of one date when given), at most limit (default 100)")
            .Produces<IReadOnlyList<ReconRunView>>().RequireAuthorization(Permission.ReconRead);
    }

    private static void MapBreaks(RouteGroupBuilder recon)
    {
        recon.MapGet("/breaks", async (string? status, int? olderThan, string? source, string? account, string? asOf, string? cursor, int? limit, Services services,
            CancellationToken ct) =>
        {
            BreakStatus? wanted = BreakBook.ParseStatus(status);
            if (status is not null && status != "all" && wanted is null)
            {
                return ApiServer.BadRequest("query.status", "status must be one of open, explained, resolved, all (default: open and explained)", "status");
            }
            if (olderThan is < 0)
            {
                return ApiServer.BadRequest("query.older-than", "olderThan is a number of days, zero or more", "olderThan");
            }
            if (!ApiServer.TryDate(asOf, out LocalDate? asOfDate))
            {
                return ApiServer.BadRequest("query.date", $"asOf must be a date as yyyy-MM-dd, not '{asOf}'", "asOf");
            }
            long after = 0;
            if (!string.IsNullOrEmpty(cursor) && (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
            {
                return ApiServer.BadRequest("query.cursor", "cursor must be the next value of a previous page", "cursor");
            }
            int size = limit ?? 100;
            if (size is < 1 or > TradeEndpoints.PageMax)
            {
                return ApiServer.BadRequest("query.limit", $"limit must be 1 to {TradeEndpoints.PageMax}", "limit");
            }
            LocalDate day = asOfDate ?? await ReconCommands.LatestRunDateAsync(services, ct);
            var query = new BreakQuery(wanted, UnresolvedOnly: status is null, Account: Blank(account), Source: Blank(source),
                FirstSeenOnOrBefore: olderThan is { } n ? day.PlusDays(-n - 1) : null, AfterId: after, Limit: size + 1);
            IReadOnlyList<ReconBreak> found = await services.Store.ListBreaksAsync(query, ct);
            string? next = found.Count > size ? found[size - 1].Id.ToString(CultureInfo.InvariantCulture) : null;
            return Results.Ok(new BreakPage(ApiServer.Iso(day), [.. found.Take(size).Select(b => Of(b, day))], next));
        }).WithName("recon-breaks").WithSummary(
            "The break queue by id, a page at a time: status open, explained, resolved or all (default open and explained), more than olderThan days old, of a source or account; ages counted to asOf (default the latest run's date)")
            .Produces<BreakPage>().RequireAuthorization(Permission.ReconRead);

        recon.MapGet("/breaks/{id:long}", async (long id, string? asOf, Services services, CancellationToken ct) =>
        {
            if (!ApiServer.TryDate(asOf, out LocalDate? asOfDate))
            {
                return ApiServer.BadRequest("query.date", $"asOf must be a date as yyyy-MM-dd, not '{asOf}'", "asOf");
            }
            if (await OneAsync(services, id, ct) is not { } found)
            {
                return UnknownBreak(id);
            }
            LocalDate day = asOfDate ?? await ReconCommands.LatestRunDateAsync(services, ct);
            IReadOnlyList<BreakEvent> events = await services.Store.ReadBreakEventsAsync(id, ct);
            return Results.Ok(new BreakDetail(ApiServer.Iso(day), Of(found, day), [.. events.Select(e => new EventView(e.At.ToString(), e.Actor, e.Action, e.Note, e.RunId))]));
        }).WithName("recon-break").WithSummary("One break and everything that happened to it (found, seen again, assigned, explained, resolved, agreed), oldest first")
            .Produces<BreakDetail>().RequireAuthorization(Permission.ReconRead);
    }

    private static void MapBreakCommands(RouteGroupBuilder recon)
    {
        recon.MapPost("/breaks/{id:long}/actions", async (long id, HttpContext http, Services services, CancellationToken ct) =>
        {
            string actor = ApiServer.Actor(http);
            (Writes.Body? body, IResult? problem) = await Writes.ReadAsync(http, actor, Writes.SmallBytesMax, ct);
            if (problem is not null)
            {
                return problem;
            }
            if (Writes.Bind<ActionBody>(body!) is not { Action: { } action } request)
            {
                return ApiServer.BadRequest("json.shape", "an action is {\"action\": \"assign|explain|resolve\", \"owner\": \"...\", \"note\": \"...\"}", "body");
            }
            CommandOutcome outcome = await services.Reconciliation.ActAsync(id, action, request.Owner, request.Note, actor, body!.Key, ct);
            if (!outcome.Succeeded)
            {
                return Refused(outcome);
            }
            bool replayed = outcome.Status == CommandStatus.Replayed;
            if (replayed)
            {
                http.Response.Headers[Writes.ReplayedHeader] = "true";
            }
            LocalDate day = await ReconCommands.LatestRunDateAsync(services, ct);
            return Results.Ok(new ActionView(outcome.Result, replayed, outcome.Sequence?.Value, Of((await OneAsync(services, id, ct))!, day)));
        }).WithName("recon-break-action").WithSummary(
            "An operator's action on a break: assign (to owner), explain (a note; the break stays until it agrees or is resolved) or resolve (a note); a resolved break takes none")
            .Produces<ActionView>().RequireAuthorization(Permission.ReconOperate);

        recon.MapPost("/breaks/{id:long}/adjustments", async (long id, HttpContext http, Services services, CancellationToken ct) =>
        {
            (Writes.Body? body, IResult? problem) = await Writes.ReadAsync(http, ApiServer.Actor(http), ApprovalEndpoints.RequestBytesMax, ct);
            if (problem is not null)
            {
                return problem;
            }
            if (Writes.Bind<AdjustmentBody>(body!) is not { Entry: { ValueKind: JsonValueKind.Object } entry })
            {
                return ApiServer.BadRequest("json.shape", "an adjustment is {\"entry\": {one journal entry, as POST /journal/entries takes it}}", "body");
            }
            if (await OneAsync(services, id, ct) is null)
            {
                return UnknownBreak(id);
            }
            return await ApprovalEndpoints.HoldAsync(http, services, ApprovalKinds.BreakAdjustment, body!, ApprovalKinds.AdjustmentPayload(id, entry), ct);
        }).WithName("recon-break-adjustment").WithSummary(
            "Requests an adjusting entry for a break (one journal entry); when a checker approves it, the entry books and the break is resolved in the same transaction")
            .Produces<ApprovalEndpoints.Approval>(StatusCodes.Status202Accepted).RequireAuthorization(Permission.ReconOperate);
    }

    /// <summary>A refused action: 409 for a key reused with another body or a resolved break, 404 for no break, else 422.</summary>
    private static IResult Refused(CommandOutcome outcome)
    {
        Rejection rejection = outcome.Rejection!;
        if (outcome.Status == CommandStatus.Conflict)
        {
            return Writes.Problem(StatusCodes.Status409Conflict, rejection.Rule, $"{Writes.KeyHeader} was already used with another body; use a new key for a new request");
        }
        int status = rejection.Rule switch
        {
            "break.unknown" => StatusCodes.Status404NotFound,
            "break.resolved" => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        return Writes.Problem(status, rejection.Rule, rejection.Message);
    }

    /// <summary>Break <paramref name="id"/>, or null.</summary>
    internal static async Task<ReconBreak?> OneAsync(Services services, long id, CancellationToken ct) =>
        await services.Store.ListBreaksAsync(new BreakQuery(Id: id, Limit: 1), ct) is [var found, ..] ? found : null;

    private static IResult UnknownBreak(long id) => ApiServer.NotFound("break.unknown", string.Create(CultureInfo.InvariantCulture, $"there is no break {id}"));

    private static IResult BadDate(string? date) => ApiServer.BadRequest("query.date", $"date must be a date as yyyy-MM-dd, not '{date}'", "date");

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static StatementView Of(StoredStatement s) =>
        new(s.Id, s.FileId, s.FileName, s.Source, ReconciliationService.Kind(s.Kind), s.Account, s.Currency, ApiServer.Iso(s.Date),
            s.Basis == StatementBasis.TradeDate ? "trade" : "settlement", s.StatementId, s.LineCount, s.SupersededBy, s.ReceivedAt.ToString());

    private static StatementRunView Of(StatementRun run)
    {
        StoredStatement s = run.Statement;
        string outcome = run.Outcome.Status switch
        {
            CommandStatus.Accepted => "run",
            CommandStatus.Replayed => "unchanged",
            _ => "refused",
        };
        return new StatementRunView(s.Id, s.Source, s.Account, ReconciliationService.Kind(s.Kind), ApiServer.Iso(s.Date), run.Comparison?.Compared ?? 0,
            run.Comparison?.Matched ?? 0, run.Comparison?.Findings.Count ?? 0, outcome, run.Outcome.Result, run.Outcome.Rejection?.Rule, run.Outcome.Sequence?.Value);
    }

    /// <summary>A break as the API shows it, aged to <paramref name="asOf"/>.</summary>
    internal static BreakView Of(ReconBreak b, LocalDate asOf) =>
        new(b.Id, b.Source, b.Account, ReconciliationService.Kind(b.Kind), BreakBook.Name(b.Type), b.Subject, b.Ours, b.Theirs, b.Difference, ApiServer.Iso(b.Date),
            ApiServer.Iso(b.FirstSeen), ApiServer.Iso(b.LastSeen), b.AgeDays(asOf), BreakBook.Name(b.Status), b.Owner, b.Cause, b.Note, b.Detail, b.LastRunId);
}
