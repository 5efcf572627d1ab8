using BackOffice.Application.Ports;
using BackOffice.Domain.Access;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BackOffice.Host.Api;

/// <summary>
/// Reading reference data: GET /api/v1/reference/instruments, /client-accounts, /parties, /ssis and
/// /ledger-accounts, as the books hold them now. Changes go through
/// POST /api/v1/reference/changes and a checker (<see cref="ApprovalKinds.ReferenceChange"/>).
/// </summary>
internal static class ReferenceEndpoints
{
    internal sealed record InstrumentView(string Isin, string Name, string AssetClass, string Currency, string ListingMic, string? Cusip, string? Sedol, string? Ticker,
        int? SettlementCycleDays, int QuantityScale, BondView? Bond);

    internal sealed record BondView(decimal CouponRate, int Frequency, string DayCount, string DatedDate, string FirstCouponDate, string MaturityDate, bool EndOfMonth);

    internal sealed record ClientAccountView(string Code, string Name, string PartyLei, string BaseCurrency, string Branch, string Status, string OpenedOn, string LotMethod);

    internal sealed record PartyView(string Lei, string Name, string Role, string? Bic);

    internal sealed record SsiView(string Id, string Counterparty, string? Market, string? AssetClass, string PlaceOfSettlement, string DepositoryAccount, string AgentBic,
        string EffectiveFrom);

    internal sealed record LedgerAccountView(string Code, string Name, string Type, string? ControlAccount, bool Open);

    public static void Map(RouteGroupBuilder api)
    {
        RouteGroupBuilder reference = api.MapGroup("/reference");
        reference.MapGet("/instruments", async (Services services, CancellationToken ct) =>
        {
            TradeReferenceData data = await services.ReferenceAsync(ct);
            return Results.Ok(data.Instruments.Values.OrderBy(i => i.Isin, StringComparer.Ordinal).Select(i => new InstrumentView(i.Isin, i.Name,
                i.AssetClass.ToString().ToLowerInvariant(), i.Currency, i.ListingMic, i.Cusip, i.Sedol, i.Ticker, i.SettlementCycleDays, i.QuantityScale,
                i.Bond is { } b ? new BondView(b.CouponRate, b.Frequency, b.DayCount, ApiServer.Iso(b.DatedDate), ApiServer.Iso(b.FirstCouponDate), ApiServer.Iso(b.MaturityDate), b.EndOfMonth) : null)));
        }).WithName("instruments").WithSummary("Every instrument: identifiers, currency, listing market, settlement cycle and, for a bond, its coupon terms")
            .RequireAuthorization(Permission.TradesRead);
        reference.MapGet("/client-accounts", async (HttpContext http, Services services, CancellationToken ct) =>
        {
            TradeReferenceData data = await services.ReferenceAsync(ct);
            string? branch = ApiServer.Branch(http);
            return Results.Ok(data.ClientAccounts.Values.Where(a => !a.IsFirmBook && (branch is null || a.Branch == branch)).OrderBy(a => a.Code, StringComparer.Ordinal)
                .Select(a => new ClientAccountView(a.Code, a.Name, a.PartyLei, a.BaseCurrency, a.Branch, a.Status.ToString().ToLowerInvariant(), ApiServer.Iso(a.OpenedOn),
                    a.LotMethod.ToString().ToLowerInvariant())));
        }).WithName("client-accounts").WithSummary("The client accounts (a branch-scoped caller sees its branch's only): holder, base currency, branch, status and lot method")
            .RequireAuthorization(Permission.TradesRead);
        reference.MapGet("/parties", async (Services services, CancellationToken ct) =>
        {
            TradeReferenceData data = await services.ReferenceAsync(ct);
            return Results.Ok(data.Parties.Values.OrderBy(p => p.Lei, StringComparer.Ordinal)
                .Select(p => new PartyView(p.Lei, p.Name, p.Role.ToString().ToLowerInvariant(), p.Bic)));
        }).WithName("parties").WithSummary("Legal entities by LEI: clients, counterparties, custodians and clearing houses").RequireAuthorization(Permission.TradesRead);
        reference.MapGet("/ssis", async (string? counterparty, Services services, CancellationToken ct) =>
        {
            TradeReferenceData data = await services.ReferenceAsync(ct);
            return Results.Ok(data.SettlementInstructions.Where(g => counterparty is null || g.Key == counterparty).SelectMany(g => g.Value)
                .OrderBy(s => s.Counterparty, StringComparer.Ordinal).ThenBy(s => s.Id, StringComparer.Ordinal)
                .Select(s => new SsiView(s.Id, s.Counterparty, s.Market, s.AssetClass?.ToString().ToLowerInvariant(), s.PlaceOfSettlement, s.DepositoryAccount, s.AgentBic,
                    ApiServer.Iso(s.EffectiveFrom))));
        }).WithName("ssis").WithSummary("Standing settlement instructions, by counterparty (LEI)").RequireAuthorization(Permission.SettlementRead);
        reference.MapGet("/ledger-accounts", async (HttpContext http, Services services, CancellationToken ct) =>
        {
            ReferenceLookup lookup = await services.Store.ReadAllReferenceAsync(ct);
            BranchScope? scope = await BranchScope.ForAsync(http, services, ct);
            return Results.Ok(lookup.LedgerAccounts.Values.Where(a => scope is null || !scope.HidesSubLedger(a.Code)).OrderBy(a => a.Code, StringComparer.Ordinal)
                .Select(a => new LedgerAccountView(a.Code, a.Name, a.Type.ToString().ToLowerInvariant(), a.ControlAccountCode, a.IsOpen)));
        }).WithName("ledger-accounts").WithSummary("The chart of accounts: code, name, type and control account").RequireAuthorization(Permission.LedgerRead);
    }
}
