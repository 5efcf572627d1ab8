using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using BackOffice.Host.Api;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BackOffice.Host.Tests;

/// <summary>
/// Bearer tokens from the firm's identity provider: a signed token naming a BackOffice role is a
/// caller with that role's permissions (and its branch); a token for another audience, from
/// another key, expired, or naming no role is a 401.
/// </summary>
public sealed class BearerTokenTests
{
    private const string Issuer = "https://idp.firm.test";

    // Tokens are checked against the real clock, so they are made from it.
    private static DateTime Now => NodaTime.SystemClock.Instance.GetCurrentInstant().ToDateTimeUtc();

    private static string Token(SecurityKey key, string user, string? role, string audience = "backoffice", DateTime? expires = null, string? branch = null, string issuer = Issuer)
    {
        var claims = new List<Claim> { new("preferred_username", user) };
        if (role is not null)
        {
            claims.Add(new Claim("roles", role));
        }
        if (branch is not null)
        {
            claims.Add(new Claim("branch", branch));
        }
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = (expires ?? Now.AddMinutes(10)).AddHours(-1),
            Expires = expires ?? Now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    [Fact]
    public async Task A_token_from_the_identity_provider_is_a_caller_with_its_role()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        using RSA rsa = RSA.Create(2048);
        using RSA other = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "k1" };
        await using var services = new Services(Storage.Sqlite.SqliteStore.Open(workspace.StoreArgs[1]), NodaTime.SystemClock.Instance, "test");
        await using WebApplication app = ApiServer.Build(services, "http://127.0.0.1:0", bearer: new BearerOptions("backoffice", Issuer: Issuer, SigningKey: key));
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        async Task<HttpStatusCode> GetAsync(string path, string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using HttpResponseMessage response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await GetAsync("/api/v1/balances", Token(key, "ann", "auditor")));
        // The role's permissions apply: an auditor does not submit trades, a front-office system does not read the ledger.
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync("/api/v1/balances", Token(key, "oms", "front-office")));
        Assert.Equal(HttpStatusCode.OK, await GetAsync("/api/v1/trades", Token(key, "oms", "front-office")));
        // Refused: another audience, another signing key, expired, no BackOffice role.
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("/api/v1/trades", Token(key, "ann", "auditor", audience: "payments")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("/api/v1/trades", Token(new RsaSecurityKey(other) { KeyId = "k1" }, "ann", "auditor")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("/api/v1/trades", Token(key, "ann", "auditor", expires: Now.AddMinutes(-5))));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("/api/v1/trades", Token(key, "ann", "superuser")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("/api/v1/trades", Token(key, "ann", null)));

        // The branch claim scopes the user like a local branch user.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/trades?limit=1000");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(key, "bob", "operations-maker", branch: "BOS"));
        using HttpResponseMessage page = await client.SendAsync(request);
        using JsonDocument trades = JsonDocument.Parse(await page.Content.ReadAsStringAsync());
        Assert.All(trades.RootElement.GetProperty("items").EnumerateArray(), t => Assert.Equal("C-1002", t.GetProperty("account").GetString()));
        Assert.NotEmpty(trades.RootElement.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_signing_keys_come_from_the_identity_provider_s_discovery_document()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        using RSA rsa = RSA.Create(2048);
        using RSA other = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "idp-1" };

        // A stand-in identity provider on loopback: its discovery document and key set, as a provider publishes them.
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using WebApplication idp = builder.Build();
        string authority = "";
        int keyReads = 0;
        JsonWebKey jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "idp-1" });
        idp.MapGet("/.well-known/openid-configuration", () => Microsoft.AspNetCore.Http.Results.Text(
            JsonSerializer.Serialize(new Dictionary<string, object> { ["issuer"] = authority, ["jwks_uri"] = authority + "/jwks", ["id_token_signing_alg_values_supported"] = new[] { "RS256" } }),
            "application/json"));
        idp.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref keyReads);
            return Microsoft.AspNetCore.Http.Results.Text(JsonSerializer.Serialize(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } }),
                "application/json");
        });
        await idp.StartAsync();
        authority = idp.Urls.First();

        await using var services = new Services(Storage.Sqlite.SqliteStore.Open(workspace.StoreArgs[1]), NodaTime.SystemClock.Instance, "test");
        await using WebApplication app = ApiServer.Build(services, "http://127.0.0.1:0", bearer: new BearerOptions("backoffice", Authority: authority));
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        async Task<HttpStatusCode> GetAsync(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/trades");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using HttpResponseMessage response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await GetAsync(Token(key, "ann", "auditor", issuer: authority)));
        Assert.True(keyReads >= 1, "the keys were read from the provider's key set");
        // Refused: a key the provider does not publish, and a token the provider did not issue.
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(Token(new RsaSecurityKey(other) { KeyId = "idp-1" }, "ann", "auditor", issuer: authority)));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(Token(key, "ann", "auditor", issuer: "https://elsewhere.test")));
    }
}
