using System.Globalization;
using System.Text;
using BackOffice.Application.Approvals;
using BackOffice.Application.Ports;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Access;
using BackOffice.Domain.Compliance;
using BackOffice.Domain.Primitives;
using BackOffice.Host.Api;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static BackOffice.Host.Web.Html;

namespace BackOffice.Host.Web;

/// <summary>
/// Compliance in the console: the alert queue that sanctions screening and surveillance raise,
/// with filters by status and kind, and an alert's page with its detail, history and, for a
/// compliance officer, the disposition form, which files a
/// <see cref="ApprovalKinds.AlertDisposition"/> request for another officer to approve.
/// </summary>
internal static partial class ConsolePages
{
    private static void MapCompliance(RouteGroupBuilder console)
    {
        console.MapGet("/compliance", ComplianceAsync).WithName("console-compliance").RequireAuthorization(Permission.ComplianceRead);
        console.MapGet("/compliance/alerts/{id:long}", AlertAsync).WithName("console-alert").RequireAuthorization(Permission.ComplianceRead);
        console.MapPost("/compliance/alerts/{id:long}/dispositions", ProposeDispositionAsync).WithName("console-alert-disposition")
            .RequireAuthorization(Permission.ComplianceOperate);
    }

    private static async Task<IResult> ComplianceAsync(HttpContext http, Services services, string? status, string? kind, CancellationToken ct)
    {
        var problems = new List<string>();
        AlertStatus? wanted = string.IsNullOrEmpty(status) ? AlertStatus.Open : AlertRules.ParseStatus(status);
        if (!string.IsNullOrEmpty(status) && status != "all" && wanted is null)
        {
            problems.Add($"'{status}' is not a status (open, true-match, false-positive, all): showing open alerts.");
            wanted = AlertStatus.Open;
        }
        AlertKind? kindWanted = string.IsNullOrEmpty(kind) ? null : AlertRules.ParseKind(kind);
        if (!string.IsNullOrEmpty(kind) && kindWanted is null)
        {
            problems.Add($"'{kind}' is not a kind of alert: showing every kind.");
        }
        IReadOnlyList<ComplianceAlert> alerts = await services.Store.ListAlertsAsync(new AlertQuery(status == "all" ? null : wanted, kindWanted, Limit: PageSize), ct);
        IReadOnlyList<StoredSanctionsList> lists = await services.Store.ListSanctionsListsAsync(ct);

        var body = new StringBuilder();
        body.Append(AlertFilters(status, kind));
        foreach (string problem in problems)
        {
            body.Append(Alert(problem));
        }
        body.Append("<p>").Append(lists.Count == 0
            ? "No sanctions list is loaded: names are not screened (<code>backoffice compliance sanctions-import</code>)."
            : E(string.Create(CultureInfo.InvariantCulture,
                $"Screening against {lists[^1].Source} {lists[^1].Version}, published {Iso(lists[^1].PublishedOn)}: {lists[^1].EntryCount} entries."))).Append("</p>");
        body.Append(Table(status == "all" ? "Alerts (all)" : $"Alerts ({(wanted is { } w ? AlertRules.Name(w) : "open")}, latest first)",
            ["Alert", "Kind", "Subject", "Account", "Raised", "Score", "List", "Status", "Detail"],
            alerts.Select(a => (IReadOnlyList<string>)[A($"/console/compliance/alerts/{a.Id}", a.Id.ToString(CultureInfo.InvariantCulture)), E(AlertRules.Name(a.Kind)),
                E(a.SubjectKind + " " + a.Subject), E(a.Account), E(Iso(a.RaisedOn)), a.Score is { } s ? N(s) : "", E(a.ListVersion),
                $"<span class=\"status-{E(AlertRules.Name(a.Status))}\">{E(AlertRules.Name(a.Status))}</span>", E(a.Detail)]),
            new HashSet<int> { 0, 5 }, "alerts"));
        return Page(http, "Compliance alerts", body.ToString());
    }

    private static string AlertFilters(string? status, string? kind)
    {
        var statuses = new StringBuilder();
        foreach (string s in new[] { "open", "true-match", "false-positive", "all" })
        {
            statuses.Append(CultureInfo.InvariantCulture, $"<option value=\"{s}\"{((status ?? "open") == s ? " selected" : "")}>{s}</option>");
        }
        var kinds = new StringBuilder("<option value=\"\">every kind</option>");
        foreach (AlertKind k in Enum.GetValues<AlertKind>())
        {
            string name = AlertRules.Name(k);
            kinds.Append(CultureInfo.InvariantCulture, $"<option value=\"{name}\"{(kind == name ? " selected" : "")}>{name}</option>");
        }
        return $"""
            <form method="get" class="filters" role="search">
              <label>Status <select name="status">{statuses}</select></label>
              <label>Kind <select name="kind" data-search>{kinds}</select></label>
              <button type="submit">Show</button>
            </form>
            """;
    }

