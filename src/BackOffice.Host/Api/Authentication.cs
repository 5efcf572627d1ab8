using System.Security.Claims;
using System.Text.Encodings.Web;
using BackOffice.Domain.Access;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Host.Api;

/// <summary>
/// Who is calling: systems send <c>Authorization: ApiKey bo_...</c>. The user's role becomes one
/// <c>permission</c> claim per permission it grants, and each endpoint's policy asks for one of
/// them; a branch-scoped user also carries a <c>branch</c> claim.
/// </summary>
internal sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, Services services)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name, also the word before the key in the Authorization header.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The claim naming one permission the user holds.</summary>
    public const string PermissionClaim = "permission";

    /// <summary>The claim naming the branch a user is scoped to.</summary>
    public const string BranchClaim = "branch";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(SchemeName + " ", StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }
        User? user = await services.Access.AuthenticateAsync(header[(SchemeName.Length + 1)..].Trim(), Context.RequestAborted);
        if (user is null)
        {
            return AuthenticateResult.Fail("the API key is unknown or revoked, or its user is inactive");
        }
        return AuthenticateResult.Success(new AuthenticationTicket(Principal(user, SchemeName), SchemeName));
    }

    /// <summary>The principal a user is to the server.</summary>
    public static ClaimsPrincipal Principal(User user, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, user.Name), new(ClaimTypes.Role, Roles.Name(user.Role)) };
        claims.AddRange(Roles.Permissions(user.Role).Select(p => new Claim(PermissionClaim, p)));
        if (user.Branch is { } branch)
        {
            claims.Add(new Claim(BranchClaim, branch));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}

/// <summary>
/// A refused request is a problem like any other: 401 (<c>auth.unauthenticated</c>, with how to
/// authenticate) when the caller is unknown, 403 (<c>auth.forbidden</c>, naming the permission
/// the endpoint needs) when the caller's role does not grant it.
/// </summary>
internal sealed class AuthorizationProblems : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        bool console = context.Request.Path.StartsWithSegments("/console") && context.Request.Headers.Authorization.Count == 0;
        if (console && authorizeResult.Challenged)
        {
            // A person without a session: to the sign-in page, and back here after.
            context.Response.Redirect("/console/login?returnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
            return;
        }
        if (console && authorizeResult.Forbidden)
        {
            string[] missing = [.. policy.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.ClaimsAuthorizationRequirement>()
                .SelectMany(r => r.AllowedValues ?? [])];
            await BackOffice.Host.Web.Html.Page(context, "Not allowed",
                BackOffice.Host.Web.Html.Alert($"Your role does not grant {string.Join(" or ", missing)}."), StatusCodes.Status403Forbidden).ExecuteAsync(context);
            return;
        }
        if (authorizeResult.Challenged)
        {
            context.Response.Headers.WWWAuthenticate = ApiKeyAuthentication.SchemeName;
            await Writes.Problem(StatusCodes.Status401Unauthorized, "auth.unauthenticated",
                "this endpoint needs a caller: send 'Authorization: ApiKey <key>' with a live key").ExecuteAsync(context);
            return;
        }
        if (authorizeResult.Forbidden)
        {
            string[] needed = [.. policy.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.ClaimsAuthorizationRequirement>()
                .Where(r => r.ClaimType == ApiKeyAuthentication.PermissionClaim).SelectMany(r => r.AllowedValues ?? [])];
            string role = context.User.FindFirst(ClaimTypes.Role)?.Value ?? "none";
            await Writes.Problem(StatusCodes.Status403Forbidden, "auth.forbidden",
                $"the role {role} does not grant {string.Join(" or ", needed)}", string.Join(",", needed)).ExecuteAsync(context);
            return;
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
