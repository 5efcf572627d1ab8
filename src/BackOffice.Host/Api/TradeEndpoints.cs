using BackOffice.Application.Ports;
using BackOffice.Application.Trading;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Access;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Trading;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BackOffice.Host.Api;

/// <summary>GET /api/v1/trades and /api/v1/trades/{id}: the blotter, a page at a time, and one trade's versions.</summary>
internal static class TradeEndpoints
{
    /// <summary>Most trades one page holds.</summary>
    public const int PageMax = 1000;

    /// <summary>One trade version as the API shows it.</summary>
    internal sealed record Trade(long TradeId, int Version, string Status, string Action, string Source, string SourceTradeId, string Side, string Isin,
        string Market, decimal Quantity, decimal Price, string Currency, string Account, string Counterparty, string TradeDate, string SettlementDate,
        decimal Gross, decimal AccruedInterest, decimal Net);

    /// <summary>A page of trades and the cursor of the next (null on the last page).</summary>
    internal sealed record Page(IReadOnlyList<Trade> Items, string? Next);

    /// <summary>Largest body of one submitted trade.</summary>
    public const int SubmitBytesMax = 16 * 1024;

    /// <summary>What a submitted trade did.</summary>
    internal sealed record Submitted(long TradeId, int Version, string Outcome, long AuditSequence);