    private static async Task<IResult> AlertAsync(long id, HttpContext http, Services services, CancellationToken ct) =>
        await AlertPageAsync(http, services, id, null, StatusCodes.Status200OK, ct);

    private static async Task<IResult> AlertPageAsync(HttpContext http, Services services, long id, string? error, int status, CancellationToken ct)
    {
        IReadOnlyList<ComplianceAlert> found = await services.Store.ListAlertsAsync(new AlertQuery(Id: id, Limit: 1), ct);
        if (found.Count == 0)
        {
            return Page(http, "No such alert", Alert($"There is no alert {id}."), StatusCodes.Status404NotFound);
        }
        ComplianceAlert a = found[0];
        IReadOnlyList<AlertEvent> events = await services.Store.ReadAlertEventsAsync(id, ct);
        var body = new StringBuilder(Alert(error));
        body.Append("<dl>");
        foreach ((string term, string value) in new[]
        {
            ("Kind", AlertRules.Name(a.Kind)), ("Subject", a.SubjectKind + " " + a.Subject), ("Account", a.Account ?? ""), ("Raised", Iso(a.RaisedOn)),
            ("Score", a.Score?.ToString(CultureInfo.InvariantCulture) ?? ""), ("List version", a.ListVersion ?? ""), ("Status", AlertRules.Name(a.Status)),
            ("Reason", a.Reason), ("Proposed by", a.DecidedBy ?? ""), ("Decided against list", a.DecidedListVersion ?? ""),
        })
        {
            body.Append(CultureInfo.InvariantCulture, $"<dt>{E(term)}</dt><dd>{E(value)}</dd>");
        }
        body.Append("</dl>").Append(CultureInfo.InvariantCulture, $"<h2>Why</h2><p>{E(a.Detail)}</p>");
        body.Append(Table("History", ["Audit record", "Action", "By", "Note", "List version"],
            events.Select(e => (IReadOnlyList<string>)[N(e.Sequence.Value), E(e.Action), E(e.Actor), E(e.Note), E(e.ListVersion)]), new HashSet<int> { 0 }, "alert-history"));
        if (a.Status == AlertStatus.Open && http.User.HasClaim(ApiKeyAuthentication.PermissionClaim, Permission.ComplianceOperate))
        {
            body.Append(CultureInfo.InvariantCulture, $"""
                <h2>Dispose of it</h2>
                <p>Another compliance officer approves the disposition. A true match of a sanctions alert blocks the account against trades and withdrawals.</p>
                <form method="post" action="/console/compliance/alerts/{id}/dispositions" class="filters">
                  {Antiforgery(http)}
                  <input type="hidden" name="request_id" value="{E(Guid.NewGuid().ToString("N"))}">
                  <label>Disposition <select name="disposition"><option value="false-positive">false positive</option><option value="true-match">true match</option></select></label>
                  <label>Reason <textarea name="reason" rows="2" cols="50" required></textarea></label>
                  <button type="submit">Send for approval</button>
                </form>
                """);
        }
        return Page(http, string.Create(CultureInfo.InvariantCulture, $"Alert {id}"), body.ToString(), status);
    }

    private static async Task<IResult> ProposeDispositionAsync(long id, HttpContext http, Services services, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return FormExpired(http);
        }
        IFormCollection form = await http.Request.ReadFormAsync(ct);
        string actor = ApiServer.Actor(http);
        if (!IdempotencyKey.TryCreate($"console/{actor}/{form["request_id"]}", out IdempotencyKey key, out _))
        {
            return await AlertPageAsync(http, services, id, "The form is damaged; open it again.", StatusCodes.Status400BadRequest, ct);
        }
        string disposition = form["disposition"].ToString();
        if (AlertRules.ParseDisposition(disposition) is null)
        {
            return await AlertPageAsync(http, services, id, "Choose true match or false positive.", StatusCodes.Status422UnprocessableEntity, ct);
        }
        string payload = ApprovalKinds.DispositionPayload(id, disposition, form["reason"].ToString(), actor);
        CommandOutcome outcome = await services.Approvals.RequestAsync(ApprovalKinds.AlertDisposition, payload, actor, key, ct);
        if (!outcome.Succeeded)
        {
            return await AlertPageAsync(http, services, id, outcome.Rejection is { } r ? $"{r.Message} ({r.Rule})" : outcome.Result,
                outcome.Rejection?.Rule == "alert.unknown" ? StatusCodes.Status404NotFound : StatusCodes.Status422UnprocessableEntity, ct);
        }
        return Results.Redirect($"/console/approvals/{ApprovalService.RequestId(outcome.Result)}");
    }
}
