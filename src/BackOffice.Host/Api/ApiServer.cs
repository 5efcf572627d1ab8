using System.Text.Json;
using BackOffice.Host.Cli;
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

    /// <summary>The server over <paramref name="services"/>, listening on <paramref name="urls"/> (not started).</summary>
    public static WebApplication Build(Services services, string urls)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(services);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        });
        WebApplication app = builder.Build();
        // No stack trace ever leaves the server: an unexpected error is a bare 500 problem.
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = _ => StatusCodes.Status500InternalServerError });
        app.UseStatusCodePages();
        app.MapOpenApi();
        HealthEndpoints.Map(app);
        RouteGroupBuilder api = app.MapGroup("/api/v1");
        BalanceEndpoints.Map(api);
        TradeEndpoints.Map(api);
        SettlementEndpoints.Map(api);
        return app;
    }

    /// <summary>A 400 problem naming the rule and the parameter that broke it.</summary>
    internal static IResult BadRequest(string rule, string detail, string parameter) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: rule,
            extensions: new Dictionary<string, object?> { ["rule"] = rule, ["parameter"] = parameter });

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
    internal static string Iso(NodaTime.LocalDate date) => NodaTime.Text.LocalDatePattern.Iso.Format(date);
}
