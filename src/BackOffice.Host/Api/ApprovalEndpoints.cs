using System.Globalization;
using System.Text.Json;
using BackOffice.Application.Approvals;
using BackOffice.Application.Ports;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Access;
using BackOffice.Domain.Approvals;
using BackOffice.Domain.Primitives;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BackOffice.Host.Api;

/// <summary>
/// Maker-checker through the API: sensitive writes (POST /journal/entries, POST /users) answer
/// 202 with a pending approval request; /approvals lists and shows requests, and a checker
/// approves (quoting the payload hash) or rejects them.
/// </summary>
internal static class ApprovalEndpoints
{
    /// <summary>Largest body of a request held for approval.</summary>
    public const int RequestBytesMax = 64 * 1024;

    /// <summary>An approval request as the API shows it.</summary>
    internal sealed record Approval(long Id, string Kind, string Summary, string Status, string Maker, string RequestedAt, string ExpiresAt,
        string PayloadHash, string? Checker, string? DecidedAt, string? Note, long RequestSequence, long? DecisionSequence, string Payload);

    /// <summary>A page of requests.</summary>
    internal sealed record Page(IReadOnlyList<Approval> Items, string? Next);

    private sealed record ApproveBody(string? PayloadHash);

    private sealed record RejectBody(string? Note);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/journal/entries", (HttpContext http, Services services, CancellationToken ct) => RequestAsync(http, services, ApprovalKinds.JournalEntry, ct))
            .WithName("request-journal-entry").WithSummary("Requests a manual journal entry (one entry of the journal entry format); a checker must approve it")
            .Produces<Approval>(StatusCodes.Status202Accepted).RequireAuthorization(Permission.JournalRequest);
        api.MapPost("/users", (HttpContext http, Services services, CancellationToken ct) => RequestAsync(http, services, ApprovalKinds.UserAdd, ct))
            .WithName("request-user").WithSummary("Requests a new user {name, display_name, role, branch}; another administrator must approve it")
            .Produces<Approval>(StatusCodes.Status202Accepted).RequireAuthorization(Permission.UsersManage);

        api.MapPost("/reference/changes", (HttpContext http, Services services, CancellationToken ct) => RequestAsync(http, services, ApprovalKinds.ReferenceChange, ct))
            .WithName("request-reference-change").WithSummary("Requests a reference-data change {kind, format, content} (instruments, client accounts, SSIs, ...); a checker must approve it")
            .Produces<Approval>(StatusCodes.Status202Accepted).RequireAuthorization(Permission.ReferenceRequest);

        api.MapPost("/exceptions/resubmissions", (HttpContext http, Services services, CancellationToken ct) => RequestAsync(http, services, ApprovalKinds.ExceptionResubmit, ct))
            .WithName("request-resubmission").WithSummary("Requests that an exception be booked again, with repairs {exception_id, repairs: {field: value}}; a checker must approve it")
            .Produces<Approval>(StatusCodes.Status202Accepted).RequireAuthorization(Permission.TradesSubmit);

        api.MapPost("/trades/corrections", (HttpContext http, Services services, CancellationToken ct) =>
            RequestAsync(http, services, ApprovalKinds.TradeCorrection, ct, guard: async json =>
            {
                // A branch user may correct only a trade they can see.
                if (json.TryGetProperty("trade_id", out JsonElement id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out long tradeId)
                    && await BranchScope.ForAsync(http, services, ct) is { } scope)
                {
                    IReadOnlyList<Domain.Trading.TradeVersion> versions = await services.Store.ReadTradeAsync(tradeId, ct);
                    if (versions.Count == 0 || !scope.SeesAccount(versions[^1].Account))
                    {
                        return ApiServer.NotFound("trade.unknown", $"there is no trade {tradeId}");
                    }
                }
                return null;
            }))
            .WithName("request-trade-correction").WithSummary(
                "Requests a correction or bust of a booked trade {trade_id, action: correct|bust, changes: {field: value}, reason}; a checker must approve it, and the new version books then")
            .Produces<Approval>(StatusCodes.Status202Accepted).RequireAuthorization(Permission.TradesCorrect);
        api.MapPost("/periods/reopen", (HttpContext http, Services services, CancellationToken ct) => RequestAsync(http, services, ApprovalKinds.PeriodReopen, ct))
            .WithName("request-period-reopen").WithSummary("Requests that the books be reopened from a date inside the closed period {from, reason}; a checker must approve it")
            .Produces<Approval>(StatusCodes.Status202Accepted).RequireAuthorization(Permission.EodRun);
        api.MapPost("/users/changes", (HttpContext http, Services services, CancellationToken ct) => RequestAsync(http, services, ApprovalKinds.UserChange, ct))
            .WithName("request-user-change").WithSummary("Requests a change to a user {name, role, branch, display_name, active} (a role change, a deactivation); another administrator must approve it")
            .Produces<Approval>(StatusCodes.Status202Accepted).RequireAuthorization(Permission.UsersManage);

