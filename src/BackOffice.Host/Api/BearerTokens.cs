using System.Security.Claims;
using BackOffice.Domain.Access;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace BackOffice.Host.Api;

/// <summary>
/// Bearer tokens from the firm's identity provider (OIDC/JWT), optional: with an
/// <see cref="Authority"/> the signing keys come from its discovery document; a
/// <see cref="SigningKey"/> can be given instead (tests, providers without discovery). The token's
/// <see cref="RoleClaim"/> must name one BackOffice role (<c>operations-maker</c>, ...), its
/// <see cref="BranchClaim"/> scopes the user to a branch, and the user is its
/// <c>preferred_username</c> (or <c>sub</c>).
/// </summary>
public sealed record BearerOptions(string Audience, string? Authority = null, string? Issuer = null, SecurityKey? SigningKey = null,
    string RoleClaim = "roles", string BranchClaim = "branch")
{
    /// <summary>The scheme's name, also the word before the token in the Authorization header.</summary>
    public const string Scheme = "Bearer";

    internal void Configure(JwtBearerOptions options)
    {
        options.MapInboundClaims = false;
        options.Authority = Authority;
        options.Audience = Audience;
        options.RequireHttpsMetadata = Authority?.StartsWith("https://", StringComparison.Ordinal) ?? false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateAudience = true,
            ValidAudience = Audience,
            ValidateIssuer = Issuer is not null || Authority is not null,
            ValidIssuer = Issuer,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            IssuerSigningKey = SigningKey,
            ValidateIssuerSigningKey = true,
        };
        options.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                ClaimsPrincipal token = context.Principal!;
                string? name = token.FindFirst("preferred_username")?.Value ?? token.FindFirst("sub")?.Value;
                Role[] roles = [.. token.FindAll(RoleClaim).Select(c => Roles.Parse(c.Value)).OfType<Role>().Distinct()];
                if (name is null || roles.Length != 1)
                {
                    context.Fail(name is null
                        ? "the token names no user (preferred_username or sub)"
                        : $"the token's {RoleClaim} claim must name exactly one BackOffice role");
                    return Task.CompletedTask;
                }
                context.Principal = ApiKeyAuthentication.Principal(new User(name, name, roles[0], token.FindFirst(BranchClaim)?.Value, true), Scheme);
                return Task.CompletedTask;
            },
            // Refusals are written as problems by the authorization step.
            OnChallenge = context =>
            {
                context.HandleResponse();
                return Task.CompletedTask;
            },
        };
    }
}
