using System.Globalization;
using BackOffice.Application.Documents;
using BackOffice.Domain.Access;
using BackOffice.Domain.Documents;
using BackOffice.Host.Api;
using BackOffice.Host.Cli;
using BackOffice.Host.Documents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;
using static BackOffice.Host.Web.Html;

namespace BackOffice.Host.Web;

/// <summary>
/// Client documents in the console: one page of three small forms (a trade's confirmation, an
/// account's monthly statement, an account's realized gains of a year), each answered with the
/// document the CLI's <c>documents</c> verbs write, streamed as a download under the same file
/// name. Behind <c>ledger.read</c>, like positions and P&amp;L; a branch-scoped user gets only
/// their branch's accounts.
/// </summary>
internal static partial class ConsolePages
{
    private static void MapDocuments(RouteGroupBuilder console)
    {
        console.MapGet("/documents", (HttpContext http) => DocumentsPage(http, null, StatusCodes.Status200OK)).WithName("console-documents").RequireAuthorization(Permission.LedgerRead);
        console.MapGet("/documents/confirmation", ConfirmationAsync).WithName("console-document-confirmation").RequireAuthorization(Permission.LedgerRead);
        console.MapGet("/documents/statement", StatementAsync).WithName("console-document-statement").RequireAuthorization(Permission.LedgerRead);
        console.MapGet("/documents/gains", GainsAsync).WithName("console-document-gains").RequireAuthorization(Permission.LedgerRead);
    }

    private static IResult DocumentsPage(HttpContext http, string? error, int status) =>
        Page(http, "Client documents", Alert(error) + """
            <p>The documents the <code>backoffice documents</code> commands write, one at a time, from the books as they stand.</p>
            <h2>Trade confirmation</h2>
            <form method="get" action="/console/documents/confirmation" class="filters">
              <label>Trade id <input name="trade" inputmode="numeric" required data-search></label>
              <label>Version (default: the latest) <input name="version" inputmode="numeric"></label>
              <button type="submit">Download PDF</button>
            </form>
            <h2>Monthly statement</h2>
            <form method="get" action="/console/documents/statement" class="filters">
              <label>Client account <input name="account" required></label>
              <label>Month <input type="month" name="month" placeholder="YYYY-MM" required></label>
              <label>Prices may be this many business days old <input type="number" name="maxPriceAge" value="0" min="0" max="366"></label>
              <button type="submit">Download PDF</button>
            </form>
            <h2>Realized gains (Form 1099-B detail)</h2>
            <form method="get" action="/console/documents/gains" class="filters">
              <label>Client account <input name="account" required></label>
              <label>Year <input name="year" inputmode="numeric" placeholder="YYYY" required></label>
              <label>As <select name="format"><option value="pdf">PDF</option><option value="csv">CSV</option></select></label>
              <button type="submit">Download</button>
            </form>
            """, status);

    // The document as a download under its file name; without the fonts, the page says what to install.
    private static IResult Download(HttpContext http, string name, Func<byte[]> render, string type)
    {
        try
        {
            return Results.File(render(), type, name);
        }
        catch (DocumentFontsMissingException missing)
        {
            return DocumentsPage(http, $"{missing.Message} ({DocumentFontsMissingException.Rule})", StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static async Task<bool> HiddenAsync(HttpContext http, Services services, string account, CancellationToken ct) =>
        await BranchScope.ForAsync(http, services, ct) is { } scope && !scope.SeesAccount(account);

    private static async Task<IResult> ConfirmationAsync(HttpContext http, Services services, string? trade, string? version, CancellationToken ct)
    {
        if (!long.TryParse(trade, NumberStyles.None, CultureInfo.InvariantCulture, out long id) || (version is { Length: > 0 }
            && !int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return DocumentsPage(http, "Give the trade id (and, if you want an earlier one, the version) as a whole number.", StatusCodes.Status400BadRequest);
        }
        IReadOnlyList<Domain.Trading.TradeVersion> versions = await services.Store.ReadTradeAsync(id, ct);
        if (versions.Count == 0 || await HiddenAsync(http, services, versions[^1].Account, ct))
        {
            return DocumentsPage(http, $"There is no trade {id}.", StatusCodes.Status404NotFound);
        }
        int wanted = version is { Length: > 0 } v ? int.Parse(v, CultureInfo.InvariantCulture) : versions[^1].Version;
        TradeConfirmation? confirmation = (await new DocumentService(services.Store).ConfirmationsAsync(versions[^1].TradeDate, id, ct))
            .FirstOrDefault(c => c.Version.Version == wanted);
        if (confirmation is null)
        {
            return DocumentsPage(http, $"Trade {id} has no confirmation of version {wanted} (an allocated block is confirmed through its allocations).", StatusCodes.Status404NotFound);
        }
        return Download(http, DocumentNames.Confirmation(confirmation.Version.TradeDate, id, wanted), () => ConfirmationPdf.Write(confirmation), "application/pdf");
    }

    private static async Task<IResult> StatementAsync(HttpContext http, Services services, string? account, string? month, string? maxPriceAge, CancellationToken ct)
    {
        NodaTime.Text.ParseResult<YearMonth>? parsed = month is { Length: 7 } ? NodaTime.Text.YearMonthPattern.Iso.Parse(month) : null;
        if (string.IsNullOrWhiteSpace(account) || parsed is not { Success: true }
            || !int.TryParse(maxPriceAge is { Length: > 0 } a ? a : "0", NumberStyles.None, CultureInfo.InvariantCulture, out int age) || age > 366)
        {
            return DocumentsPage(http, "Give the client account, the month as YYYY-MM (documents.month-format) and a price age of 0 to 366 days.", StatusCodes.Status400BadRequest);
        }
        string code = account.Trim();
        AccountStatement? statement = await HiddenAsync(http, services, code, ct) ? null
            : (await new DocumentService(services.Store).StatementsAsync(parsed.Value, age, code, ct)).SingleOrDefault();
        if (statement is null)
        {
            return DocumentsPage(http, $"Client account {code} has no activity or holdings in {month}, or is not a client account you can see.", StatusCodes.Status404NotFound);
        }
        IReadOnlyDictionary<string, int> minorUnits = await DocumentCommands.MinorUnitsAsync(services, ct);
        return Download(http, DocumentNames.Statement(code, parsed.Value), () => StatementPdf.Write(statement, minorUnits), "application/pdf");
    }

    private static async Task<IResult> GainsAsync(HttpContext http, Services services, string? account, string? year, string? format, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(account) || year is not { Length: 4 } || !int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out int wanted) || wanted < 1900
            || format is not (null or "pdf" or "csv"))
        {
            return DocumentsPage(http, "Give the client account and the year as YYYY (documents.year-format).", StatusCodes.Status400BadRequest);
        }
        string code = account.Trim();
        GainsReport? report = await HiddenAsync(http, services, code, ct) ? null : (await new DocumentService(services.Store).GainsAsync(wanted, code, ct)).SingleOrDefault();
        if (report is null)
        {
            return DocumentsPage(http, $"Client account {code} sold nothing in {wanted}, or is not a client account you can see.", StatusCodes.Status404NotFound);
        }
        IReadOnlyDictionary<string, int> minorUnits = await DocumentCommands.MinorUnitsAsync(services, ct);
        return format == "csv"
            ? Download(http, DocumentNames.Gains(code, wanted, "csv"), () => GainsDocuments.Csv(report, minorUnits), "text/csv; charset=utf-8")
            : Download(http, DocumentNames.Gains(code, wanted, "pdf"), () => GainsDocuments.Pdf(report, minorUnits), "application/pdf");
    }
}
