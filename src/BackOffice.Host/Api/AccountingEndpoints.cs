using BackOffice.Application.Lots;
using BackOffice.Application.Ports;
using BackOffice.Application.Reporting;
using BackOffice.Domain.Access;
using BackOffice.Domain.Lots;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;

namespace BackOffice.Host.Api;

/// <summary>
/// The client accounts' cost basis and profit: GET /lots (open lots), /reports/pnl (realized P&amp;L)
/// and /reports/valuation (positions at market with unrealized P&amp;L). Each takes the lot method
/// (<c>account</c>, the default, or fifo, lifo, hifo, average to ask "what if").
/// </summary>
internal static class AccountingEndpoints
{
    internal sealed record LotView(string Account, string Instrument, long Lot, string AcquisitionDate, decimal Quantity, decimal UnitCost, decimal TotalCost, string Currency);

    internal sealed record PnlView(string Account, string Instrument, string Currency, decimal Quantity, decimal Proceeds, decimal CostBasis, decimal Realized);

    internal sealed record PnlReport(string? From, string? AsOf, string Method, bool FromSnapshot, IReadOnlyList<PnlView> Lines, IReadOnlyList<IgnoredView> Ignored);

    internal sealed record IgnoredView(long TradeId, string Account, string Instrument, string Rule, string Message, string ReliefMethod);

    internal sealed record ValuationView(string Account, string Instrument, decimal Quantity, string Currency, decimal Cost, decimal? Price, string? PriceDate,
        string? PriceSource, decimal? MarketValue, decimal? Unrealized, string BaseCurrency, decimal? FxRate, decimal? MarketValueBase, decimal? UnrealizedBase,
        string? Exception);

    internal sealed record ValuationReport(string AsOf, int MaxPriceAge, string Method, int Exceptions, IReadOnlyList<ValuationView> Lines);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/lots", async (string? asOf, string? method, string? account, HttpContext http, Services services, CancellationToken ct) =>
        {
            if (!ApiServer.TryDate(asOf, out LocalDate? day))
            {
                return ApiServer.BadRequest("query.date", $"asOf must be a date as yyyy-MM-dd, not '{asOf}'", "asOf");
            }
            if (Method(method) is not (true, var chosen))
            {
                return MethodProblem(method);
            }
            LotBook book = await services.Lots.RunAsync(day, chosen, ct);
            BranchScope? scope = await BranchScope.ForAsync(http, services, ct);
            return Results.Ok(book.Open.Where(l => (account is null || l.Account == account) && (scope is null || scope.SeesAccount(l.Account)))
                .Select(l => new LotView(l.Account, l.Instrument, l.Lot.Id, ApiServer.Iso(l.Lot.AcquisitionDate), l.Lot.Quantity,
                    Math.Round(l.Lot.UnitCost, LotCommands.UnitCostDecimals, MidpointRounding.AwayFromZero), l.Lot.TotalCost, l.Currency)));
        }).WithName("lots").WithSummary("Open cost-basis lots per client account and instrument, one per fill in execution order, as of a date (asOf), by lot method (method)")
            .RequireAuthorization(Permission.LedgerRead);

        api.MapGet("/reports/pnl", async (string? from, string? asOf, string? method, string? account, HttpContext http, Services services, CancellationToken ct) =>
        {
            if (!ApiServer.TryDate(from, out LocalDate? start) || !ApiServer.TryDate(asOf, out LocalDate? end))
            {
                return ApiServer.BadRequest("query.date", "from and asOf, when given, are dates as yyyy-MM-dd", "asOf");
            }
            if (Method(method) is not (true, var chosen))
            {
                return MethodProblem(method);
            }
            RealizedSummary realized = await services.Lots.RealizedAsync(start, end, chosen, ct);
            BranchScope? scope = await BranchScope.ForAsync(http, services, ct);
            bool Shown(string holder) => (account is null || holder == account) && (scope is null || scope.SeesAccount(holder));
            return Results.Ok(new PnlReport(start is { } s ? ApiServer.Iso(s) : null, end is { } e ? ApiServer.Iso(e) : null, method ?? "account", realized.FromSnapshot,
                [.. realized.Lines.Where(r => Shown(r.Account)).Select(r => new PnlView(r.Account, r.Instrument, r.Currency, r.Quantity, r.Proceeds, r.CostBasis, r.Proceeds - r.CostBasis))],
                [.. realized.Ignored.Where(i => Shown(i.Account)).Select(i => new IgnoredView(i.TradeId, i.Account, i.Instrument, i.Reason.Rule, i.Reason.Message,
                    i.Fallback.ToString().ToLowerInvariant()))]));
        }).WithName("pnl").WithSummary("Realized P&L per client account and instrument over trade dates from to asOf: proceeds net of fees minus relieved cost")
            .RequireAuthorization(Permission.LedgerRead);

        api.MapGet("/reports/valuation", async (string? asOf, int? maxPriceAge, string? method, string? account, HttpContext http, Services services, CancellationToken ct) =>
        {
            if (!ApiServer.TryDate(asOf, out LocalDate? day))
            {
                return ApiServer.BadRequest("query.date", $"asOf must be a date as yyyy-MM-dd, not '{asOf}'", "asOf");
            }
            if (maxPriceAge is < 0 or > 366)
            {
                return ApiServer.BadRequest("query.max-price-age", "maxPriceAge is 0 to 366 business days", "maxPriceAge");
            }
            if (Method(method) is not (true, var chosen))
            {
                return MethodProblem(method);
            }
            LocalDate on = day ?? services.Clock.GetCurrentInstant().InUtc().Date;
            Valuation valuation = await new ValuationService(services.Store).ValueAsync(on, maxPriceAge ?? 0, chosen, ct);
            BranchScope? scope = await BranchScope.ForAsync(http, services, ct);
            ValuationView[] lines = [.. valuation.Lines.Where(l => (account is null || l.Account == account) && (scope is null || scope.SeesAccount(l.Account)))
                .Select(l => new ValuationView(l.Account, l.Instrument, l.Quantity, l.Currency, l.Cost, l.Price, l.PriceDate is { } d ? ApiServer.Iso(d) : null, l.PriceSource,
                    l.MarketValue, l.Unrealized, l.BaseCurrency, l.FxRate, l.MarketValueBase, l.UnrealizedBase, l.Exception))];
            return Results.Ok(new ValuationReport(ApiServer.Iso(on), valuation.MaxPriceAgeDays, method ?? "account", lines.Count(l => l.Exception is not null), lines));
        }).WithName("valuation").WithSummary("Client positions at market: cost from the lots, market value and unrealized P&L; a missing or stale price or rate is an exception on its line, never a zero")
            .RequireAuthorization(Permission.LedgerRead);
    }

    /// <summary>The method parameter: valid or not, and the method for every account (null: each account's own).</summary>
    internal static (bool Valid, LotMethod? Method) Method(string? text) => text switch
    {
        null or "account" => (true, null),
        "fifo" => (true, LotMethod.Fifo),
        "lifo" => (true, LotMethod.Lifo),
        "hifo" => (true, LotMethod.Hifo),
        "average" => (true, LotMethod.Average),
        _ => (false, null),
    };

    private static IResult MethodProblem(string? method) =>
        ApiServer.BadRequest("query.method", $"method must be account, fifo, lifo, hifo or average, not '{method}'", "method");
}
