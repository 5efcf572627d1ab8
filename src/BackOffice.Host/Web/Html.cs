using System.Globalization;
using System.Net;
using System.Text;
using BackOffice.Domain.Access;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace BackOffice.Host.Web;

/// <summary>
/// The console's HTML, written by hand: a page layout with the navigation, and helpers that
/// encode every value they are given (nothing from the books or a request reaches the page
/// unencoded). Pages are plain server-rendered HTML with forms, so they work from the keyboard
/// and without script; the one script adds keyboard shortcuts.
/// </summary>
internal static class Html
{
    /// <summary>A value, HTML-encoded.</summary>
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A number as the console shows it: invariant, grouped, as many decimals as it has.</summary>
    public static string N(decimal value) => value.ToString("#,##0.##########", CultureInfo.InvariantCulture);

    /// <summary>A whole number, grouped.</summary>
    public static string N(long value) => value.ToString("#,##0", CultureInfo.InvariantCulture);

    /// <summary>A link, with its text encoded.</summary>
    public static string A(string href, string text, string? attributes = null) => $"<a href=\"{E(href)}\"{(attributes is null ? "" : " " + attributes)}>{E(text)}</a>";

    /// <summary>A table: header cells and rows of cells that are already HTML (use <see cref="E"/>); numeric columns align right.</summary>
    public static string Table(string caption, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, ISet<int>? numeric = null, string? id = null)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<table{(id is null ? "" : $" id=\"{E(id)}\"")}><caption>{E(caption)}</caption><thead><tr>");
        for (int i = 0; i < headers.Count; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\"{(numeric?.Contains(i) == true ? " class=\"num\"" : "")}>{E(headers[i])}</th>");
        }
        html.Append("</tr></thead><tbody>");
        int count = 0;
        foreach (IReadOnlyList<string> row in rows)
        {
            count++;
            html.Append("<tr>");
            for (int i = 0; i < row.Count; i++)
            {
                html.Append(numeric?.Contains(i) == true ? "<td class=\"num\">" : "<td>").Append(row[i]).Append("</td>");
            }
            html.Append("</tr>");
        }
        if (count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td colspan=\"{headers.Count}\" class=\"empty\">Nothing to show.</td></tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>The hidden field that carries the antiforgery token of a form.</summary>
    public static string Antiforgery(HttpContext http)
    {
        IAntiforgery antiforgery = http.RequestServices.GetService(typeof(IAntiforgery)) as IAntiforgery
            ?? throw new InvalidOperationException("antiforgery is registered");
        AntiforgeryTokenSet tokens = antiforgery.GetAndStoreTokens(http);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";
    }

    /// <summary>An error message a screen reader announces.</summary>
    public static string Alert(string? message) => message is null ? "" : $"<p class=\"alert\" role=\"alert\">{E(message)}</p>";

    /// <summary>A notice that something was done.</summary>
    public static string Notice(string? message) => message is null ? "" : $"<p class=\"notice\" role=\"status\">{E(message)}</p>";

    /// <summary>A whole page: layout, navigation for the signed-in user, and the body (already HTML).</summary>
    public static IResult Page(HttpContext http, string title, string body, int status = StatusCodes.Status200OK)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append(CultureInfo.InvariantCulture, $"<title>{E(title)} · BackOffice</title>");
        html.Append("<link rel=\"stylesheet\" href=\"/console/assets/console.css\"><script src=\"/console/assets/console.js\" defer></script></head><body>");
        html.Append("<a class=\"skip\" href=\"#main\">Skip to content</a>");
        if (http.User.Identity?.IsAuthenticated == true)
        {
            string role = http.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? "";
            html.Append("<header><nav aria-label=\"Console\"><ul>");
            foreach ((string href, string label, string key, string? permission) in Navigation)
            {
                if (permission is null || http.User.HasClaim(Api.ApiKeyAuthentication.PermissionClaim, permission))
                {
                    html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{href}\" data-key=\"{key}\">{E(label)}</a></li>");
                }
            }
            html.Append("</ul><form method=\"post\" action=\"/console/logout\" class=\"who\">");
            html.Append(CultureInfo.InvariantCulture, $"<span>{E(http.User.Identity.Name)} ({E(role)})</span>{Antiforgery(http)}<button type=\"submit\">Sign out</button></form></nav></header>");
        }
        html.Append(CultureInfo.InvariantCulture, $"<main id=\"main\" tabindex=\"-1\"><h1>{E(title)}</h1>{body}</main>");
        html.Append("<footer><p>Keys: <kbd>/</kbd> search, <kbd>g</kbd> then <kbd>d</kbd> dashboard, <kbd>b</kbd> blotter, <kbd>a</kbd> approvals, <kbd>s</kbd> settlement, <kbd>r</kbd> reconciliation, <kbd>c</kbd> documents, <kbd>k</kbd> compliance.</p></footer></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static readonly (string Href, string Label, string Key, string? Permission)[] Navigation =
    [
        ("/console", "Dashboard", "d", null),
        ("/console/trades", "Blotter", "b", Permission.TradesRead),
        ("/console/exceptions", "Exceptions", "e", Permission.TradesRead),
        ("/console/settlement", "Settlement", "s", Permission.SettlementRead),
        ("/console/recon", "Reconciliation", "r", Permission.ReconRead),
        ("/console/approvals", "Approvals", "a", Permission.ApprovalsRead),
        ("/console/entries/new", "New entry", "n", Permission.JournalRequest),
        ("/console/positions", "Positions", "p", Permission.LedgerRead),
        ("/console/balances", "Balances", "l", Permission.LedgerRead),
        ("/console/reports/trial-balance", "Trial balance", "t", Permission.LedgerRead),
        ("/console/eod", "End of day", "o", Permission.LedgerRead),
        ("/console/documents", "Documents", "c", Permission.LedgerRead),
        ("/console/compliance", "Compliance", "k", Permission.ComplianceRead),
        ("/console/audit", "Audit", "v", Permission.AuditRead),
        ("/console/users", "Users", "u", Permission.UsersManage),
    ];
}
