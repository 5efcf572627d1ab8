using BackOffice.Application.Ports;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BackOffice.Host.Api;

/// <summary>GET /health: the store answers, and where its audit chain stands.</summary>
internal static class HealthEndpoints
{
    /// <summary>The health answer.</summary>
    internal sealed record Health(string Status, string Store, long AuditSequence, string? ClosedThrough, string Instance, IReadOnlyList<string> Leases);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/health", async (Services services, SingletonWork singletons, CancellationToken ct) =>
        {
            ChainHead head = await services.Store.ReadHeadAsync(ct);
            return Results.Ok(new Health("ok", services.Store.Kind, head.Sequence.Value, head.ClosedThrough is { } closed ? ApiServer.Iso(closed) : null,
                singletons.Instance, singletons.Held));
        }).WithName("health").WithSummary("The store answers; the audit chain's head, the last closed date, and the singleton work this instance holds").AllowAnonymous();
}
