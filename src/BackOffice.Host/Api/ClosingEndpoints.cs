using System.Text.Json;
using BackOffice.Application.EndOfDay;
using BackOffice.Application.Periods;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Access;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;

namespace BackOffice.Host.Api;

/// <summary>
/// Closing the day and the period: POST /eod/runs runs the end of day (each step idempotent, so a
/// rerun changes nothing and a stopped run resumes), POST /periods/close closes the books through a
/// date, GET /periods says through when they are closed. Reopening is a request a checker approves
/// (POST /periods/reopen, <see cref="ApprovalKinds.PeriodReopen"/>).
/// </summary>
internal static class ClosingEndpoints
{
    internal sealed record EodRunView(string Date, bool Closed, string? FailedStep, string? Rule, string? Problem, IReadOnlyList<ReportEndpoints.EodStepView> Steps);

    internal sealed record PeriodView(string? ClosedThrough);

    private sealed record RunBody(string? Date, int? MaxPriceAge);

    private sealed record CloseBody(string? Through);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/eod/runs", async (HttpContext http, Services services, CancellationToken ct) =>
        {
            string actor = ApiServer.Actor(http);
            (Writes.Body? body, IResult? problem) = await Writes.ReadAsync(http, actor, Writes.SmallBytesMax, ct);
            if (problem is not null)
            {
                return problem;
            }
            if (Writes.Bind<RunBody>(body!) is not { } run || !ApiServer.TryDate(run.Date, out LocalDate? day) || run.MaxPriceAge is < 0 or > 366)
            {
                return ApiServer.BadRequest("eod.request", "the body is {\"date\": \"yyyy-MM-dd\" (default: the business date), \"max_price_age\": 0 to 366}", "date");
            }
            var eod = services.Eod();
            LocalDate date = day ?? await eod.BusinessDateAsync(services.Clock.GetCurrentInstant().InUtc().Date, EodService.DefaultCalendar, ct);
            // Each step is its own keyed command: the request's key adds nothing, and a retry resumes.
            EodRun result = await eod.RunAsync(date, actor, run.MaxPriceAge ?? 0, EodService.DefaultCalendar, null, ct);
            var view = new EodRunView(ApiServer.Iso(date), result.Closed, result.FailedStep, result.Failure?.Rule, result.Failure?.Message,
                [.. result.Steps.Select(s => new ReportEndpoints.EodStepView(s.Step, s.Done, s.Sequence?.Value, s.Result))]);
            return result.Closed ? Results.Ok(view) : Results.UnprocessableEntity(view);
        }).WithName("run-eod").WithSummary("Runs the end of day of a date (default: the business date): 200 when every step is done, 422 naming the step that stopped it and why")
            .Produces<EodRunView>().Produces<EodRunView>(StatusCodes.Status422UnprocessableEntity).RequireAuthorization(Permission.EodRun);

        api.MapGet("/periods", async (Services services, CancellationToken ct) =>
        {
            LocalDate? closed = await new PeriodService(services.Store, services.Processor).ClosedThroughAsync(ct);
            return Results.Ok(new PeriodView(closed is { } d ? ApiServer.Iso(d) : null));
        }).WithName("periods").WithSummary("The last closed date (closed_through; null when no period is closed)").RequireAuthorization(Permission.LedgerRead);

        api.MapPost("/periods/close", async (HttpContext http, Services services, CancellationToken ct) =>
        {
            string actor = ApiServer.Actor(http);
            (Writes.Body? body, IResult? problem) = await Writes.ReadAsync(http, actor, Writes.SmallBytesMax, ct);
            if (problem is not null)
            {
                return problem;
            }
            if (Writes.Bind<CloseBody>(body!) is not { Through: { } text } || !ApiServer.TryDate(text, out LocalDate? through) || through is null)
            {
                return ApiServer.BadRequest("period.request", "the body is {\"through\": \"yyyy-MM-dd\"}", "through");
            }
            CommandOutcome outcome = await new PeriodService(services.Store, services.Processor).CloseAsync(through.Value, actor, ct);
            if (!outcome.Succeeded)
            {
                return Writes.Problem(StatusCodes.Status422UnprocessableEntity, outcome.Rejection!.Rule, outcome.Rejection.Message);
            }
            if (outcome.Status == CommandStatus.Replayed)
            {
                http.Response.Headers[Writes.ReplayedHeader] = "true";
            }
            LocalDate? closed = await new PeriodService(services.Store, services.Processor).ClosedThroughAsync(ct);
            return Results.Ok(new PeriodView(closed is { } d ? ApiServer.Iso(d) : null));
        }).WithName("close-period").WithSummary("Closes the books through a date {through}: no entry may be dated on or before it afterwards")
            .Produces<PeriodView>().RequireAuthorization(Permission.EodRun);
    }
}
