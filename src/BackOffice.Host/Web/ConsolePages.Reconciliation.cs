using System.Globalization;
using System.Text;
using System.Text.Json;
using BackOffice.Application.Approvals;
using BackOffice.Application.Ports;
using BackOffice.Application.Reconciliation;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Access;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Reconciliation;
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
/// Reconciliation in the console: the day's runs, the break queue with its filters and, for
/// those who work breaks, the assign, explain and resolve form on each; a chart of the unresolved
/// breaks by age and source; and a break's page with its history and the adjusting-entry form,
/// which files a <see cref="ApprovalKinds.BreakAdjustment"/> request for a checker.
/// </summary>
internal static partial class ConsolePages
{
    /// <summary>The chart's age buckets: days since a break was first found, inclusive.</summary>
    private static readonly (string Label, int From, int To)[] BreakAgeBuckets = [("0", 0, 0), ("1", 1, 1), ("2-5", 2, 5), ("6-10", 6, 10), (">10", 11, int.MaxValue)];

    /// <summary>Most unresolved breaks the chart counts; a queue longer than this is a problem the page names.</summary>
    private const int BreakChartMax = 100_000;

    /// <summary>Sources the chart tells apart by colour; more share the last colours.</summary>
    private const int ChartSeriesMax = 6;

    private static void MapReconciliation(RouteGroupBuilder console)
    {
        console.MapGet("/recon", ReconAsync).WithName("console-recon").RequireAuthorization(Permission.ReconRead);
        console.MapGet("/recon/breaks/{id:long}", BreakAsync).WithName("console-break").RequireAuthorization(Permission.ReconRead);
        console.MapPost("/recon/breaks/{id:long}/actions", ActOnBreakAsync).WithName("console-break-action").RequireAuthorization(Permission.ReconOperate);
        console.MapPost("/recon/breaks/{id:long}/adjustments", RequestAdjustmentAsync).WithName("console-break-adjustment").RequireAuthorization(Permission.ReconOperate);
    }

