using BackOffice.Application.Ports;
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

    public static void Map(RouteGroupBuilder api)
    {
        RouteGroupBuilder trades = api.MapGroup("/trades");
        trades.MapGet("/", async (string? account, string? tradeDate, string? status, string? cursor, int? limit, Services services, CancellationToken ct) =>
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
            IReadOnlyList<TradeVersion> found = await services.Store.ListTradesAsync(new TradeQuery(account, day, wanted, after, size + 1), ct);
            string? next = found.Count > size ? found[size - 1].TradeId.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return Results.Ok(new Page([.. found.Take(size).Select(Of)], next));
        }).WithName("trades").WithSummary("The latest version of each trade, filtered by account, trade date and status, a page at a time (cursor, limit up to 1000)");
        trades.MapGet("/{id:long}", async (long id, Services services, CancellationToken ct) =>
        {
            IReadOnlyList<TradeVersion> versions = await services.Store.ReadTradeAsync(id, ct);
            return versions.Count == 0
                ? ApiServer.NotFound("trade.unknown", $"there is no trade {id}")
                : Results.Ok(versions.Select(Of));
        }).WithName("trade").WithSummary("Every version of one trade, oldest first");
    }

    private static Trade Of(TradeVersion v) =>
        new(v.TradeId, v.Version, v.Status.ToString().ToLowerInvariant(), v.Action.ToString().ToLowerInvariant(), v.Source, v.SourceTradeId,
            v.Side.ToString().ToLowerInvariant(), v.Isin, v.Market, v.Quantity, v.Price, v.Currency, v.Account, v.Counterparty, ApiServer.Iso(v.TradeDate),
            ApiServer.Iso(v.SettlementDate), v.Gross, v.AccruedInterest, v.Net);
}
