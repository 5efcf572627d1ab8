using System.Globalization;
using BackOffice.Application.Ports;
using BackOffice.Domain.Access;
using BackOffice.Domain.Compliance;
using BackOffice.Domain.Primitives;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BackOffice.Host.Api;

/// <summary>
/// Compliance through the API: the alert queue that sanctions screening and surveillance raise,
/// each alert with its history, a name looked up against the latest sanctions list, and a
/// disposition of an alert, held for another compliance officer to approve
/// (<see cref="ApprovalKinds.AlertDisposition"/>).
/// </summary>
internal static class ComplianceEndpoints
{
    /// <summary>Most alerts one list answers.</summary>
    public const int AlertsMax = 1000;

    /// <summary>One alert; <c>score</c> is the screening score (or the concentration, or the size multiple).</summary>
    internal sealed record AlertView(long Id, string Kind, string SubjectKind, string Subject, string? Account, string RaisedOn, string Detail, decimal? Score,
        string? ListVersion, long? EntryUid, string Status, string Reason, string? DecidedBy, string? DecidedListVersion, string? DecidedAt);

    /// <summary>One thing that happened to an alert.</summary>
    internal sealed record AlertEventView(long AuditSequence, string Action, string Actor, string Note, string? ListVersion);

    /// <summary>An alert with its history, oldest first.</summary>
    internal sealed record AlertDetail(AlertView Alert, IReadOnlyList<AlertEventView> Events);

    /// <summary>One hit of a name looked up.</summary>
    internal sealed record HitView(long Uid, string EntryName, string EntryType, IReadOnlyList<string> Programs, string MatchedName, decimal Score, string Explanation);

    /// <summary>A name looked up against a list version.</summary>
    internal sealed record ScreeningView(string Name, string ListVersion, string ListPublishedOn, decimal Threshold, IReadOnlyList<HitView> Hits);

    private sealed record DispositionBody(string? Disposition, string? Reason);

    private sealed record ScreenBody(string? Name);

