using System.Security.Claims;
using BackOffice.Domain.Access;
using BackOffice.Host.Api;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Host.Web;

/// <summary>
/// Signing in to the console: local users with a password get a cookie session (HTTP-only,
/// SameSite=Strict, eight hours sliding); every form carries an antiforgery token. The session is
/// checked against the user on every request, so a deactivated user or a changed role takes effect
/// at once. Systems keep using API keys; a request with an Authorization header is never taken
/// from a cookie.
/// </summary>
internal static class ConsoleAuth
{
    /// <summary>The cookie scheme.</summary>
    public const string Scheme = "Console";

    /// <summary>The scheme that picks the API key or the cookie for each request.</summary>
    public const string Either = "ApiKeyOrConsole";

    /// <param name="consoleKey">
    /// The 256-bit key that encrypts the data protection keys kept in the database; without it they
    /// are kept unencrypted, and anyone who can read the database can forge sessions.
    /// </param>
    public static void Add(IServiceCollection services, Application.Ports.IBackOfficeStore store, BearerOptions? bearer = null, byte[]? consoleKey = null)
    {
        services.AddDataProtection().SetApplicationName("BackOffice");
        ConsoleKeyMaterial? material = consoleKey is null ? null : new ConsoleKeyMaterial(consoleKey);
        if (material is not null)
        {
            // The decryptor is made by the framework from its type name and finds the key here.
            services.AddSingleton(material);
        }
        services.Configure<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(options =>
        {
            options.XmlRepository = new DatabaseKeyRepository(store);
            if (material is not null)
            {
                options.XmlEncryptor = new ConsoleKeyEncryptor(material);
            }
        });
        AuthenticationBuilder authentication = services.AddAuthentication(Either)
            .AddPolicyScheme(Either, "API key, bearer token or console session", options =>
                options.ForwardDefaultSelector = http => http.Request.Headers.Authorization.ToString() is { } header && header.StartsWith(BearerOptions.Scheme + " ", StringComparison.Ordinal) && bearer is not null
                    ? BearerOptions.Scheme
                    : http.Request.Headers.Authorization.Count > 0 || !http.Request.Path.StartsWithSegments("/console")
                        ? ApiKeyAuthentication.SchemeName
                        : Scheme);
        if (bearer is not null)
        {
            authentication.AddJwtBearer(BearerOptions.Scheme, bearer.Configure);
        }
        authentication
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddCookie(Scheme, options =>
            {
                options.Cookie.Name = "backoffice.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.Cookie.Path = "/console";
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.LoginPath = "/console/login";
                options.Events.OnValidatePrincipal = async context =>
                {
                    Services services = context.HttpContext.RequestServices.GetRequiredService<Services>();
                    string? name = context.Principal?.Identity?.Name;
                    string? role = context.Principal?.FindFirst(ClaimTypes.Role)?.Value;
                    string? branch = context.Principal?.FindFirst(ApiKeyAuthentication.BranchClaim)?.Value;
                    if (name is null || await services.Store.FindUserAsync(name, context.HttpContext.RequestAborted) is not { User: { Active: true } user }
                        || Roles.Name(user.Role) != role || user.Branch != branch)
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(Scheme);
                    }
                };
            });
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "backoffice.antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.Path = "/console";
            options.FormFieldName = "__token";
        });
    }

    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/login", (string? returnUrl, HttpContext http) => LoginPage(http, returnUrl, null)).AllowAnonymous().WithName("console-login");
        console.MapPost("/login", async (HttpContext http, Services services, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return LoginPage(http, null, "The form expired; sign in again.", StatusCodes.Status400BadRequest);
            }
            IFormCollection form = await http.Request.ReadFormAsync(http.RequestAborted);
            string name = form["username"].ToString().Trim();
            string password = form["password"].ToString();
            string? returnUrl = form["returnUrl"].ToString() is { Length: > 0 } r && r.StartsWith("/console", StringComparison.Ordinal) && !r.StartsWith("//", StringComparison.Ordinal) ? r : null;
            // One message for a wrong name and a wrong password: the form does not tell which users exist.
            if (name.Length == 0 || await services.Store.FindUserAsync(name, http.RequestAborted) is not { User: { Active: true } user, PasswordHash: { } hash }
                || !Passwords.Verify(password, hash))
            {
                return LoginPage(http, returnUrl, "Wrong user name or password.", StatusCodes.Status401Unauthorized);
            }
            await http.SignInAsync(Scheme, ApiKeyAuthentication.Principal(user, Scheme));
            return Results.Redirect(returnUrl ?? "/console");
        }).AllowAnonymous().WithName("console-login-submit");
        console.MapPost("/logout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest();
            }
            await http.SignOutAsync(Scheme);
            return Results.Redirect("/console/login");
        }).WithName("console-logout");
    }

    private static IResult LoginPage(HttpContext http, string? returnUrl, string? error, int status = StatusCodes.Status200OK) =>
        Html.Page(http, "Sign in", $"""
            {Html.Alert(error)}
            <form method="post" action="/console/login" class="login">
              {Html.Antiforgery(http)}
              <input type="hidden" name="returnUrl" value="{Html.E(returnUrl)}">
              <p><label>User name <input name="username" autocomplete="username" required autofocus></label></p>
              <p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
              <p><button type="submit">Sign in</button></p>
            </form>
            """, status);
}
