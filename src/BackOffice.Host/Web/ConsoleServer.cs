using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BackOffice.Host.Web;

/// <summary>
/// The web operations console, served by the same host as the API under <c>/console</c>: its
/// sign-in, its pages and its two assets. Every console response forbids framing and inline
/// script (Content-Security-Policy), so an injected value could not run even if one slipped past
/// the encoding.
/// </summary>
public static class ConsoleServer
{
    public static void Map(WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/console"))
            {
                http.Response.Headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
                http.Response.Headers.XContentTypeOptions = "nosniff";
                http.Response.Headers["Referrer-Policy"] = "same-origin";
            }
            await next(http);
        });
        RouteGroupBuilder console = app.MapGroup("/console");
        console.MapGet("/assets/{name}", (string name) => Asset(name)).AllowAnonymous().WithName("console-asset");
        ConsoleAuth.Map(console);
        ConsolePages.Map(console);
        app.MapGet("/", () => Results.Redirect("/console")).AllowAnonymous().WithName("root");
    }

    private static IResult Asset(string name)
    {
        string? type = Path.GetExtension(name) switch
        {
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            _ => null,
        };
        Stream? stream = type is null ? null : Assembly.GetExecutingAssembly().GetManifestResourceStream("console/" + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, type);
    }
}