    public static void Map(RouteGroupBuilder api)
    {
        RouteGroupBuilder compliance = api.MapGroup("/compliance");
        compliance.MapGet("/alerts", async (string? status, string? kind, string? account, Services services, CancellationToken ct) =>
        {
            AlertStatus? wanted = null;
            if (status is not null && status != "all" && (wanted = AlertRules.ParseStatus(status)) is null)
            {
                return ApiServer.BadRequest("query.status", "status is open, true-match, false-positive or all", "status");
            }
            AlertKind? kindWanted = null;
            if (kind is not null && (kindWanted = AlertRules.ParseKind(kind)) is null)
            {
                return ApiServer.BadRequest("query.kind", "kind is sanctions, wash-trade, restricted-list, position-limit, concentration or unusual-size", "kind");
            }
            IReadOnlyList<ComplianceAlert> alerts = await services.Store.ListAlertsAsync(new AlertQuery(status is null ? AlertStatus.Open : wanted, kindWanted, account,
                Limit: AlertsMax), ct);
            return Results.Ok(alerts.Select(Of));
        }).WithName("compliance-alerts").WithSummary("The alert queue, newest first: open alerts unless status says (open, true-match, false-positive, all); of one kind or account")
            .Produces<IReadOnlyList<AlertView>>().RequireAuthorization(Permission.ComplianceRead);

        compliance.MapGet("/alerts/{id:long}", async (long id, Services services, CancellationToken ct) =>
        {
            IReadOnlyList<ComplianceAlert> found = await services.Store.ListAlertsAsync(new AlertQuery(Id: id, Limit: 1), ct);
            if (found.Count == 0)
            {
                return Unknown(id);
            }
            IReadOnlyList<AlertEvent> events = await services.Store.ReadAlertEventsAsync(id, ct);
            return Results.Ok(new AlertDetail(Of(found[0]), [.. events.Select(e => new AlertEventView(e.Sequence.Value, e.Action, e.Actor, e.Note, e.ListVersion))]));
        }).WithName("compliance-alert").WithSummary("One alert with its history").Produces<AlertDetail>().RequireAuthorization(Permission.ComplianceRead);

        compliance.MapPost("/alerts/{id:long}/dispositions", async (long id, HttpContext http, Services services, CancellationToken ct) =>
        {
            (Writes.Body? body, IResult? problem) = await Writes.ReadAsync(http, ApiServer.Actor(http), ApprovalEndpoints.RequestBytesMax, ct);
            if (problem is not null)
            {
                return problem;
            }
            if (Writes.Bind<DispositionBody>(body!) is not { Disposition: { } disposition, Reason: { } reason } || AlertRules.ParseDisposition(disposition) is null)
            {
                return ApiServer.BadRequest("json.shape", "a disposition is {\"disposition\": \"true-match\" or \"false-positive\", \"reason\": \"...\"}", "body");
            }
            if ((await services.Store.ListAlertsAsync(new AlertQuery(Id: id, Limit: 1), ct)).Count == 0)
            {
                return Unknown(id);
            }
            return await ApprovalEndpoints.HoldAsync(http, services, ApprovalKinds.AlertDisposition, body!,
                ApprovalKinds.DispositionPayload(id, disposition, reason, ApiServer.Actor(http)), ct);
        }).WithName("compliance-alert-disposition").WithSummary(
            "Proposes a disposition of an alert (true match or false positive, with a reason); another compliance officer approves it. A true match of a sanctions alert blocks the account")
            .Produces<ApprovalEndpoints.Approval>(StatusCodes.Status202Accepted).RequireAuthorization(Permission.ComplianceOperate);

        compliance.MapPost("/screenings", async (HttpContext http, Services services, CancellationToken ct) =>
        {
            (Writes.Body? body, IResult? problem) = await Writes.ReadAsync(http, ApiServer.Actor(http), ApprovalEndpoints.RequestBytesMax, ct);
            if (problem is not null)
            {
                return problem;
            }
            if (Writes.Bind<ScreenBody>(body!) is not { Name: { Length: > 0 } name })
            {
                return ApiServer.BadRequest("json.shape", "a screening is {\"name\": \"...\"}", "body");
            }
            Result<ScreeningResult> result = await services.Compliance.CheckAsync(name, null, ct);
            if (result.Rejection is { } refused)
            {
                return Writes.Problem(StatusCodes.Status422UnprocessableEntity, refused.Rule, refused.ToString());
            }
            ScreeningResult r = result.Value;
            return Results.Ok(new ScreeningView(r.Name, r.ListVersion, ApiServer.Iso(r.ListPublishedOn), r.Threshold,
                [.. r.Hits.Select(h => new HitView(h.Uid, h.EntryName, h.EntryType.ToString().ToLowerInvariant(), h.Programs, h.MatchedName, h.Score, h.Explain()))]));
        }).WithName("compliance-screening").WithSummary("Looks a name up against the latest sanctions list (nothing is recorded): the hits, each explained")
            .Produces<ScreeningView>().RequireAuthorization(Permission.ComplianceRead);
    }

    internal static AlertView Of(ComplianceAlert a) => new(a.Id, AlertRules.Name(a.Kind), a.SubjectKind, a.Subject, a.Account, ApiServer.Iso(a.RaisedOn), a.Detail, a.Score,
        a.ListVersion, a.EntryUid, AlertRules.Name(a.Status), a.Reason, a.DecidedBy, a.DecidedListVersion,
        a.DecidedAt is { } at ? NodaTime.Text.InstantPattern.ExtendedIso.Format(at) : null);

    private static IResult Unknown(long id) =>
        Writes.Problem(StatusCodes.Status404NotFound, "alert.unknown", string.Create(CultureInfo.InvariantCulture, $"there is no alert {id}"));
}
