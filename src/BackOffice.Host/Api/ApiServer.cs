using System.Text.Json;
using System.Threading.RateLimiting;
using BackOffice.Domain.Access;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackOffice.Host.Api;

/// <summary>
/// The HTTP API: ASP.NET Core on its own server, over the same application services as the CLI.
/// One static class per resource maps its route group; every error is a ProblemDetails naming
/// the rule that refused the request; the OpenAPI document is served at <c>/openapi/v1.json</c>.
/// </summary>
public static class ApiServer
{
    /// <summary>The address the server listens on unless told otherwise.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>Requests per second one caller may send, on average, unless told otherwise.</summary>
    public const int RateLimitDefault = 10_000;

    /// <summary>Largest request body the server reads at all (a write endpoint may allow less).</summary>
    public const long BodyBytesMax = 1024 * 1024;

    /// <summary>The server over <paramref name="services"/>, listening on <paramref name="urls"/> (not started).</summary>
    /// <param name="rateLimit">Requests per second per caller (bursts up to as many again); more are refused with 429.</param>
    /// <param name="bearer">Accept bearer tokens from the firm's identity provider as well as API keys.</param>
    /// <param name="consoleKey">A 256-bit key that encrypts the console's data protection keys in the database (null: kept unencrypted).</param>
    public static WebApplication Build(Services services, string urls, int rateLimit = RateLimitDefault, SingletonWork? singletons = null, BearerOptions? bearer = null, byte[]? consoleKey = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = BodyBytesMax;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        });
        // Operators see what went wrong (an unexpected error's exception, on standard error), not every request.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(options => options.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Services.AddSingleton(services);
        builder.Services.AddSingleton(singletons ?? new SingletonWork(services.Store, TextWriter.Null));
        Web.ConsoleAuth.Add(builder.Services, services.Store, bearer, consoleKey);
        builder.Services.AddAuthorization(options =>
        {
            foreach (string permission in Permission.All)
            {
                options.AddPolicy(permission, policy => policy.RequireClaim(ApiKeyAuthentication.PermissionClaim, permission));
            }
            // An endpoint that forgets to name its permission still needs a caller.
            options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthorizationProblems>();
        builder.Services.AddRateLimiter(options =>
        {
            // A token bucket per caller (the user, or the address of an unauthenticated caller), refilled every 100 ms.
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                RateLimitPartition.GetTokenBucketLimiter(http.User.Identity?.Name is { } user ? "user:" + user : "ip:" + http.Connection.RemoteIpAddress, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = rateLimit,
                    TokensPerPeriod = Math.Max(1, rateLimit / 10),
                    ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            options.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await Writes.Problem(StatusCodes.Status429TooManyRequests, "rate.limit", $"more than {rateLimit} requests a second from this caller; retry after a second")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Problems the framework writes itself (no route, wrong method, a parameter of the wrong
            // type, an unreadable request) name a rule too, so every error reads the same way.
            if (!context.ProblemDetails.Extensions.ContainsKey("rule"))
            {
                string rule = context.ProblemDetails.Status switch
                {
                    StatusCodes.Status404NotFound => "route.unknown",
                    StatusCodes.Status405MethodNotAllowed => "route.method",
                    StatusCodes.Status413PayloadTooLarge => "body.too-large",
                    StatusCodes.Status415UnsupportedMediaType => "body.media-type",
                    StatusCodes.Status401Unauthorized => "auth.unauthenticated",
                    StatusCodes.Status403Forbidden => "auth.forbidden",
                    >= 400 and < 500 => "request.invalid",
                    _ => "server.error",
                };
                context.ProblemDetails.Extensions["rule"] = rule;
                context.ProblemDetails.Title ??= rule;
            }
        });
        builder.Services.AddOpenApi();
        builder.Services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        });
        WebApplication app = builder.Build();
        // No stack trace ever leaves the server: a request the server could not read keeps its 4xx
        // (a body over the limit is 413), anything else unexpected is a bare 500 problem.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapOpenApi().AllowAnonymous();
        HealthEndpoints.Map(app);
        RouteGroupBuilder api = app.MapGroup("/api/v1");
        BalanceEndpoints.Map(api);
        TradeEndpoints.Map(api);
        SettlementEndpoints.Map(api);
        ReconEndpoints.Map(api);
        ComplianceEndpoints.Map(api);
        ApprovalEndpoints.Map(api);
        HoldEndpoints.Map(api);
        ReportEndpoints.Map(api);
        LedgerEndpoints.Map(api);
        AccountingEndpoints.Map(api);
        ReferenceEndpoints.Map(api);
        ClosingEndpoints.Map(api);
        Web.ConsoleServer.Map(app);
        return app;
    }

    /// <summary>A 400 problem naming the rule and the parameter that broke it.</summary>
    internal static IResult BadRequest(string rule, string detail, string parameter) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: rule,
            extensions: new Dictionary<string, object?> { ["rule"] = rule, ["parameter"] = parameter });

    /// <summary>The branch the caller is scoped to, or null for a firm-wide user.</summary>
    internal static string? Branch(HttpContext http) => http.User.FindFirst(ApiKeyAuthentication.BranchClaim)?.Value;

    /// <summary>The caller's user name: the actor of what they write.</summary>
    internal static string Actor(HttpContext http) => http.User.Identity?.Name ?? throw new InvalidOperationException("an authorized endpoint has a caller");

    /// <summary>The caller as a user: name, role and branch from their claims.</summary>
    internal static Domain.Access.User Caller(HttpContext http) =>
        new(Actor(http), Actor(http), Domain.Access.Roles.Parse(http.User.FindFirst(System.Security.Claims.ClaimTypes.Role)!.Value)!.Value, Branch(http), true);

    /// <summary>A 404 problem naming what was not found.</summary>
    internal static IResult NotFound(string rule, string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: rule, extensions: new Dictionary<string, object?> { ["rule"] = rule });

    /// <summary>An optional yyyy-MM-dd query parameter: (true, null) when absent, (false, _) when malformed.</summary>
    internal static bool TryDate(string? text, out NodaTime.LocalDate? date)
    {
        date = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        NodaTime.Text.ParseResult<NodaTime.LocalDate> parsed = NodaTime.Text.LocalDatePattern.Iso.Parse(text);
        date = parsed.Success ? parsed.Value : null;
        return parsed.Success;
    }

    /// <summary>A date as the API writes it.</summary>
    /// <summary>Reads an optional instant (ISO 8601, UTC, e.g. 2026-11-25T18:00:00Z); false when the text is not one.</summary>
    internal static bool TryInstant(string? text, out NodaTime.Instant? instant)
    {
        instant = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        NodaTime.Text.ParseResult<NodaTime.Instant> parsed = NodaTime.Text.InstantPattern.ExtendedIso.Parse(text);
        instant = parsed.Success ? parsed.Value : null;
        return parsed.Success;
    }

    /// <summary>The problem of a knownAt that is not an instant.</summary>
    internal static IResult BadInstant(string? knownAt) =>
        BadRequest("query.instant", $"knownAt must be an ISO 8601 instant such as 2026-11-25T18:00:00Z, not '{knownAt}'", "knownAt");

    internal static string Iso(NodaTime.LocalDate date) => NodaTime.Text.LocalDatePattern.Iso.Format(date);
}
