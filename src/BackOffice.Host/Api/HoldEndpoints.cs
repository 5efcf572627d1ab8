using System.Globalization;
using System.Text.Json;
using BackOffice.Application.Holds;
using BackOffice.Application.Ports;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Access;
using BackOffice.Domain.Holds;
using BackOffice.Domain.Primitives;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;

namespace BackOffice.Host.Api;

/// <summary>
/// Buying power and holds: the front office asks before it trades. POST /holds reserves cash (or
/// securities for a sale, or cash for a withdrawal) and answers approved (201) or refused with
/// what is available (422); GET /buying-power says what is available; a hold ends when its fill
/// books, on release, or at its expiry.
/// </summary>
internal static class HoldEndpoints
{
    /// <summary>A hold as the API shows it.</summary>
    internal sealed record HoldView(string HoldId, string Account, string Kind, string Asset, decimal Amount, string? Reference, string Status, string PlacedAt,
        string ExpiresAt, long EntryId);

    /// <summary>Buying power as the API shows it.</summary>
    internal sealed record Power(string Account, string Asset, decimal Own, decimal Reserved, decimal Available);

    private sealed record PlaceBody(string? Account, string? Kind, string? Asset, decimal? Amount, string? Reference, int? ExpiresInSeconds);

    public static void Map(RouteGroupBuilder api)
    {
        MapWithdrawals(api);
        api.MapPost("/holds", async (HttpContext http, Services services, CancellationToken ct) =>
        {
            string actor = ApiServer.Actor(http);
            (Writes.Body? body, IResult? problem) = await Writes.ReadAsync(http, actor, Writes.SmallBytesMax, ct);
            if (problem is not null)
            {
                return problem;
            }
            PlaceBody? place;
            try
            {
                place = body!.Json.Deserialize<PlaceBody>(Writes.Strict);
            }
            catch (JsonException e)
            {
                return ApiServer.BadRequest("json.shape", "a hold is {account, kind, asset, amount, reference, expires_in_seconds}: " + e.Message, "body");
            }
            if (place is not { Account: { } account, Asset: { } asset, Amount: { } amount } || Kind(place.Kind) is not { } kind)
            {
                return Writes.Problem(StatusCodes.Status422UnprocessableEntity, "hold.request", "a hold needs account, kind (buy, sell or withdrawal), asset and amount");
            }
            if (!await InBranchAsync(http, services, account, ct))
            {
                return Writes.Problem(StatusCodes.Status422UnprocessableEntity, "hold.account", $"there is no client account '{account}' in your branch");
            }
            var request = new HoldRequest(account, kind, asset, amount, place.Reference, place.ExpiresInSeconds is { } s ? Duration.FromSeconds(s) : null);
            CommandOutcome outcome = await services.Holds.PlaceAsync(request, actor, body.Key, ct);
            switch (outcome.Status)
            {
                case CommandStatus.Accepted or CommandStatus.Replayed:
                    if (outcome.Status == CommandStatus.Replayed)
                    {
                        http.Response.Headers[Writes.ReplayedHeader] = "true";
                    }
                    string id = HoldService.PlacedId(outcome.Result);
                    HeldEntry held = (await services.Store.ListHoldsAsync(new HoldQuery(Id: id), ct))[0];
                    return Results.Created($"/api/v1/holds/{id}", Of(held, services.Clock.GetCurrentInstant()));
                case CommandStatus.Conflict:
                    return Writes.Problem(StatusCodes.Status409Conflict, outcome.Rejection!.Rule, $"{Writes.KeyHeader} was already used with another body");
                default:
                    return Writes.Problem(StatusCodes.Status422UnprocessableEntity, outcome.Rejection!.Rule, outcome.Rejection.Message);
            }
        }).WithName("place-hold").WithSummary("Reserves buying power before a trade (buy: cash; sell: securities) or a withdrawal; approved (201) or refused with what is available (422)")
            .Produces<HoldView>(StatusCodes.Status201Created).RequireAuthorization(Permission.HoldsPlace);

        api.MapGet("/holds", async (string? account, bool? open, HttpContext http, Services services, CancellationToken ct) =>
        {
            Instant now = services.Clock.GetCurrentInstant();
            IReadOnlyList<HeldEntry> holds = await services.Store.ListHoldsAsync(new HoldQuery(Account: account, OpenOnly: open == true), ct);
            if (await BranchScope.ForAsync(http, services, ct) is { } scope)
            {
                holds = [.. holds.Where(h => scope.SeesAccount(h.Hold.Account))];
            }
            return Results.Ok(holds.Select(h => Of(h, now)).Where(h => open != true || h.Status == "open"));
        }).WithName("holds").WithSummary("Holds, by account, open only (open=true); status open, consumed, released or expired").RequireAuthorization(Permission.HoldsRead);

        api.MapPost("/holds/{id}/release", async (string id, HttpContext http, Services services, CancellationToken ct) =>
        {
            (Writes.Body? _, IResult? problem) = await Writes.ReadAsync(http, ApiServer.Actor(http), Writes.SmallBytesMax, ct);
            if (problem is not null)
            {
                return problem;
            }
            IReadOnlyList<HeldEntry> found = await services.Store.ListHoldsAsync(new HoldQuery(Id: id), ct);
            if (found.Count == 0 || !await InBranchAsync(http, services, found[0].Hold.Account, ct))
            {
                return ApiServer.NotFound("hold.unknown", $"there is no hold {id}");
            }
            CommandOutcome outcome = await services.Holds.EndAsync(id, HoldStatus.Released, "released on request", ApiServer.Actor(http), ct);
            if (!outcome.Succeeded)
            {
                return Writes.Problem(StatusCodes.Status409Conflict, outcome.Rejection!.Rule, outcome.Rejection.Message);
            }
            return Results.Ok(Of((await services.Store.ListHoldsAsync(new HoldQuery(Id: id), ct))[0], services.Clock.GetCurrentInstant()));
        }).WithName("release-hold").WithSummary("Releases an open hold (the order was cancelled); the body is {}").Produces<HoldView>().RequireAuthorization(Permission.HoldsPlace);

        api.MapGet("/buying-power", async (string? account, string? asset, string? kind, HttpContext http, Services services, CancellationToken ct) =>
        {
            if (account is null || asset is null || Kind(kind ?? "buy") is not { } k)
            {
                return ApiServer.BadRequest("query.buying-power", "give account, asset (a currency, or an ISIN with kind=sell) and kind (buy, sell or withdrawal)", "account");
            }
            if (!await InBranchAsync(http, services, account, ct))
            {
                return ApiServer.NotFound("hold.account", $"there is no client account '{account}' in your branch");
            }
            Result<BuyingPower> power = await services.Holds.BuyingPowerAsync(account, k, asset, ct);
            return power.Rejection is { } rejection
                ? Writes.Problem(StatusCodes.Status422UnprocessableEntity, rejection.Rule, rejection.Message)
                : Results.Ok(new Power(power.Value.Account, power.Value.Asset, power.Value.Own, power.Value.Reserved, power.Value.Available));
        }).WithName("buying-power").WithSummary("What an account may still buy (cash) or sell (securities): its own balance, what open holds reserve, what is available")
            .RequireAuthorization(Permission.HoldsRead);
    }

