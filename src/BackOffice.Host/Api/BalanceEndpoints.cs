using BackOffice.Application.Ledger;
using BackOffice.Domain.Access;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BackOffice.Host.Api;

/// <summary>GET /api/v1/balances: ledger balances as of a date, as known at a time.</summary>
internal static class BalanceEndpoints
{
    /// <summary>One balance: debits positive, in the asset's units.</summary>
    internal sealed record Balance(string LedgerAccount, string Asset, decimal Amount);

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/balances", async (string? asOf, string? knownAt, HttpContext http, Services services, CancellationToken ct) =>
        {
            if (!ApiServer.TryDate(asOf, out NodaTime.LocalDate? day))
            {
                return ApiServer.BadRequest("query.date", $"asOf must be a date as yyyy-MM-dd, not '{asOf}'", "asOf");
            }
            NodaTime.Instant? at = null;
            if (!string.IsNullOrEmpty(knownAt))
            {
                NodaTime.Text.ParseResult<NodaTime.Instant> parsed = NodaTime.Text.InstantPattern.ExtendedIso.Parse(knownAt);
                if (!parsed.Success)
                {
                    return ApiServer.BadRequest("query.instant", $"knownAt must be an ISO 8601 instant such as 2026-11-25T18:00:00Z, not '{knownAt}'", "knownAt");
                }
                at = parsed.Value;
            }
            IReadOnlyList<BalanceLine> lines = await services.Ledger.BalancesAsync(day, at, ct);
            if (await BranchScope.ForAsync(http, services, ct) is { } scope)
            {
                // A branch-scoped user sees the sub-ledgers of their branch's client accounts only.
                lines = [.. lines.Where(l => scope.SeesSubLedger(l.LedgerAccountCode))];
            }
            return Results.Ok(lines.Select(l => new Balance(l.LedgerAccountCode, l.AssetCode, l.Amount)));
        }).WithName("balances").WithSummary("Balances per ledger account and asset, as of a date (asOf) and as known at an instant (knownAt)")
            .RequireAuthorization(Permission.LedgerRead);
}
