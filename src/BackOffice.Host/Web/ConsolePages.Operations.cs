using System.Globalization;
using System.Text;
using System.Text.Json;
using BackOffice.Application.Approvals;
using BackOffice.Application.EndOfDay;
using BackOffice.Application.Lots;
using BackOffice.Application.Periods;
using BackOffice.Application.Reporting;
using BackOffice.Application.Trading;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Access;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Trading;
using BackOffice.Host.Api;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;
using static BackOffice.Host.Web.Html;

namespace BackOffice.Host.Web;

/// <summary>
/// The console's working pages beyond reading: an exception's repair form (the repaired trade goes
/// to a checker as a resubmission), positions at market with realized P&amp;L, and the end of day
/// (status, and the run for those who may close the day).
/// </summary>
internal static partial class ConsolePages
{
    private static void MapOperations(RouteGroupBuilder console)
    {
        console.MapGet("/exceptions/{id:long}", ExceptionAsync).WithName("console-exception").RequireAuthorization(Permission.TradesRead);
        console.MapPost("/exceptions/{id:long}", RequestResubmitAsync).WithName("console-resubmit").RequireAuthorization(Permission.TradesSubmit);
        console.MapGet("/positions", PositionsAsync).WithName("console-positions").RequireAuthorization(Permission.LedgerRead);
        console.MapGet("/eod", EodAsync).WithName("console-eod").RequireAuthorization(Permission.LedgerRead);
        console.MapPost("/eod", RunEodAsync).WithName("console-eod-run").RequireAuthorization(Permission.EodRun);
    }

    private static async Task<IResult> ExceptionAsync(long id, HttpContext http, Services services, CancellationToken ct) =>
        await services.Store.ReadExceptionAsync(id, ct) is { } exception
            ? ExceptionPage(http, exception, null, null)
            : Page(http, "No such exception", Alert($"There is no exception {id}."), StatusCodes.Status404NotFound);

    /// <summary>The fields of the message as received (what the repair form starts from); empty when it could not be read at all.</summary>
    private static Dictionary<string, string> ReceivedFields(TradeException exception)
    {
        if (exception.Request is { } json && TradeJson.Fields(json) is { Rejection: null } parsed)
        {
            return parsed.Value;
        }
        return new Dictionary<string, string>(StringComparer.Ordinal) { ["source"] = exception.Source, ["source_trade_id"] = exception.SourceTradeId ?? "" };
    }