    private sealed record DiscardBody(string? Note);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/exceptions/{id:long}/discard", async (long id, HttpContext http, Services services, CancellationToken ct) =>
        {
            string actor = ApiServer.Actor(http);
            (Writes.Body? body, IResult? problem) = await Writes.ReadAsync(http, actor, Writes.SmallBytesMax, ct);
            if (problem is not null)
            {
                return problem;
            }
            if (Writes.Bind<DiscardBody>(body!) is not { Note: { } note } || string.IsNullOrWhiteSpace(note))
            {
                return ApiServer.BadRequest("exception.note", "the body is {\"note\": \"why the message is not booked\"}", "note");
            }
            CommandOutcome outcome = await services.Trades.DiscardAsync(id, note.Trim(), actor, ct);
            if (!outcome.Succeeded)
            {
                Rejection rejection = outcome.Rejection!;
                return rejection.Rule switch
                {
                    "exception.unknown" => ApiServer.NotFound(rejection.Rule, rejection.Message),
                    // The discard is keyed by the exception: another note for it means it was already discarded.
                    "command.key-conflict" => Writes.Problem(StatusCodes.Status409Conflict, "exception.closed", $"exception {id} was already discarded"),
                    "exception.closed" => Writes.Problem(StatusCodes.Status409Conflict, rejection.Rule, rejection.Message),
                    _ => Writes.Problem(StatusCodes.Status422UnprocessableEntity, rejection.Rule, rejection.Message),
                };
            }
            if (outcome.Status == CommandStatus.Replayed)
            {
                http.Response.Headers[Writes.ReplayedHeader] = "true";
            }
            return Results.Ok(new { exception_id = id, result = outcome.Result });
        }).WithName("discard-exception").WithSummary("Closes an open exception without booking it, with a note saying why (a duplicate, a test message)")
            .RequireAuthorization(Permission.TradesSubmit);

        RouteGroupBuilder trades = api.MapGroup("/trades");
        trades.MapPost("/", async (HttpContext http, Services services, CancellationToken ct) =>
        {
            string actor = ApiServer.Actor(http);
            (Writes.Body? body, IResult? problem) = await Writes.ReadAsync(http, actor, SubmitBytesMax, ct);
            if (problem is not null)
            {
                return problem;
            }
            string raw = System.Text.Encoding.UTF8.GetString(body!.Bytes);
            Result<Dictionary<string, string>> fields = TradeJson.Fields(body.Json, "body");
            if (fields.Rejection is { } shape)
            {
                return ApiServer.BadRequest(shape.Rule, shape.Message, "body");
            }
            Result<TradeRequest> request = TradeFields.Read(c => fields.Value.GetValueOrDefault(c, ""), null, "body", raw);
            if (request.Rejection is { } invalid)
            {
                return Writes.Problem(StatusCodes.Status422UnprocessableEntity, invalid.Rule, invalid.Message);
            }
            if (request.Value.Action != TradeAction.Bust && await BranchScope.ForAsync(http, services, ct) is { } scope && !scope.SeesAccount(request.Value.Account))
            {
                // A branch-scoped caller books for its own branch's accounts only (others do not exist for it).
                return Writes.Problem(StatusCodes.Status422UnprocessableEntity, "trade.account-unknown", $"there is no client account '{request.Value.Account}' in branch {scope.Branch}");
            }
            CommandOutcome outcome = await services.Submissions.SubmitAsync(TradeMessage.Of(request.Value), actor, body.Key, body.Hash, ct);
            switch (outcome.Status)
            {
                case CommandStatus.Accepted or CommandStatus.Replayed:
                    if (outcome.Status == CommandStatus.Replayed)
                    {
                        http.Response.Headers[Writes.ReplayedHeader] = "true";
                    }
                    SubmittedTrade done = SubmittedTrade.Parse(outcome.Result);
                    var answer = new Submitted(done.TradeId, done.Version, done.Status.ToString().ToLowerInvariant(), outcome.Sequence!.Value.Value);
                    // A trade already booked by another request is not created again: 200, not 201.
                    return done.Status == TradeMessageStatus.Replayed
                        ? Results.Ok(answer)
                        : Results.Created($"/api/v1/trades/{done.TradeId}", answer);
                case CommandStatus.Conflict:
                    return Writes.Problem(StatusCodes.Status409Conflict, outcome.Rejection!.Rule,
                        $"{Writes.KeyHeader} was already used with another body (audit record {outcome.Sequence}); use a new key for a new request");
                default:
                    return Writes.Problem(StatusCodes.Status422UnprocessableEntity, outcome.Rejection!.Rule, outcome.Rejection.Message);
            }
        }).WithName("submit-trade").WithSummary("Books one trade (a new trade, a correction or a bust), with the fields of the JSON trade format; needs an Idempotency-Key header")
            .Accepts<Dictionary<string, string>>("application/json")
            .Produces<Submitted>(StatusCodes.Status201Created).Produces<Submitted>().ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireAuthorization(Permission.TradesSubmit);
        trades.MapGet("/", async (string? account, string? tradeDate, string? status, string? cursor, int? limit, HttpContext http, Services services, CancellationToken ct) =>
        {
            if (!ApiServer.TryDate(tradeDate, out NodaTime.LocalDate? day))
            {
                return ApiServer.BadRequest("query.date", $"tradeDate must be a date as yyyy-MM-dd, not '{tradeDate}'", "tradeDate");
            }
            TradeStatus? wanted = null;
            if (!string.IsNullOrEmpty(status))
            {
                if (!Enum.TryParse(status, ignoreCase: true, out TradeStatus parsed) || !Enum.IsDefined(parsed) || char.IsDigit(status[0]))
                {
                    return ApiServer.BadRequest("query.status", $"status must be one of {string.Join(", ", Enum.GetNames<TradeStatus>().Select(n => n.ToLowerInvariant()))}, not '{status}'", "status");
                }
                wanted = parsed;
            }
            long after = 0;
            if (!string.IsNullOrEmpty(cursor) && (!long.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out after) || after < 0))
            {
                return ApiServer.BadRequest("query.cursor", "cursor must be the next value of a previous page", "cursor");
            }
            int size = limit ?? 100;
            if (size is < 1 or > PageMax)
            {
                return ApiServer.BadRequest("query.limit", $"limit must be 1 to {PageMax}", "limit");
            }
            IReadOnlyList<TradeVersion> found = await services.Store.ListTradesAsync(new TradeQuery(account, day, wanted, after, size + 1, ApiServer.Branch(http)), ct);
            string? next = found.Count > size ? found[size - 1].TradeId.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return Results.Ok(new Page([.. found.Take(size).Select(Of)], next));
        }).WithName("trades").WithSummary("The latest version of each trade, filtered by account, trade date and status, a page at a time (cursor, limit up to 1000)")
            .RequireAuthorization(Permission.TradesRead);
        trades.MapGet("/{id:long}", async (long id, HttpContext http, Services services, CancellationToken ct) =>
        {
            IReadOnlyList<TradeVersion> versions = await services.Store.ReadTradeAsync(id, ct);
            if (versions.Count > 0 && await BranchScope.ForAsync(http, services, ct) is { } scope && !scope.SeesAccount(versions[^1].Account))
            {
                // Another branch's trade does not exist for a branch-scoped caller: 404, not 403, so ids reveal nothing.
                versions = [];
            }
            return versions.Count == 0
                ? ApiServer.NotFound("trade.unknown", $"there is no trade {id}")
                : Results.Ok(versions.Select(Of));
        }).WithName("trade").WithSummary("Every version of one trade, oldest first").RequireAuthorization(Permission.TradesRead);
    }

    private static Trade Of(TradeVersion v) =>
        new(v.TradeId, v.Version, v.Status.ToString().ToLowerInvariant(), v.Action.ToString().ToLowerInvariant(), v.Source, v.SourceTradeId,
            v.Side.ToString().ToLowerInvariant(), v.Isin, v.Market, v.Quantity, v.Price, v.Currency, v.Account, v.Counterparty, ApiServer.Iso(v.TradeDate),
            ApiServer.Iso(v.SettlementDate), v.Gross, v.AccruedInterest, v.Net);
}