    private static async Task<IResult> ReconAsync(HttpContext http, Services services, string? status, string? source, string? account, string? olderThan, string? asOf,
        string? cursor, CancellationToken ct)
    {
        var problems = new List<string>();
        BreakStatus? wanted = BreakBook.ParseStatus(status);
        bool all = status == "all";
        if (!string.IsNullOrEmpty(status) && !all && wanted is null)
        {
            problems.Add($"'{status}' is not a status (open, explained, resolved, all): showing open and explained breaks.");
        }
        int? older = null;
        if (!string.IsNullOrEmpty(olderThan))
        {
            older = int.TryParse(olderThan, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : null;
            if (older is null)
            {
                problems.Add($"'{olderThan}' is not a number of days: showing breaks of every age.");
            }
        }
        if (!string.IsNullOrEmpty(asOf) && Date(asOf) is null)
        {
            problems.Add($"'{asOf}' is not a date (yyyy-MM-dd): ages count to the latest run's date.");
        }
        LocalDate day = Date(asOf) ?? await ReconCommands.LatestRunDateAsync(services, ct);
        long after = long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out long c) ? c : 0;
        string? sourceFilter = string.IsNullOrWhiteSpace(source) ? null : source.Trim();
        string? accountFilter = string.IsNullOrWhiteSpace(account) ? null : account.Trim();
        var query = new BreakQuery(wanted, UnresolvedOnly: wanted is null && !all, Account: accountFilter, Source: sourceFilter,
            FirstSeenOnOrBefore: older is { } days ? day.PlusDays(-days - 1) : null, AfterId: after, Limit: PageSize + 1);
        IReadOnlyList<ReconBreak> queue = await services.Store.ListBreaksAsync(query, ct);
        IReadOnlyList<ReconBreak> unresolved = await services.Store.ListBreaksAsync(new BreakQuery(UnresolvedOnly: true, Limit: BreakChartMax + 1), ct);
        if (unresolved.Count > BreakChartMax)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"More than {BreakChartMax} breaks are unresolved: the chart counts the first {BreakChartMax}."));
        }
        IReadOnlyList<ReconRun> runs = await services.Store.ListReconRunsAsync(day, PageSize, ct);

        var body = new StringBuilder();
        body.Append(ReconFilters(status, sourceFilter, accountFilter, olderThan, day));
        foreach (string problem in problems)
        {
            body.Append(Alert(problem));
        }
        body.Append("<section class=\"charts\" aria-label=\"Charts\">").Append(BreakAgeChart([.. unresolved.Take(BreakChartMax)], day)).Append("</section>");
        body.Append(Table($"Runs on {Iso(day)} (latest first)", ["Run", "Statement", "Source", "Account", "Kind", "Compared", "Agree", "Breaks", "By", "At"],
            runs.Select(r => (IReadOnlyList<string>)[N(r.Id), N(r.StatementRow), E(r.Source), E(r.Account), E(ReconciliationService.Kind(r.Kind)), N(r.Compared), N(r.Matched),
                N(r.Breaks), E(r.Actor), E(r.At.ToString())]),
            new HashSet<int> { 0, 1, 5, 6, 7 }, "recon-runs"));
        body.Append(BreakQueue(http, queue.Take(PageSize), day, wanted is null && !all ? "Unresolved breaks" : $"Breaks ({(all ? "all" : BreakBook.Name(wanted!.Value))})"));
        if (queue.Count > PageSize)
        {
            var next = new Dictionary<string, string?>
            {
                ["status"] = status,
                ["source"] = source,
                ["account"] = account,
                ["olderThan"] = olderThan,
                ["asOf"] = asOf,
                ["cursor"] = queue[PageSize - 1].Id.ToString(CultureInfo.InvariantCulture),
            };
            body.Append("<p>").Append(A("/console/recon" + QueryString.Create(next.Where(p => !string.IsNullOrEmpty(p.Value))), "Next page →", "rel=\"next\"")).Append("</p>");
        }
        return Page(http, "Reconciliation", body.ToString());
    }

    private static string ReconFilters(string? status, string? source, string? account, string? olderThan, LocalDate day)
    {
        var options = new StringBuilder("<option value=\"\">open and explained</option>");
        foreach (string s in new[] { "open", "explained", "resolved", "all" })
        {
            options.Append(CultureInfo.InvariantCulture, $"<option value=\"{s}\"{(status == s ? " selected" : "")}>{s}</option>");
        }
        return $"""
            <form method="get" class="filters" role="search">
              <label>Status <select name="status">{options}</select></label>
              <label>Source <input name="source" value="{E(source)}" data-search></label>
              <label>Account <input name="account" value="{E(account)}"></label>
              <label>Older than (days) <input type="number" name="olderThan" min="0" value="{E(olderThan)}"></label>
              <label>Ages as of <input type="date" name="asOf" value="{E(Iso(day))}"></label>
              <button type="submit">Show</button>
            </form>
            """;
    }

    /// <summary>The break queue; for a user who works breaks, each unresolved one has its action form.</summary>
    private static string BreakQueue(HttpContext http, IEnumerable<ReconBreak> breaks, LocalDate day, string caption)
    {
        bool operate = http.User.HasClaim(ApiKeyAuthentication.PermissionClaim, Permission.ReconOperate);
        string token = operate ? Antiforgery(http) : "";
        string[] headers = ["Break", "Source", "Account", "Kind", "Type", "Subject", "Ours", "Theirs", "Difference", "Date", "First seen", "Age (days)", "Status", "Owner", "Cause", "Latest note"];
        return Table(caption, operate ? [.. headers, "Act"] : headers,
            breaks.Select(b =>
            {
                IReadOnlyList<string> cells = [A($"/console/recon/breaks/{b.Id}", b.Id.ToString(CultureInfo.InvariantCulture)), E(b.Source), E(b.Account),
                    E(ReconciliationService.Kind(b.Kind)), E(BreakBook.Name(b.Type)), E(b.Subject), N(b.Ours), N(b.Theirs), N(b.Difference), E(Iso(b.Date)),
                    E(Iso(b.FirstSeen)), N(b.AgeDays(day)), BreakStatusCell(b.Status), E(b.Owner), E(b.Cause), E(b.Note)];
                return operate ? [.. cells, b.Status == BreakStatus.Resolved ? "" : ActionForm(b.Id, token, compact: true)] : cells;
            }),
            new HashSet<int> { 0, 6, 7, 8, 11 }, "breaks");
    }

    private static string BreakStatusCell(BreakStatus status) => $"<span class=\"status-{E(BreakBook.Name(status))}\">{E(BreakBook.Name(status))}</span>";

    /// <summary>The assign, explain and resolve form of one break: one owner and one note, three buttons.</summary>
    private static string ActionForm(long breakId, string antiforgery, bool compact)
    {
        string id = breakId.ToString(CultureInfo.InvariantCulture);
        string fields = compact
            ? $"""
              <input name="owner" aria-label="Owner, break {id}" placeholder="owner" size="10">
              <input name="note" aria-label="Note, break {id}" placeholder="note" size="20">
              """
            : """
              <label>Owner (to assign) <input name="owner" size="20"></label>
              <label>Note (to explain or resolve; optional to assign) <textarea name="note" rows="2" cols="50"></textarea></label>
              """;
        return $"""
            <form method="post" action="/console/recon/breaks/{id}/actions" class="{(compact ? "act" : "filters")}">
              {antiforgery}
              <input type="hidden" name="request_id" value="{E(Guid.NewGuid().ToString("N"))}">
              {fields}
              <button type="submit" name="act" value="assign">Assign</button>
              <button type="submit" name="act" value="explain" class="secondary">Explain</button>
              <button type="submit" name="act" value="resolve" class="secondary">Resolve</button>
            </form>
            """;
    }

    /// <summary>
    /// The unresolved breaks by age bucket, each bar stacked by source, as inline SVG (the page
    /// allows no script), with the numbers also in a table for screen readers and copying.
    /// </summary>
    private static string BreakAgeChart(IReadOnlyList<ReconBreak> unresolved, LocalDate day)
    {
        const int width = 600, height = 210, left = 40, plot = 380, bottom = 30, top = 20;
        string[] sources = [.. unresolved.Select(b => b.Source).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        int[,] counts = new int[BreakAgeBuckets.Length, sources.Length];
        foreach (ReconBreak b in unresolved)
        {
            int age = b.AgeDays(day);
            counts[Array.FindIndex(BreakAgeBuckets, k => age >= k.From && age <= k.To), Array.IndexOf(sources, b.Source)]++;
        }
        int[] totals = [.. Enumerable.Range(0, BreakAgeBuckets.Length).Select(i => Enumerable.Range(0, sources.Length).Sum(s => counts[i, s]))];
        double max = Math.Max(1, totals.Max());
        double slot = plot / (double)BreakAgeBuckets.Length;
        string title = $"Unresolved breaks by age in days and source, at {Iso(day)}";
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<figure id=\"breaks-by-age\"><figcaption>{E(title)}</figcaption>");
        svg.Append(CultureInfo.InvariantCulture, $"<svg role=\"img\" aria-labelledby=\"breaks-by-age-table\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{left + plot}\" y2=\"{height - bottom}\" stroke=\"#57606a\"/>");
        for (int i = 0; i < BreakAgeBuckets.Length; i++)
        {
            double x = left + i * slot + slot * 0.15, y = height - bottom;
            for (int s = 0; s < sources.Length; s++)
            {
                double h = counts[i, s] / max * (height - bottom - top);
                if (counts[i, s] > 0)
                {
                    y -= h;
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<rect class=\"bar series-{Math.Min(s, ChartSeriesMax - 1)}\" x=\"{x:F1}\" y=\"{y:F1}\" width=\"{slot * 0.7:F1}\" height=\"{h:F1}\"><title>{E(BreakAgeBuckets[i].Label)} days, {E(sources[s])}: {N(counts[i, s])}</title></rect>");
                }
            }
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + slot * 0.35:F1}\" y=\"{height - bottom + 14}\" text-anchor=\"middle\">{E(BreakAgeBuckets[i].Label)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + slot * 0.35:F1}\" y=\"{y - 3:F1}\" text-anchor=\"middle\">{N(totals[i])}</text>");
        }
        for (int s = 0; s < sources.Length; s++)
        {
            int y = top + s * 18;
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"series-{Math.Min(s, ChartSeriesMax - 1)}\" x=\"{left + plot + 20}\" y=\"{y}\" width=\"12\" height=\"12\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plot + 38}\" y=\"{y + 10}\">{E(sources[s])}</text>");
        }
        svg.Append("</svg><details><summary>The numbers</summary>");
        svg.Append(Table(title, ["Age (days)", .. sources, "Total"],
            Enumerable.Range(0, BreakAgeBuckets.Length).Select(i => (IReadOnlyList<string>)[E(BreakAgeBuckets[i].Label), .. Enumerable.Range(0, sources.Length).Select(s => N(counts[i, s])),
                N(totals[i])]),
            Enumerable.Range(1, sources.Length + 1).ToHashSet(), "breaks-by-age-table"));
        return svg.Append("</details></figure>").ToString();
    }

    private static async Task<IResult> BreakAsync(long id, HttpContext http, Services services, CancellationToken ct) =>
        await ReconEndpoints.OneAsync(services, id, ct) is { } found
            ? await BreakPageAsync(http, services, found, null, null, null, StatusCodes.Status200OK, ct)
            : NoSuchBreak(http, id);

    private static IResult NoSuchBreak(HttpContext http, long id) => Page(http, "No such break", Alert($"There is no break {id}."), StatusCodes.Status404NotFound);

    private static async Task<IResult> BreakPageAsync(HttpContext http, Services services, ReconBreak b, IFormCollection? entryForm, string? error, string? notice, int status,
        CancellationToken ct)
    {
        LocalDate day = await ReconCommands.LatestRunDateAsync(services, ct);
        IReadOnlyList<BreakEvent> events = await services.Store.ReadBreakEventsAsync(b.Id, ct);
        var body = new StringBuilder();
        body.Append(Alert(error)).Append(Notice(notice));
        body.Append(CultureInfo.InvariantCulture, $"""
            <dl>
              <dt>Account</dt><dd>{E(ReconciliationService.Kind(b.Kind))} account {E(b.Account)} at {E(b.Source)}</dd>
              <dt>Difference</dt><dd>{E(BreakBook.Name(b.Type))} {E(b.Subject)}: ours {N(b.Ours)}, theirs {N(b.Theirs)}, difference {N(b.Difference)}</dd>
              <dt>Date</dt><dd>{E(Iso(b.Date))}</dd>
              <dt>Seen</dt><dd>first {E(Iso(b.FirstSeen))}, last {E(Iso(b.LastSeen))} (run {N(b.LastRunId)}); {N(b.AgeDays(day))} days old at {E(Iso(day))}</dd>
              <dt>Status</dt><dd id="break-status">{BreakStatusCell(b.Status)}</dd>
              <dt>Owner</dt><dd id="break-owner">{E(b.Owner ?? "(nobody)")}</dd>
              <dt>Likely cause</dt><dd>{E(b.Cause ?? "(none known)")}</dd>
              <dt>Latest note</dt><dd id="break-note">{E(b.Note ?? "")}</dd>
              <dt>Detail</dt><dd>{E(b.Detail)}</dd>
            </dl>
            """);
        body.Append(Table("History (oldest first)", ["At", "By", "Action", "Note", "Run"],
            events.Select(e => (IReadOnlyList<string>)[E(e.At.ToString()), E(e.Actor), E(e.Action), E(e.Note), e.RunId is { } run ? N(run) : ""]),
            new HashSet<int> { 4 }, "break-events"));
        if (b.Status != BreakStatus.Resolved && http.User.HasClaim(ApiKeyAuthentication.PermissionClaim, Permission.ReconOperate))
        {
            body.Append("<h2>Work the break</h2>").Append(ActionForm(b.Id, Antiforgery(http), compact: false));
            body.Append(AdjustmentForm(http, b, entryForm));
        }
        return Page(http, $"Break {b.Id}", body.ToString(), status);
    }

    /// <summary>The adjusting-entry form: the entry goes to a checker, and books (resolving the break) when approved.</summary>
    private static string AdjustmentForm(HttpContext http, ReconBreak b, IFormCollection? form)
    {
        string V(string name, string fallback) => E(form is null ? fallback : form[name].ToString());
        string requestId = form?["request_id"].ToString() is { Length: > 0 } existing ? existing : Guid.NewGuid().ToString("N");
        string id = b.Id.ToString(CultureInfo.InvariantCulture);
        return $"""
            <h2>Adjusting entry</h2>
            <p>An adjusting entry is not booked when you send it: it becomes an approval request, and when a checker approves it the entry books and the break is resolved.</p>
            <form method="post" action="/console/recon/breaks/{id}/adjustments">
              {Antiforgery(http)}
              <input type="hidden" name="request_id" value="{E(requestId)}">
              <p><label>Key (unique, names the entry for good) <input name="key" value="{V("key", $"recon-break-{id}")}" required></label></p>
              <p><label>Effective date <input type="date" name="effective_date" value="{V("effective_date", Iso(b.Date))}" required></label></p>
              <p><label>Reason <input name="reason" value="{V("reason", $"adjusts break {id}: {BreakBook.Name(b.Type)} {b.Subject}")}" size="60" required></label></p>
              <p><label>Source (ticket, statement line) <input name="source" value="{V("source", $"recon break {id}")}" size="40"></label></p>
              <table><caption>Postings (leave unused rows empty)</caption><thead><tr><th>Account</th><th>Asset</th><th>Direction</th><th>Amount</th></tr></thead><tbody>{PostingRows(form)}</tbody></table>
              <p><button type="submit">Request approval</button></p>
            </form>
            """;
    }

    private static async Task<IResult> ActOnBreakAsync(long id, HttpContext http, Services services, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return FormExpired(http);
        }
        if (await ReconEndpoints.OneAsync(services, id, ct) is not { } found)
        {
            return NoSuchBreak(http, id);
        }
        IFormCollection form = await http.Request.ReadFormAsync(ct);
        string actor = ApiServer.Actor(http);
        // The form's request id makes a double submit one action.
        if (!IdempotencyKey.TryCreate($"console/{actor}/{form["request_id"]}", out IdempotencyKey key, out _))
        {
            return await BreakPageAsync(http, services, found, null, "The form is damaged; open it again.", null, StatusCodes.Status400BadRequest, ct);
        }
        string? owner = form["owner"].ToString().Trim() is { Length: > 0 } o ? o : null;
        string? note = form["note"].ToString().Trim() is { Length: > 0 } n ? n : null;
        CommandOutcome outcome = await services.Reconciliation.ActAsync(id, form["act"].ToString(), owner, note, actor, key, ct);
        ReconBreak now = (await ReconEndpoints.OneAsync(services, id, ct))!;
        if (!outcome.Succeeded)
        {
            int status = outcome.Rejection?.Rule == "break.resolved" || outcome.Status == CommandStatus.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
            return await BreakPageAsync(http, services, now, null, $"{outcome.Rejection?.Message} ({outcome.Rejection?.Rule})", null, status, ct);
        }
        return await BreakPageAsync(http, services, now, null, null, outcome.Result, StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> RequestAdjustmentAsync(long id, HttpContext http, Services services, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return FormExpired(http);
        }
        if (await ReconEndpoints.OneAsync(services, id, ct) is not { } found)
        {
            return NoSuchBreak(http, id);
        }
        IFormCollection form = await http.Request.ReadFormAsync(ct);
        string actor = ApiServer.Actor(http);
        if (!IdempotencyKey.TryCreate($"console/{actor}/{form["request_id"]}", out IdempotencyKey key, out _))
        {
            return await BreakPageAsync(http, services, found, form, "The form is damaged; open it again.", null, StatusCodes.Status400BadRequest, ct);
        }
        string payload = ApprovalKinds.AdjustmentPayload(id, JsonSerializer.SerializeToElement(EntryFields(form)));
        CommandOutcome outcome = await services.Approvals.RequestAsync(ApprovalKinds.BreakAdjustment, payload, actor, key, ct);
        if (!outcome.Succeeded)
        {
            return await BreakPageAsync(http, services, found, form, outcome.Rejection is { } r ? $"{r.Message} ({r.Rule})" : outcome.Result, null,
                StatusCodes.Status422UnprocessableEntity, ct);
        }
        return Results.Redirect($"/console/approvals/{ApprovalService.RequestId(outcome.Result)}");
    }
}