    private static IResult ExceptionPage(HttpContext http, TradeException exception, IFormCollection? form, string? error, int status = StatusCodes.Status200OK)
    {
        Dictionary<string, string> received = ReceivedFields(exception);
        string V(string field) => E(form is null ? received.GetValueOrDefault(field, "") : form["f_" + field].ToString());
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <dl>
              <dt>Source</dt><dd>{E(exception.Source)} {E(exception.SourceTradeId)}</dd>
              <dt>Rule</dt><dd><code>{E(exception.Rule)}</code>: {E(exception.Message)}</dd>
              <dt>Where</dt><dd>{E(exception.Location)}</dd>
              <dt>Status</dt><dd>{(exception.Closure is { } closed ? E($"{closed.Action.ToString().ToLowerInvariant()}: {closed.Note}") : "open")}</dd>
            </dl>
            <h2>Message as received</h2><pre>{E(exception.RawMessage)}</pre>
            """);
        if (exception.Closure is null && http.User.HasClaim(ApiKeyAuthentication.PermissionClaim, Permission.TradesSubmit))
        {
            var rows = new StringBuilder();
            foreach (string field in TradeFields.All)
            {
                rows.Append(CultureInfo.InvariantCulture,
                    $"<tr><th scope=\"row\"><label for=\"f_{field}\">{E(field)}</label></th><td><input id=\"f_{field}\" name=\"f_{field}\" value=\"{V(field)}\" size=\"40\"{(field == "source_trade_id" ? " data-search" : "")}></td></tr>");
            }
            body.Append(CultureInfo.InvariantCulture, $"""
                <h2>Repair and resubmit</h2>
                <p>Change what is wrong; a checker approves the repaired trade before it books.</p>
                {Alert(error)}
                <form method="post" action="/console/exceptions/{exception.Id}">
                  {Antiforgery(http)}
                  <input type="hidden" name="request_id" value="{E(form?["request_id"].ToString() ?? Guid.NewGuid().ToString("N"))}">
                  <table><caption>Trade fields</caption><tbody>{rows}</tbody></table>
                  <p><button type="submit">Request resubmission</button></p>
                </form>
                """);
        }
        return Page(http, $"Exception {exception.Id}", body.ToString(), status);
    }

    private static async Task<IResult> RequestResubmitAsync(long id, HttpContext http, Services services, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return FormExpired(http);
        }
        if (await services.Store.ReadExceptionAsync(id, ct) is not { } exception)
        {
            return Page(http, "No such exception", Alert($"There is no exception {id}."), StatusCodes.Status404NotFound);
        }
        IFormCollection form = await http.Request.ReadFormAsync(ct);
        Dictionary<string, string> received = ReceivedFields(exception);
        // The repairs are the fields the user changed; the rest stay as received.
        var repairs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string field in TradeFields.All)
        {
            string value = form["f_" + field].ToString().Trim();
            if (value != received.GetValueOrDefault(field, "").Trim())
            {
                repairs[field] = value;
            }
        }
        string payload = JsonSerializer.Serialize(new Dictionary<string, object> { ["exception_id"] = id, ["repairs"] = repairs });
        string actor = ApiServer.Actor(http);
        if (!IdempotencyKey.TryCreate($"console/{actor}/{form["request_id"]}", out IdempotencyKey key, out _))
        {
            return ExceptionPage(http, exception, form, "The form is damaged; open it again.", StatusCodes.Status400BadRequest);
        }
        CommandOutcome outcome = await services.Approvals.RequestAsync(ApprovalKinds.ExceptionResubmit, payload, actor, key, ct);
        if (!outcome.Succeeded)
        {
            return ExceptionPage(http, exception, form, outcome.Rejection is { } r ? $"{r.Message} ({r.Rule})" : outcome.Result, StatusCodes.Status422UnprocessableEntity);
        }
        return Results.Redirect($"/console/approvals/{ApprovalService.RequestId(outcome.Result)}");
    }

    private static async Task<IResult> PositionsAsync(HttpContext http, Services services, string? asOf, string? format, CancellationToken ct)
    {
        LocalDate day = Date(asOf) ?? services.Clock.GetCurrentInstant().InUtc().Date;
        Valuation valuation = await new ValuationService(services.Store).ValueAsync(day, 0, null, ct);
        BranchScope? scope = await BranchScope.ForAsync(http, services, ct);
        bool Shown(string account) => scope is null || scope.SeesAccount(account);
        ValuationLine[] lines = [.. valuation.Lines.Where(l => Shown(l.Account))];
        string Plain(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
        if (format == "csv")
        {
            var csv = new StringBuilder("account,instrument,quantity,cost,price,price_date,market_value,unrealized,currency,exception\n");
            foreach (ValuationLine l in lines)
            {
                csv.Append(Intake.Csv.CsvText.Row(l.Account, l.Instrument, Plain(l.Quantity), Plain(l.Cost), Plain(l.Price), l.PriceDate is { } d ? Iso(d) : "",
                    Plain(l.MarketValue), Plain(l.Unrealized), l.Currency, l.Exception ?? "")).Append('\n');
            }
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"positions-{Iso(day)}.csv\"";
            return Results.Text(csv.ToString(), "text/csv; charset=utf-8");
        }
        RealizedSummary realized = await services.Lots.RealizedAsync(null, day, null, ct);
        string Maybe(decimal? value) => value is { } v ? N(v) : "";
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""<form method="get" class="filters"><label>As of <input type="date" name="asOf" value="{E(Iso(day))}" data-search></label><button type="submit">Show</button></form>""");
        body.Append(CultureInfo.InvariantCulture, $"<p>{A($"/console/positions?asOf={Iso(day)}&format=csv", "Download CSV", "download")}</p>");
        int missing = lines.Count(l => l.Exception is not null);
        if (missing > 0)
        {
            body.Append(Alert(string.Create(CultureInfo.InvariantCulture, $"{missing} positions have no usable price or rate for {Iso(day)}: their value is left empty, not zero.")));
        }
        body.Append(Table($"Positions at market, {Iso(day)}", ["Account", "Instrument", "Quantity", "Cost", "Price", "Price date", "Market value", "Unrealized", "Currency", "Exception"],
            lines.Select(l => (IReadOnlyList<string>)[E(l.Account), E(l.Instrument), N(l.Quantity), N(l.Cost), Maybe(l.Price), E(l.PriceDate is { } d ? Iso(d) : ""),
                Maybe(l.MarketValue), Maybe(l.Unrealized), E(l.Currency), E(l.Exception)]),
            new HashSet<int> { 2, 3, 4, 6, 7 }, "valuation"));
        body.Append(Table($"Realized P&L through {Iso(day)}", ["Account", "Instrument", "Currency", "Quantity", "Proceeds", "Cost basis", "Realized"],
            realized.Lines.Where(r => Shown(r.Account)).Select(r => (IReadOnlyList<string>)[E(r.Account), E(r.Instrument), E(r.Currency), N(r.Quantity), N(r.Proceeds), N(r.CostBasis),
                N(r.Proceeds - r.CostBasis)]),
            new HashSet<int> { 3, 4, 5, 6 }, "realized"));
        return Page(http, "Positions and P&L", body.ToString());
    }

    private static async Task<IResult> EodAsync(HttpContext http, Services services, string? date, CancellationToken ct)
    {
        var eod = services.Eod();
        LocalDate day = Date(date) ?? await eod.BusinessDateAsync(services.Clock.GetCurrentInstant().InUtc().Date, EodService.DefaultCalendar, ct);
        return await EodPageAsync(http, services, day, await eod.StatusAsync(day, ct), null, null, StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> EodPageAsync(HttpContext http, Services services, LocalDate day, IReadOnlyList<EodStepState> steps, string? error, string? notice, int status,
        CancellationToken ct)
    {
        LocalDate? closed = await new PeriodService(services.Store, services.Processor).ClosedThroughAsync(ct);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <form method="get" class="filters"><label>Business date <input type="date" name="date" value="{E(Iso(day))}" data-search></label><button type="submit">Show</button></form>
            <p>Books closed through <strong id="closed-through">{E(closed is { } c ? Iso(c) : "(no period closed)")}</strong>.</p>
            {Alert(error)}{Notice(notice)}
            """);
        body.Append(Table($"End of day {Iso(day)}", ["Step", "Status", "Audit record", "Result"],
            steps.Select(s => (IReadOnlyList<string>)[E(s.Step), s.Done ? "<span class=\"status-done\">done</span>" : "<span class=\"status-pending\">pending</span>",
                E(s.Sequence?.ToString()), E(s.Result)]), null, "eod-steps"));
        if (http.User.HasClaim(ApiKeyAuthentication.PermissionClaim, Permission.EodRun))
        {
            body.Append(CultureInfo.InvariantCulture, $"""
                <h2>Run the end of day</h2>
                <p>Each step runs once: a step already done is not done again, and a run that stopped resumes at the step that failed.</p>
                <form method="post" action="/console/eod">
                  {Antiforgery(http)}
                  <p><label>Business date <input type="date" name="date" value="{E(Iso(day))}" required></label>
                  <label>Prices may be this many business days old <input type="number" name="max_price_age" value="0" min="0" max="366"></label></p>
                  <p><button type="submit">Run end of day</button></p>
                </form>
                """);
        }
        return Page(http, "End of day", body.ToString(), status);
    }

    private static async Task<IResult> RunEodAsync(HttpContext http, Services services, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return FormExpired(http);
        }
        IFormCollection form = await http.Request.ReadFormAsync(ct);
        var eod = services.Eod();
        if (Date(form["date"].ToString()) is not { } day || !int.TryParse(form["max_price_age"].ToString() is { Length: > 0 } a ? a : "0", NumberStyles.None, CultureInfo.InvariantCulture, out int age)
            || age > 366)
        {
            LocalDate today = await eod.BusinessDateAsync(services.Clock.GetCurrentInstant().InUtc().Date, EodService.DefaultCalendar, ct);
            return await EodPageAsync(http, services, today, await eod.StatusAsync(today, ct), "Give the business date (yyyy-MM-dd) and a price age of 0 to 366 days.", null,
                StatusCodes.Status400BadRequest, ct);
        }
        EodRun run = await eod.RunAsync(day, ApiServer.Actor(http), age, EodService.DefaultCalendar, null, ct);
        return run.Closed
            ? await EodPageAsync(http, services, day, run.Steps, null, $"The end of day {Iso(day)} is done: the books are closed through it.", StatusCodes.Status200OK, ct)
            : await EodPageAsync(http, services, day, run.Steps, $"The end of day stopped at step '{run.FailedStep}': {run.Failure?.Message} ({run.Failure?.Rule}). Fix the cause and run it again.",
                null, StatusCodes.Status422UnprocessableEntity, ct);
    }
}