        RouteGroupBuilder approvals = api.MapGroup("/approvals");
        approvals.MapGet("/", async (string? status, string? cursor, int? limit, Services services, CancellationToken ct) =>
        {
            ApprovalStatus? wanted = null;
            if (!string.IsNullOrEmpty(status))
            {
                if (!Enum.TryParse(status, ignoreCase: true, out ApprovalStatus parsed) || !Enum.IsDefined(parsed) || char.IsDigit(status[0]))
                {
                    return ApiServer.BadRequest("query.status", "status must be one of pending, approved, rejected, expired", "status");
                }
                wanted = parsed;
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
            NodaTime.Instant now = services.Clock.GetCurrentInstant();
            // Expired is pending past its time: read the pending ones and keep what the clock says.
            ApprovalStatus? stored = wanted == ApprovalStatus.Expired ? ApprovalStatus.Pending : wanted;
            var items = new List<ApprovalRequest>();
            long from = after;
            bool more = true;
            while (items.Count <= size && more)
            {
                IReadOnlyList<ApprovalRequest> found = await services.Store.ListApprovalsAsync(new ApprovalQuery(stored, from, size + 1), ct);
                more = found.Count == size + 1;
                from = found.Count > 0 ? found[^1].Id : from;
                items.AddRange(found.Where(r => wanted is null || r.StatusAt(now) == wanted));
            }
            string? next = items.Count > size ? items[size - 1].Id.ToString(CultureInfo.InvariantCulture) : null;
            return Results.Ok(new Page([.. items.Take(size).Select(r => Of(r, now))], next));
        }).WithName("approvals").WithSummary("Approval requests, oldest first, by status (pending, approved, rejected, expired), a page at a time")
            .RequireAuthorization(Permission.ApprovalsRead);
        approvals.MapGet("/{id:long}", async (long id, Services services, CancellationToken ct) =>
            await services.Store.ReadApprovalAsync(id, ct) is { } request
                ? Results.Ok(Of(request, services.Clock.GetCurrentInstant()))
                : ApiServer.NotFound("approval.unknown", $"there is no approval request {id}"))
            .WithName("approval").WithSummary("One approval request with the payload it holds and its payload hash").RequireAuthorization(Permission.ApprovalsRead);
        approvals.MapPost("/{id:long}/approve", async (long id, HttpContext http, Services services, CancellationToken ct) =>
        {
            (Writes.Body? body, IResult? problem) = await Writes.ReadAsync(http, ApiServer.Actor(http), Writes.SmallBytesMax, ct);
            if (problem is not null)
            {
                return problem;
            }
            if (Writes.Bind<ApproveBody>(body!) is not { PayloadHash: { } text } || !Sha256Hash.TryParseHex(text, out Sha256Hash seen))
            {
                return ApiServer.BadRequest("approval.payload-hash", "the body is {\"payload_hash\": \"<the request's payload_hash, 64 hex digits>\"}: approve what you read", "payload_hash");
            }
            return await DecidedAsync(services, id, await services.Approvals.ApproveAsync(id, ApiServer.Caller(http), seen, ct), ct);
        }).WithName("approve").WithSummary("Approves a request, quoting its payload hash; the held command is carried out in the same transaction")
            .Produces<Approval>().RequireAuthorization(Permission.ApprovalsDecide);
        approvals.MapPost("/{id:long}/reject", async (long id, HttpContext http, Services services, CancellationToken ct) =>
        {
            (Writes.Body? body, IResult? problem) = await Writes.ReadAsync(http, ApiServer.Actor(http), Writes.SmallBytesMax, ct);
            if (problem is not null)
            {
                return problem;
            }
            if (Writes.Bind<RejectBody>(body!) is not { Note: { } note })
            {
                return ApiServer.BadRequest("approval.note", "the body is {\"note\": \"why, for the maker\"}", "note");
            }
            return await DecidedAsync(services, id, await services.Approvals.RejectAsync(id, ApiServer.Caller(http), note, ct), ct);
        }).WithName("reject").WithSummary("Rejects a request with a note for the maker").Produces<Approval>().RequireAuthorization(Permission.ApprovalsDecide);
    }

