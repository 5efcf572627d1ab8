using System.Globalization;
using System.Text;
using System.Text.Json;
using BackOffice.Application.Approvals;
using BackOffice.Application.Ledger;
using BackOffice.Application.Ports;
using BackOffice.Application.Reporting;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Access;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Approvals;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Settlement;
using BackOffice.Domain.Trading;
using BackOffice.Host.Api;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;
using NodaTime.Text;
using static BackOffice.Host.Web.Html;

namespace BackOffice.Host.Web;

/// <summary>
/// The console's pages, each behind the same permission as its API: the dashboard, the blotter
/// and a trade's detail, exceptions, settlement, approvals (with the checker's approve and reject
/// forms), a manual entry form for makers, balances, the trial balance (also as CSV) and audit
/// verification. Lists are paged on the server.
/// </summary>
internal static partial class ConsolePages
{
    private const int PageSize = 50;

    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/", DashboardAsync).WithName("console-dashboard");
        console.MapGet("/trades", BlotterAsync).WithName("console-trades").RequireAuthorization(Permission.TradesRead);
        console.MapGet("/trades/{id:long}", TradeAsync).WithName("console-trade").RequireAuthorization(Permission.TradesRead);
        console.MapGet("/exceptions", ExceptionsAsync).WithName("console-exceptions").RequireAuthorization(Permission.TradesRead);
        console.MapGet("/settlement", SettlementAsync).WithName("console-settlement").RequireAuthorization(Permission.SettlementRead);
        console.MapGet("/approvals", ApprovalsAsync).WithName("console-approvals").RequireAuthorization(Permission.ApprovalsRead);
        console.MapGet("/approvals/{id:long}", ApprovalAsync).WithName("console-approval").RequireAuthorization(Permission.ApprovalsRead);
        console.MapPost("/approvals/{id:long}", DecideAsync).WithName("console-decide").RequireAuthorization(Permission.ApprovalsDecide);
        console.MapGet("/entries/new", (HttpContext http) => EntryForm(http, null, null)).WithName("console-entry-form").RequireAuthorization(Permission.JournalRequest);
        console.MapPost("/entries", RequestEntryAsync).WithName("console-entry").RequireAuthorization(Permission.JournalRequest);
        console.MapGet("/balances", BalancesAsync).WithName("console-balances").RequireAuthorization(Permission.LedgerRead);
        console.MapGet("/reports/trial-balance", TrialBalanceAsync).WithName("console-trial-balance").RequireAuthorization(Permission.LedgerRead);
        console.MapGet("/audit", AuditAsync).WithName("console-audit").RequireAuthorization(Permission.AuditRead);
        console.MapGet("/users", UsersAsync).WithName("console-users").RequireAuthorization(Permission.UsersManage);
        console.MapPost("/users", RequestUserAsync).WithName("console-user").RequireAuthorization(Permission.UsersManage);
        MapOperations(console);
        MapReconciliation(console);
        MapDocuments(console);
        MapCompliance(console);
    }

    /// <summary>The answer to a form posted without a valid antiforgery token.</summary>
    private static IResult FormExpired(HttpContext http) =>
        Page(http, "Form expired", Alert("The form expired or did not come from this console; open it again."), StatusCodes.Status400BadRequest);

    private static LocalDate? Date(string? text) => string.IsNullOrEmpty(text) ? null : LocalDatePattern.Iso.Parse(text) is { Success: true } p ? p.Value : null;

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static async Task<IResult> DashboardAsync(HttpContext http, Services services, string? date, CancellationToken ct)
    {
        LocalDate asOf = Date(date) ?? services.Clock.GetCurrentInstant().InUtc().Date;
        ChainHead head = await services.Store.ReadHeadAsync(ct);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <form method="get" class="filters"><label>As of <input type="date" name="date" value="{E(Iso(asOf))}"></label><button type="submit">Show</button></form>
            """);
        var cards = new List<(string Label, string Value, string? Href)>
        {
            ("Closed through", head.ClosedThrough is { } closed ? Iso(closed) : "nothing closed", null),
            ("Audit records", N(head.Sequence.Value), http.User.HasClaim(ApiKeyAuthentication.PermissionClaim, Permission.AuditRead) ? "/console/audit" : null),
        };
        string charts = "";
        if (http.User.HasClaim(ApiKeyAuthentication.PermissionClaim, Permission.TradesRead))
        {
            IReadOnlyList<(LocalDate TradeDate, int Active, int Busted)> byDate = await services.Store.CountTradesByDateAsync(10, ct);
            int onDay = byDate.Where(d => d.TradeDate == asOf).Sum(d => d.Active);
            cards.Add(($"Trades on {Iso(asOf)}", N(onDay), $"/console/trades?tradeDate={Iso(asOf)}"));
            int open = (await services.Store.ListExceptionsAsync(openOnly: true, ct)).Count;
            cards.Add(("Open exceptions", N(open), "/console/exceptions"));
            charts += Bars("Trades by trade date (latest 10 dates)", "trades-by-date",
                [.. byDate.OrderBy(d => d.TradeDate).Select(d => (Iso(d.TradeDate), (decimal)d.Active))], bad: false);
        }
        if (http.User.HasClaim(ApiKeyAuthentication.PermissionClaim, Permission.SettlementRead))
        {
            IReadOnlyList<SettlementFail> fails = await FailsAsync(services, asOf, ct);
            cards.Add(($"Fails at {Iso(asOf)}", N(fails.Count), $"/console/settlement?date={Iso(asOf)}"));
            string[] buckets = ["1", "2-3", "4-7", "8-15", "16-30", "31+"];
            charts += Bars($"Fails by age in business days, at {Iso(asOf)}", "fails-by-age",
                [.. buckets.Select(b => (b, (decimal)fails.Count(f => f.AgeBucket == b)))], bad: true);
        }
        if (http.User.HasClaim(ApiKeyAuthentication.PermissionClaim, Permission.ReconRead))
        {
            int unresolved = (await services.Store.ListBreaksAsync(new BreakQuery(UnresolvedOnly: true, Limit: BreakChartMax), ct)).Count;
            cards.Add(("Unresolved breaks", N(unresolved), "/console/recon"));
        }
        if (http.User.HasClaim(ApiKeyAuthentication.PermissionClaim, Permission.ApprovalsRead))
        {
            Instant now = services.Clock.GetCurrentInstant();
            int waiting = (await services.Store.ListApprovalsAsync(new ApprovalQuery(ApprovalStatus.Pending, 0, 1000), ct)).Count(a => a.StatusAt(now) == ApprovalStatus.Pending);
            cards.Add(("Approvals waiting", N(waiting), "/console/approvals"));
        }
        body.Append("<section class=\"cards\" aria-label=\"Today\">");
        foreach (var (label, value, href) in cards)
        {
            body.Append(CultureInfo.InvariantCulture, $"<div class=\"card\"><div class=\"value\">{(href is null ? E(value) : A(href, value))}</div><div class=\"label\">{E(label)}</div></div>");
        }
        body.Append("</section><section class=\"charts\" aria-label=\"Charts\">").Append(charts).Append("</section>");
        return Page(http, "Dashboard", body.ToString());
    }

    private static async Task<IReadOnlyList<SettlementFail>> FailsAsync(Services services, LocalDate asOf, CancellationToken ct)
    {
        IReadOnlyList<SettlementInstruction> open = await services.Store.ListInstructionsAsync(new InstructionQuery(OpenOnly: true), ct);
        IReadOnlyList<CloseOutRule> rules = await services.Store.ReadCloseOutRulesAsync(ct);
        return Fails.Report(open, asOf, _ => Fails.DefaultCategory(null), rules.Count > 0 ? rules : CloseOutRules.Defaults);
    }

    /// <summary>A bar chart as inline SVG, with the numbers also in a table for screen readers and copying.</summary>
    private static string Bars(string title, string id, IReadOnlyList<(string Label, decimal Value)> bars, bool bad)
    {
        const int width = 520, height = 190, left = 40, bottom = 30, top = 20;
        decimal max = Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => b.Value));
        double slot = bars.Count == 0 ? 0 : (width - left - 10) / (double)bars.Count;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<figure id=\"{E(id)}\"><figcaption>{E(title)}</figcaption>");
        svg.Append(CultureInfo.InvariantCulture, $"<svg role=\"img\" aria-labelledby=\"{E(id)}-table\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width}\" y2=\"{height - bottom}\" stroke=\"#57606a\"/>");
        for (int i = 0; i < bars.Count; i++)
        {
            double h = (double)(bars[i].Value / max) * (height - bottom - top);
            double x = left + i * slot + slot * 0.15;
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"bar{(bad ? " bad" : "")}\" x=\"{x:F1}\" y=\"{height - bottom - h:F1}\" width=\"{slot * 0.7:F1}\" height=\"{h:F1}\"><title>{E(bars[i].Label)}: {N(bars[i].Value)}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + slot * 0.35:F1}\" y=\"{height - bottom + 14}\" text-anchor=\"middle\">{E(bars[i].Label.Length > 5 ? bars[i].Label[5..] : bars[i].Label)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + slot * 0.35:F1}\" y=\"{height - bottom - h - 3:F1}\" text-anchor=\"middle\">{N(bars[i].Value)}</text>");
        }
        svg.Append("</svg>");
        svg.Append("<details><summary>The numbers</summary>")
            .Append(Table(title, ["", "count"], bars.Select(b => (IReadOnlyList<string>)[E(b.Label), N(b.Value)]), new HashSet<int> { 1 }, id + "-table"))
            .Append("</details>");
        return svg.Append("</figure>").ToString();
    }

    private static async Task<IResult> BlotterAsync(HttpContext http, Services services, string? q, string? account, string? tradeDate, string? status, string? cursor, CancellationToken ct)
    {
        LocalDate? day = Date(tradeDate);
        TradeStatus? wanted = status is "active" ? TradeStatus.Active : status is "busted" ? TradeStatus.Busted : null;
        long after = long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out long c) ? c : 0;
        string? text = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        IReadOnlyList<TradeVersion> found = await services.Store.ListTradesAsync(
            new TradeQuery(string.IsNullOrWhiteSpace(account) ? null : account.Trim(), day, wanted, after, PageSize + 1, ApiServer.Branch(http), text), ct);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <form method="get" class="filters" role="search">
              <label>Search (trade id, ISIN, account, counterparty) <input name="q" value="{E(q)}" data-search></label>
              <label>Account <input name="account" value="{E(account)}"></label>
              <label>Trade date <input type="date" name="tradeDate" value="{E(day is { } d ? Iso(d) : "")}"></label>
              <label>Status <select name="status"><option value="">any</option><option value="active"{(status == "active" ? " selected" : "")}>active</option><option value="busted"{(status == "busted" ? " selected" : "")}>busted</option></select></label>
              <button type="submit">Search</button>
            </form>
            """);
        if (!string.IsNullOrEmpty(tradeDate) && day is null)
        {
            body.Append(Alert($"'{tradeDate}' is not a date (yyyy-MM-dd): showing every date."));
        }
        body.Append(Table("Trades (latest version of each)", ["Trade", "Source id", "Side", "ISIN", "Quantity", "Price", "Currency", "Account", "Counterparty", "Trade date", "Settles", "Net", "Status"],
            found.Take(PageSize).Select(t => (IReadOnlyList<string>)[
                A($"/console/trades/{t.TradeId}", t.TradeId.ToString(CultureInfo.InvariantCulture)), E(t.SourceTradeId), E(t.Side.ToString().ToUpperInvariant()), E(t.Isin),
                N(t.Quantity), N(t.Price), E(t.Currency), E(t.Account), E(t.Counterparty), E(Iso(t.TradeDate)), E(Iso(t.SettlementDate)), N(t.Net),
                $"<span class=\"status-{t.Status.ToString().ToLowerInvariant()}\">{E(t.Status.ToString().ToLowerInvariant())}</span>"]),
            new HashSet<int> { 4, 5, 11 }, "blotter"));
        if (found.Count > PageSize)
        {
            var query = new Dictionary<string, string?> { ["q"] = q, ["account"] = account, ["tradeDate"] = tradeDate, ["status"] = status, ["cursor"] = found[PageSize - 1].TradeId.ToString(CultureInfo.InvariantCulture) };
            body.Append("<p>").Append(A("/console/trades" + QueryString.Create(query.Where(p => !string.IsNullOrEmpty(p.Value))), "Next page →", "rel=\"next\"")).Append("</p>");
        }
        return Page(http, "Blotter", body.ToString());
    }

    private static async Task<IResult> TradeAsync(long id, HttpContext http, Services services, CancellationToken ct)
    {
        IReadOnlyList<TradeVersion> versions = await services.Store.ReadTradeAsync(id, ct);
        if (versions.Count > 0 && await BranchScope.ForAsync(http, services, ct) is { } scope && !scope.SeesAccount(versions[^1].Account))
        {
            versions = [];
        }
        if (versions.Count == 0)
        {
            return Page(http, "No such trade", Alert($"There is no trade {id}."), StatusCodes.Status404NotFound);
        }
        TradeVersion latest = versions[^1];
        ReferenceLookup reference = await services.Store.ReadAllReferenceAsync(ct);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <dl>
              <dt>Source</dt><dd>{E(latest.Source)} {E(latest.SourceTradeId)}</dd>
              <dt>Status</dt><dd class="status-{E(latest.Status.ToString().ToLowerInvariant())}">{E(latest.Status.ToString().ToLowerInvariant())}</dd>
              <dt>Trade</dt><dd>{E(latest.Side.ToString().ToUpperInvariant())} {N(latest.Quantity)} {E(latest.Isin)} at {N(latest.Price)} {E(latest.Currency)} on {E(latest.Market)}</dd>
              <dt>Account</dt><dd>{E(latest.Account)} with {E(latest.Counterparty)}</dd>
              <dt>Dates</dt><dd>traded {E(Iso(latest.TradeDate))}, settles {E(Iso(latest.SettlementDate))}</dd>
              <dt>Amounts</dt><dd>gross {N(latest.Gross)}, accrued interest {N(latest.AccruedInterest)}, net {N(latest.Net)}</dd>
            </dl>
            """);
        body.Append(Table("Versions", ["Version", "Action", "Status", "Quantity", "Price", "Net", "Entry", "Reversal", "Audit record"],
            versions.Select(v => (IReadOnlyList<string>)[N(v.Version), E(v.Action.ToString().ToLowerInvariant()), E(v.Status.ToString().ToLowerInvariant()), N(v.Quantity), N(v.Price),
                N(v.Net), E(v.EntryId?.ToString()), E(v.ReversalEntryId?.ToString()), E(v.AuditSequence.ToString())]), new HashSet<int> { 0, 3, 4, 5 }, "versions"));
        foreach (TradeVersion v in versions)
        {
            body.Append(CultureInfo.InvariantCulture, $"<h2>Version {v.Version}</h2>");
            foreach (JournalEntryId entryId in new[] { v.ReversalEntryId, v.EntryId }.OfType<JournalEntryId>())
            {
                if (await services.Store.ReadEntryAsync(entryId, ct) is { } entry)
                {
                    body.Append(Table($"Entry {entry.Id}: {entry.Reason} (effective {Iso(entry.EffectiveDate)})", ["Account", "Asset", "Debit", "Credit"],
                        entry.Postings.Select(p => (IReadOnlyList<string>)[E(reference.LedgerAccountsById[p.LedgerAccount].Code), E(reference.AssetsById[p.Asset].Code),
                            p.Direction == Direction.Debit ? N(reference.AssetsById[p.Asset].ToAmount(p.Units)) : "",
                            p.Direction == Direction.Credit ? N(reference.AssetsById[p.Asset].ToAmount(-p.Units)) : ""]),
                        new HashSet<int> { 2, 3 }));
                }
            }
            if (await services.Store.ReadAuditRecordAsync(v.AuditSequence, ct) is { } record)
            {
                body.Append(AuditRecordList(record));
            }
            body.Append(CultureInfo.InvariantCulture, $"<h3>Source message</h3><pre>{E(v.SourceMessage)}</pre>");
        }
        return Page(http, $"Trade {id}", body.ToString());
    }

    private static string AuditRecordList(AuditRecord record) => $"""
        <dl class="audit">
          <dt>Audit record</dt><dd>{E(record.Sequence.ToString())}: {E(record.CommandType)} by {E(record.Actor)} at {E(record.RecordedAt.ToString())}</dd>
          <dt>Result</dt><dd>{E(record.Result)}</dd>
          <dt>Hash</dt><dd><code>{E(record.Hash.ToString())}</code></dd>
        </dl>
        """;

    private static async Task<IResult> ExceptionsAsync(HttpContext http, Services services, CancellationToken ct)
    {
        IReadOnlyList<TradeException> open = await services.Store.ListExceptionsAsync(openOnly: true, ct);
        string body = Table("Open exceptions (open one to repair and resubmit it)", ["Id", "Source", "Source id", "Rule", "Message", "Where", "Message as received"],
            open.Select(e => (IReadOnlyList<string>)[A($"/console/exceptions/{e.Id}", N(e.Id)), E(e.Source), E(e.SourceTradeId), E(e.Rule), E(e.Message), E(e.Location),
                $"<pre>{E(e.RawMessage)}</pre>"]), null, "exceptions");
        return Page(http, "Exceptions", body);
    }

    private static async Task<IResult> SettlementAsync(HttpContext http, Services services, string? date, CancellationToken ct)
    {
        LocalDate asOf = Date(date) ?? services.Clock.GetCurrentInstant().InUtc().Date;
        IReadOnlyList<SettlementInstruction> instructions = await services.Store.ListInstructionsAsync(new InstructionQuery(SettlementDate: Date(date)), ct);
        IReadOnlyList<SettlementFail> fails = await FailsAsync(services, asOf, ct);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""<form method="get" class="filters"><label>Settlement date <input type="date" name="date" value="{E(date)}" data-search></label><button type="submit">Show</button></form>""");
        body.Append(Table($"Fails at {Iso(asOf)}", ["Instruction", "Counterparty", "ISIN", "Quantity", "Amount", "Currency", "Due", "Age", "Close-out by", "Reason"],
            fails.Select(f => (IReadOnlyList<string>)[E(f.Instruction.TransactionId), E(f.Instruction.Counterparty), E(f.Instruction.Isin), N(f.Instruction.Quantity - f.Instruction.SettledQuantity),
                N(f.Instruction.Amount - f.Instruction.SettledAmount), E(f.Instruction.Currency), E(Iso(f.Instruction.SettlementDate)), N(f.AgeBusinessDays), E(Iso(f.CloseOutDeadline)), E(f.Instruction.ReasonCode)]),
            new HashSet<int> { 3, 4, 7 }, "fails"));
        body.Append(Table(date is null ? "Instructions" : $"Instructions settling {date}", ["Instruction", "Type", "Status", "Counterparty", "ISIN", "Quantity", "Amount", "Currency", "Settles", "Settled", "Reason"],
            instructions.Select(i => (IReadOnlyList<string>)[E(i.TransactionId), E(i.Code), $"<span class=\"status-{E(InstructionLifecycle.Name(i.Status))}\">{E(InstructionLifecycle.Name(i.Status))}</span>",
                E(i.Counterparty), E(i.Isin), N(i.Quantity), N(i.Amount), E(i.Currency), E(Iso(i.SettlementDate)), N(i.SettledQuantity), E(i.ReasonCode)]),
            new HashSet<int> { 5, 6, 9 }, "instructions"));
        BranchScope? scope = await BranchScope.ForAsync(http, services, ct);
        List<SettlementObligation> due = await new Application.Settlement.SettlementService(services.Store).ObligationsDueAsync(asOf, ct);
        body.Append(Table($"Obligations due {Iso(asOf)}", ["Transaction", "Trade", "Type", "ISIN", "Quantity", "Amount", "Currency", "Account", "Counterparty", "Place of settlement"],
            due.Where(o => scope is null || scope.SeesAccount(o.Account)).Select(o => (IReadOnlyList<string>)[E(o.TransactionId), A($"/console/trades/{o.TradeId}", N(o.TradeId)),
                E(o.Code), E(o.Isin), N(o.Quantity), N(o.Amount), E(o.Currency), E(o.Account), E(o.Counterparty), E(o.Ssi?.PlaceOfSettlement)]),
            new HashSet<int> { 4, 5 }, "obligations"));
        IReadOnlyList<AccruedPenalty> penalties = await services.Store.ReadPenaltiesAsync(asOf.PlusDays(-31), asOf, ct);
        body.Append(Table($"Cash penalties accrued in the 31 days to {Iso(asOf)}", ["Instruction", "Date", "Fail", "Side", "Category", "Failing quantity", "Amount", "Currency"],
            penalties.Select(p => (IReadOnlyList<string>)[E(p.TransactionId), E(Iso(p.Date)), E(p.Type.ToString().ToLowerInvariant()), E(p.Side.ToString().ToLowerInvariant()),
                E(p.Category.ToString()), N(p.FailingQuantity), N(p.Amount), E(p.Currency)]),
            new HashSet<int> { 5, 6 }, "penalties"));
        return Page(http, "Settlement", body.ToString());
    }

    private static async Task<IResult> ApprovalsAsync(HttpContext http, Services services, string? status, string? cursor, CancellationToken ct)
    {
        Instant now = services.Clock.GetCurrentInstant();
        long after = long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out long c) ? c : 0;
        ApprovalStatus? wanted = Enum.TryParse(status, ignoreCase: true, out ApprovalStatus s) && Enum.IsDefined(s) ? s : null;
        IReadOnlyList<ApprovalRequest> page = await services.Store.ListApprovalsAsync(new ApprovalQuery(wanted == ApprovalStatus.Expired ? ApprovalStatus.Pending : wanted, after, PageSize + 1), ct);
        var body = new StringBuilder();
        body.Append("<form method=\"get\" class=\"filters\"><label>Status <select name=\"status\" data-search><option value=\"\">any</option>");
        foreach (string name in new[] { "pending", "approved", "rejected", "expired" })
        {
            body.Append(CultureInfo.InvariantCulture, $"<option{(string.Equals(status, name, StringComparison.OrdinalIgnoreCase) ? " selected" : "")}>{name}</option>");
        }
        body.Append("</select></label><button type=\"submit\">Show</button></form>");
        body.Append(Table("Approval requests", ["Request", "Kind", "Summary", "Maker", "Requested", "Status", "Checker"],
            page.Take(PageSize).Where(r => wanted is null || r.StatusAt(now) == wanted).Select(r => (IReadOnlyList<string>)[A($"/console/approvals/{r.Id}", r.Id.ToString(CultureInfo.InvariantCulture)),
                E(r.Kind), E(r.Summary), E(r.Maker), E(r.RequestedAt.ToString()), $"<span class=\"status-{E(r.StatusAt(now).ToString().ToLowerInvariant())}\">{E(r.StatusAt(now).ToString().ToLowerInvariant())}</span>", E(r.Checker)]),
            null, "approvals"));
        if (page.Count > PageSize)
        {
            body.Append("<p>").Append(A($"/console/approvals?status={Uri.EscapeDataString(status ?? "")}&cursor={page[PageSize - 1].Id}", "Next page →", "rel=\"next\"")).Append("</p>");
        }
        return Page(http, "Approvals", body.ToString());
    }

    private static async Task<IResult> ApprovalAsync(long id, HttpContext http, Services services, CancellationToken ct) =>
        await services.Store.ReadApprovalAsync(id, ct) is { } request
            ? ApprovalPage(http, services, request, null, null)
            : Page(http, "No such request", Alert($"There is no approval request {id}."), StatusCodes.Status404NotFound);

    private static IResult ApprovalPage(HttpContext http, Services services, ApprovalRequest request, string? error, string? notice, int status = StatusCodes.Status200OK)
    {
        ApprovalStatus now = request.StatusAt(services.Clock.GetCurrentInstant());
        string payload = request.Payload;
        try
        {
            using JsonDocument document = JsonDocument.Parse(payload);
            payload = JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            // Shown as sent.
        }
        var body = new StringBuilder();
        body.Append(Alert(error)).Append(Notice(notice));
        body.Append(CultureInfo.InvariantCulture, $"""
            <dl>
              <dt>Kind</dt><dd>{E(request.Kind)}</dd>
              <dt>Summary</dt><dd>{E(request.Summary)}</dd>
              <dt>Status</dt><dd class="status-{E(now.ToString().ToLowerInvariant())}" id="approval-status">{E(now.ToString().ToLowerInvariant())}</dd>
              <dt>Maker</dt><dd>{E(request.Maker)}, {E(request.RequestedAt.ToString())}</dd>
              <dt>Expires</dt><dd>{E(request.ExpiresAt.ToString())}</dd>
              <dt>Payload hash</dt><dd><code>{E(request.PayloadHash.ToString())}</code></dd>
              <dt>Checker</dt><dd>{E(request.Checker ?? "")} {E(request.DecidedAt?.ToString() ?? "")} {E(request.Note ?? "")}</dd>
            </dl>
            <h2>Payload</h2><pre id="payload">{E(payload)}</pre>
            """);
        if (now == ApprovalStatus.Pending && http.User.HasClaim(ApiKeyAuthentication.PermissionClaim, Permission.ApprovalsDecide))
        {
            body.Append(CultureInfo.InvariantCulture, $"""
                <h2>Decide</h2>
                <form method="post" action="/console/approvals/{request.Id}">
                  {Antiforgery(http)}
                  <input type="hidden" name="payload_hash" value="{E(request.PayloadHash.ToString())}">
                  <p><button type="submit" name="decision" value="approve">Approve</button></p>
                  <p><label>Note (needed to reject) <textarea name="note" rows="2" cols="60"></textarea></label></p>
                  <p><button type="submit" name="decision" value="reject" class="secondary">Reject</button></p>
                </form>
                """);
        }
        return Page(http, $"Approval request {request.Id}", body.ToString(), status);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static async Task<IResult> DecideAsync(long id, HttpContext http, Services services, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return FormExpired(http);
        }
        if (await services.Store.ReadApprovalAsync(id, ct) is not { } request)
        {
            return Page(http, "No such request", Alert($"There is no approval request {id}."), StatusCodes.Status404NotFound);
        }
        IFormCollection form = await http.Request.ReadFormAsync(ct);
        User checker = ApiServer.Caller(http);
        CommandOutcome outcome = form["decision"].ToString() == "approve"
            ? Sha256Hash.TryParseHex(form["payload_hash"].ToString(), out Sha256Hash seen)
                ? await services.Approvals.ApproveAsync(id, checker, seen, ct)
                : new CommandOutcome(CommandStatus.Rejected, "", new Rejection("approval.payload-hash", "the form lost the payload hash"), null, [])
            : await services.Approvals.RejectAsync(id, checker, form["note"].ToString(), ct);
        ApprovalRequest now = (await services.Store.ReadApprovalAsync(id, ct))!;
        return outcome.Succeeded
            ? ApprovalPage(http, services, now, null, outcome.Result)
            : ApprovalPage(http, services, now, outcome.Rejection!.Message + " (" + outcome.Rejection.Rule + ")", null,
                outcome.Rejection.Rule is "approval.self" or "approval.checker" ? StatusCodes.Status403Forbidden : StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>Postings an entry form offers; unused rows are left empty.</summary>
    private const int EntryFormPostings = 4;

    /// <summary>The posting rows of an entry form (account, asset, direction, amount), filled from <paramref name="form"/> when it comes back.</summary>
    private static string PostingRows(IFormCollection? form)
    {
        string V(string name) => E(form?[name].ToString());
        var rows = new StringBuilder();
        for (int i = 0; i < EntryFormPostings; i++)
        {
            string direction = form?[$"direction{i}"].ToString() ?? (i == 0 ? "debit" : "credit");
            rows.Append(CultureInfo.InvariantCulture, $"""
                <tr><td><input name="account{i}" value="{V($"account{i}")}" aria-label="Account, posting {i + 1}"></td>
                <td><input name="asset{i}" value="{V($"asset{i}")}" aria-label="Asset, posting {i + 1}" size="14"></td>
                <td><select name="direction{i}" aria-label="Direction, posting {i + 1}"><option{(direction == "debit" ? " selected" : "")}>debit</option><option{(direction == "credit" ? " selected" : "")}>credit</option></select></td>
                <td><input name="amount{i}" value="{V($"amount{i}")}" aria-label="Amount, posting {i + 1}" inputmode="decimal"></td></tr>
                """);
        }
        return rows.ToString();
    }

    /// <summary>The entry an entry form describes, in the journal entry format (docs/reference/formats.md): the rows with an account become its postings.</summary>
    private static Dictionary<string, object> EntryFields(IFormCollection form)
    {
        var postings = new List<Dictionary<string, string>>();
        for (int i = 0; i < EntryFormPostings; i++)
        {
            if (form[$"account{i}"].ToString().Trim() is { Length: > 0 } account)
            {
                postings.Add(new Dictionary<string, string>
                {
                    ["account"] = account,
                    ["asset"] = form[$"asset{i}"].ToString().Trim(),
                    ["direction"] = form[$"direction{i}"].ToString(),
                    ["amount"] = form[$"amount{i}"].ToString().Trim(),
                });
            }
        }
        var entry = new Dictionary<string, object>
        {
            ["key"] = form["key"].ToString().Trim(),
            ["effective_date"] = form["effective_date"].ToString().Trim(),
            ["reason"] = form["reason"].ToString().Trim(),
            ["postings"] = postings,
        };
        if (form["source"].ToString().Trim() is { Length: > 0 } source)
        {
            entry["source"] = source;
        }
        return entry;
    }

    private static IResult EntryForm(HttpContext http, IFormCollection? form, string? error, int status = StatusCodes.Status200OK)
    {
        string V(string name) => E(form?[name].ToString());
        string rows = PostingRows(form);
        string requestId = form?["request_id"].ToString() is { Length: > 0 } existing ? existing : Guid.NewGuid().ToString("N");
        string body = $"""
            <p>A manual entry is not booked when you send it: it becomes an approval request, and a checker books it by approving it.</p>
            {Alert(error)}
            <form method="post" action="/console/entries">
              {Antiforgery(http)}
              <input type="hidden" name="request_id" value="{E(requestId)}">
              <p><label>Key (unique, names the entry for good) <input name="key" value="{V("key")}" required data-search></label></p>
              <p><label>Effective date <input type="date" name="effective_date" value="{V("effective_date")}" required></label></p>
              <p><label>Reason <input name="reason" value="{V("reason")}" size="60" required></label></p>
              <p><label>Source (ticket, statement line) <input name="source" value="{V("source")}" size="40"></label></p>
              <table><caption>Postings (leave unused rows empty)</caption><thead><tr><th>Account</th><th>Asset</th><th>Direction</th><th>Amount</th></tr></thead><tbody>{rows}</tbody></table>
              <p><button type="submit">Request approval</button></p>
            </form>
            """;
        return Page(http, "New manual entry", body, status);
    }

    private static async Task<IResult> RequestEntryAsync(HttpContext http, Services services, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return FormExpired(http);
        }
        IFormCollection form = await http.Request.ReadFormAsync(ct);
        string payload = JsonSerializer.Serialize(EntryFields(form));
        string actor = ApiServer.Actor(http);
        // The form's request id makes a double submit one request.
        if (!IdempotencyKey.TryCreate($"console/{actor}/{form["request_id"]}", out IdempotencyKey key, out _))
        {
            return EntryForm(http, form, "The form is damaged; open it again.", StatusCodes.Status400BadRequest);
        }
        CommandOutcome outcome = await services.Approvals.RequestAsync(ApprovalKinds.JournalEntry, payload, actor, key, ct);
        if (!outcome.Succeeded)
        {
            return EntryForm(http, form, outcome.Rejection is { } r ? $"{r.Message} ({r.Rule})" : outcome.Result, StatusCodes.Status422UnprocessableEntity);
        }
        return Results.Redirect($"/console/approvals/{ApprovalService.RequestId(outcome.Result)}");
    }

    private static async Task<IResult> BalancesAsync(HttpContext http, Services services, string? asOf, CancellationToken ct)
    {
        IReadOnlyList<BalanceLine> lines = await services.Ledger.BalancesAsync(Date(asOf), null, ct);
        if (await BranchScope.ForAsync(http, services, ct) is { } scope)
        {
            lines = [.. lines.Where(l => scope.SeesSubLedger(l.LedgerAccountCode))];
        }
        string body = $"""<form method="get" class="filters"><label>As of <input type="date" name="asOf" value="{E(asOf)}" data-search></label><button type="submit">Show</button></form>"""
            + Table(asOf is null ? "Balances (all booked)" : $"Balances as of {asOf}", ["Ledger account", "Asset", "Balance (debit +)"],
                lines.Select(l => (IReadOnlyList<string>)[E(l.LedgerAccountCode), E(l.AssetCode), N(l.Amount)]), new HashSet<int> { 2 }, "balances");
        return Page(http, "Balances", body);
    }

    private static async Task<IResult> TrialBalanceAsync(HttpContext http, Services services, string? asOf, string? format, CancellationToken ct)
    {
        TrialBalance balance = await services.Reports.TrialBalanceAsync(Date(asOf), null, detail: false, ct);
        if (format == "csv")
        {
            var csv = new StringBuilder("account,name,type,asset,debit,credit\n");
            foreach (TrialBalanceLine l in balance.Lines)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{l.Account},\"{l.Name.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{l.Type.ToString().ToLowerInvariant()},{l.Asset},{l.Debit},{l.Credit}\n");
            }
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"trial-balance-{(asOf ?? "latest")}.csv\"";
            return Results.Text(csv.ToString(), "text/csv; charset=utf-8");
        }
        string query = asOf is null ? "?format=csv" : $"?asOf={Uri.EscapeDataString(asOf)}&format=csv";
        string body = $"""<form method="get" class="filters"><label>As of <input type="date" name="asOf" value="{E(asOf)}" data-search></label><button type="submit">Show</button></form>"""
            + $"<p>{A("/console/reports/trial-balance" + query, "Download CSV", "download")}</p>"
            + Table("Trial balance", ["Account", "Name", "Type", "Asset", "Debit", "Credit"],
                balance.Lines.Select(l => (IReadOnlyList<string>)[E(l.Account), E(l.Name), E(l.Type.ToString().ToLowerInvariant()), E(l.Asset), N(l.Debit), N(l.Credit)]),
                new HashSet<int> { 4, 5 }, "trial-balance")
            + Table("Totals per asset (debits equal credits)", ["Asset", "Debit", "Credit"],
                balance.Totals.Select(t => (IReadOnlyList<string>)[E(t.Asset), N(t.Debit), N(t.Credit)]), new HashSet<int> { 1, 2 });
        return Page(http, "Trial balance", body);
    }

    private static async Task<IResult> UsersAsync(HttpContext http, Services services, CancellationToken ct) => UsersPage(http, await services.Store.ListUsersAsync(ct), null);

    private static IResult UsersPage(HttpContext http, IReadOnlyList<User> users, string? error, int status = StatusCodes.Status200OK)
    {
        var roles = new StringBuilder();
        foreach (Role role in Roles.All)
        {
            roles.Append(CultureInfo.InvariantCulture, $"<option>{E(Roles.Name(role))}</option>");
        }
        string body = Table("Users", ["Name", "Display name", "Role", "Branch", "Active"],
                users.Select(u => (IReadOnlyList<string>)[E(u.Name), E(u.DisplayName), E(Roles.Name(u.Role)), E(u.Branch), u.Active ? "yes" : "no"]), null, "users")
            + $"""
              <h2>Request a new user</h2>
              <p>A new user is added when another administrator approves the request.</p>
              {Alert(error)}
              <form method="post" action="/console/users">
                {Antiforgery(http)}
                <input type="hidden" name="request_id" value="{E(Guid.NewGuid().ToString("N"))}">
                <p><label>User name <input name="name" required data-search></label></p>
                <p><label>Display name <input name="display_name"></label></p>
                <p><label>Role <select name="role">{roles}</select></label></p>
                <p><label>Branch (empty: every branch) <input name="branch"></label></p>
                <p><button type="submit">Request approval</button></p>
              </form>
              """;
        return Page(http, "Users", body, status);
    }

    private static async Task<IResult> RequestUserAsync(HttpContext http, Services services, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return FormExpired(http);
        }
        IFormCollection form = await http.Request.ReadFormAsync(ct);
        var user = new Dictionary<string, string?>
        {
            ["name"] = form["name"].ToString().Trim(),
            ["display_name"] = form["display_name"].ToString().Trim() is { Length: > 0 } d ? d : null,
            ["role"] = form["role"].ToString(),
            ["branch"] = form["branch"].ToString().Trim() is { Length: > 0 } b ? b : null,
        };
        string actor = ApiServer.Actor(http);
        if (!IdempotencyKey.TryCreate($"console/{actor}/{form["request_id"]}", out IdempotencyKey key, out _))
        {
            return UsersPage(http, await services.Store.ListUsersAsync(ct), "The form is damaged; open it again.", StatusCodes.Status400BadRequest);
        }
        CommandOutcome outcome = await services.Approvals.RequestAsync(ApprovalKinds.UserAdd, JsonSerializer.Serialize(user), actor, key, ct);
        return outcome.Succeeded
            ? Results.Redirect($"/console/approvals/{ApprovalService.RequestId(outcome.Result)}")
            : UsersPage(http, await services.Store.ListUsersAsync(ct), outcome.Rejection is { } r ? $"{r.Message} ({r.Rule})" : outcome.Result, StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> AuditAsync(HttpContext http, Services services, CancellationToken ct)
    {
        Application.Audit.AuditVerification verification = await services.Audit.VerifyAsync(null, ct);
        string body = (verification.IsIntact ? Notice("The audit chain and the journal verify: every record's hash, the chain, and every entry against its record.") : Alert("BROKEN: " + verification.Problem))
            + $"""
              <dl id="audit-result">
                <dt>Records</dt><dd>{N(verification.RecordCount)}</dd>
                <dt>Entries</dt><dd>{N(verification.EntryCount)}</dd>
                <dt>Head</dt><dd>{E(verification.HeadSequence.ToString())}: <code>{E(verification.HeadHash.ToString())}</code></dd>
              </dl>
              """;
        return Page(http, "Audit verification", body);
    }
}