    /// <summary>A withdrawal as the API answers it: paid (with its entry) or waiting for a checker (with the approval request).</summary>
    internal sealed record WithdrawalView(string Account, string Currency, decimal Amount, string Reference, string ValueDate, string Status, long? EntryId, long? ApprovalId,
        string Result);

    private static void MapWithdrawals(RouteGroupBuilder api) =>
        api.MapPost("/withdrawals", async (HttpContext http, Services services, CancellationToken ct) =>
        {
            string actor = ApiServer.Actor(http);
            LocalDate today = services.Clock.GetCurrentInstant().InUtc().Date;
            (Writes.Body? body, IResult? problem) = await Writes.ReadAsync(http, actor, Writes.SmallBytesMax, ct);
            if (problem is not null)
            {
                return problem;
            }
            Result<Withdrawal> read = ApprovalKinds.ReadWithdrawal(System.Text.Encoding.UTF8.GetString(body!.Bytes), today);
            if (read.Rejection is { } bad)
            {
                return Writes.Problem(StatusCodes.Status422UnprocessableEntity, bad.Rule, bad.Message);
            }
            Withdrawal w = read.Value;
            if (!await InBranchAsync(http, services, w.Account, ct))
            {
                return Writes.Problem(StatusCodes.Status422UnprocessableEntity, "withdrawal.account", $"there is no client account '{w.Account}' in your branch");
            }
            if ((await services.ReferenceAsync(ct)).ClientAccounts.TryGetValue(w.Account, out Domain.ReferenceData.ClientAccount? holder)
                && holder.Status == Domain.ReferenceData.ClientAccountStatus.Blocked)
            {
                return Writes.Problem(StatusCodes.Status422UnprocessableEntity, "withdrawal.account-blocked", $"client account '{w.Account}' is blocked by compliance");
            }
            // The beneficiary, when named, is screened against the latest sanctions list before anything is paid or held.
            string? beneficiary = JsonSerializer.Deserialize<ApprovalKinds.WithdrawalRequest>(body!.Bytes, ApprovalKinds.Json)?.Beneficiary?.Trim();
            if (beneficiary is { Length: > 0 })
            {
                Application.Compliance.ScreeningRun screened = await services.Compliance.ScreenBeneficiaryAsync(w.Account, beneficiary, actor, ct);
                if (screened.Outcome.Rejection is { } unscreened)
                {
                    return Writes.Problem(StatusCodes.Status422UnprocessableEntity, unscreened.Rule, unscreened.Message);
                }
                if (screened.Hits > 0)
                {
                    return Writes.Problem(StatusCodes.Status422UnprocessableEntity, "withdrawal.sanctions-hit",
                        $"the beneficiary '{beneficiary}' matches the sanctions list {screened.ListVersion}; nothing is paid and compliance has an alert to dispose of");
                }
            }
            if (w.Amount <= services.WithdrawalLimit)
            {
                CommandOutcome outcome = await services.Holds.WithdrawAsync(w, actor, body.Key, ct);
                switch (outcome.Status)
                {
                    case CommandStatus.Accepted or CommandStatus.Replayed:
                        if (outcome.Status == CommandStatus.Replayed)
                        {
                            http.Response.Headers[Writes.ReplayedHeader] = "true";
                        }
                        long? entry = (await services.Store.FindEntryKeysAsync([w.EntryKey], ct)).TryGetValue(w.EntryKey, out BookedKey booked) ? booked.EntryId.Value : null;
                        return Results.Created($"/api/v1/journal/entries/{entry}", View(w, "paid", entry, null, outcome.Result));
                    case CommandStatus.Conflict:
                        return Writes.Problem(StatusCodes.Status409Conflict, outcome.Rejection!.Rule, $"{Writes.KeyHeader} was already used with another body");
                    default:
                        return Writes.Problem(StatusCodes.Status422UnprocessableEntity, outcome.Rejection!.Rule, outcome.Rejection.Message);
                }
            }
            // Above the limit: refused now if the cash is not there, else held for a checker, who pays it if it still is.
            Result<BuyingPower> power = await services.Holds.BuyingPowerAsync(w.Account, HoldKind.Withdrawal, w.Currency, ct);
            if (power.Rejection is { } unknown)
            {
                return Writes.Problem(StatusCodes.Status422UnprocessableEntity, unknown.Rule, unknown.Message);
            }
            if (WithdrawalPolicy.Check(w, power.Value.Available) is { } refused)
            {
                return Writes.Problem(StatusCodes.Status422UnprocessableEntity, refused.Rule, refused.Message);
            }
            // The request is held with its value date stated, so the checker approves exactly what will be paid.
            return await ApprovalEndpoints.HoldAsync(http, services, ApprovalKinds.CashWithdrawal, body, JsonSerializer.Serialize(
                new ApprovalKinds.WithdrawalRequest(w.Account, w.Currency, w.Amount, w.Reference, ApiServer.Iso(w.ValueDate), beneficiary), ApprovalKinds.Json), ct);
        }).WithName("withdraw").WithSummary(
            "A client's cash withdrawal {account, currency, amount, reference, value_date, beneficiary}: a named beneficiary is screened against the sanctions list first (a hit refuses it and raises an alert); checked against available cash as a hold is; at or below the limit it is paid (201), above it a checker must approve (202)")
            .Produces<WithdrawalView>(StatusCodes.Status201Created).RequireAuthorization(Permission.HoldsPlace);

    private static WithdrawalView View(Withdrawal w, string status, long? entry, long? approval, string result) =>
        new(w.Account, w.Currency, w.Amount, w.Reference, ApiServer.Iso(w.ValueDate), status, entry, approval, result);

    private static HoldKind? Kind(string? text) => text switch
    {
        "buy" => HoldKind.Buy,
        "sell" => HoldKind.Sell,
        "withdrawal" => HoldKind.Withdrawal,
        _ => null,
    };

    private static async Task<bool> InBranchAsync(HttpContext http, Services services, string account, CancellationToken ct) =>
        await BranchScope.ForAsync(http, services, ct) is not { } scope || scope.SeesAccount(account);

    private static HoldView Of(HeldEntry h, Instant now) =>
        new(h.Hold.Id, h.Hold.Account, h.Hold.Kind.ToString().ToLowerInvariant(), h.Hold.Asset, h.Hold.Amount, h.Hold.Reference,
            HoldPolicy.Status(h.Hold, h.ReversalKey, now).ToString().ToLowerInvariant(), h.Hold.PlacedAt.ToString(), h.Hold.ExpiresAt.ToString(), h.EntryId.Value);
}