    /// <summary>
    /// Holds the request body as a command of <paramref name="kind"/> for a checker: 202 with the
    /// approval request, or the problem. <paramref name="guard"/> may refuse the body first (a
    /// branch check).
    /// </summary>
    private static async Task<IResult> RequestAsync(HttpContext http, Services services, string kind, CancellationToken ct, Func<JsonElement, Task<IResult?>>? guard = null)
    {
        (Writes.Body? body, IResult? problem) = await Writes.ReadAsync(http, ApiServer.Actor(http), RequestBytesMax, ct);
        if (problem is not null)
        {
            return problem;
        }
        if (body!.Json.ValueKind != JsonValueKind.Object)
        {
            return ApiServer.BadRequest("json.shape", "the body is one JSON object", "body");
        }
        if (guard is not null && await guard(body.Json) is { } refused)
        {
            return refused;
        }
        return await HoldAsync(http, services, kind, body, System.Text.Encoding.UTF8.GetString(body.Bytes), ct);
    }

    /// <summary>Holds <paramref name="payload"/> (the body, or the body restated with its defaults) as a command of <paramref name="kind"/> for a checker.</summary>
    internal static async Task<IResult> HoldAsync(HttpContext http, Services services, string kind, Writes.Body body, string payload, CancellationToken ct)
    {
        CommandOutcome outcome = await services.Approvals.RequestAsync(kind, payload, ApiServer.Actor(http), body.Key, ct);
        switch (outcome.Status)
        {
            case CommandStatus.Accepted or CommandStatus.Replayed:
                if (outcome.Status == CommandStatus.Replayed)
                {
                    http.Response.Headers[Writes.ReplayedHeader] = "true";
                }
                long id = ApprovalService.RequestId(outcome.Result);
                ApprovalRequest request = (await services.Store.ReadApprovalAsync(id, ct))!;
                return Results.Accepted($"/api/v1/approvals/{id}", Of(request, services.Clock.GetCurrentInstant()));
            case CommandStatus.Conflict:
                return Writes.Problem(StatusCodes.Status409Conflict, outcome.Rejection!.Rule, $"{Writes.KeyHeader} was already used with another body; use a new key for a new request");
            default:
                return Writes.Problem(StatusCodes.Status422UnprocessableEntity, outcome.Rejection!.Rule, outcome.Rejection.ToString());
        }
    }

    private static async Task<IResult> DecidedAsync(Services services, long id, CommandOutcome outcome, CancellationToken ct)
    {
        if (outcome.Succeeded)
        {
            return Results.Ok(Of((await services.Store.ReadApprovalAsync(id, ct))!, services.Clock.GetCurrentInstant()));
        }
        Rejection rejection = outcome.Rejection!;
        int status = rejection.Rule switch
        {
            "approval.unknown" => StatusCodes.Status404NotFound,
            "approval.self" or "approval.checker" => StatusCodes.Status403Forbidden,
            "approval.decided" or "approval.expired" => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        return Writes.Problem(status, rejection.Rule, rejection.Message);
    }


    private static Approval Of(ApprovalRequest r, NodaTime.Instant now) =>
        new(r.Id, r.Kind, r.Summary, r.StatusAt(now).ToString().ToLowerInvariant(), r.Maker, r.RequestedAt.ToString(), r.ExpiresAt.ToString(), r.PayloadHash.ToString(),
            r.Checker, r.DecidedAt?.ToString(), r.Note, r.RequestSequence.Value, r.DecisionSequence?.Value, r.Payload);
}
