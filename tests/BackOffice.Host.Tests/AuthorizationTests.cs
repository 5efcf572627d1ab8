using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BackOffice.Domain.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Host.Tests;

/// <summary>
/// Who may do what, checked against docs/reference/authorization-matrix.csv: every endpoint the
/// running app has (so a new endpoint without a row fails), called by every role and without a
/// key, allowed or refused as the matrix says. Also: keys that are wrong or revoked, and a
/// branch-scoped user who cannot see another branch's client by id.
/// </summary>
public sealed class AuthorizationTests
{
    private sealed record Row(string Method, string Route, string Permission, Dictionary<string, bool> Allowed);

    private static readonly string[] Callers = ["anonymous", .. Roles.All.Select(Roles.Name)];

    private static List<Row> Matrix()
    {
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "authorization-matrix.csv"));
        string[] header = lines[0].Split(',');
        Assert.Equal(["method", "route", "permission", .. Callers], header);
        return [.. lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
            .Select(f => new Row(f[0], f[1], f[2], Callers.Select((c, i) => (c, f[3 + i])).ToDictionary(p => p.c, p => p.Item2 switch
            {
                "allow" => true,
                "deny" => false,
                _ => throw new InvalidDataException($"'{p.Item2}' is neither allow nor deny"),
            })))];
    }

    private static string Concrete(string route) => route.Replace("{id:long}", "1", StringComparison.Ordinal).Replace("{name}", "console.css", StringComparison.Ordinal).Replace("{id}", "H1", StringComparison.Ordinal)
        .Replace("{txId}", "BO1-1", StringComparison.Ordinal).Replace("{documentName}", "v1", StringComparison.Ordinal);

    [Fact]
    public async Task Every_endpoint_by_every_role_is_allowed_or_refused_as_the_matrix_says()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        CliResult demo = await workspace.RunAsync("demo");
        Assert.True(demo.Exit == 0, demo.Error);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        List<Row> matrix = Matrix();

        // The endpoints as the running app has them: each needs exactly one row, and the row's
        // permission is the one the endpoint's policy asks for.
        var endpoints = server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Route: Route(e), Endpoint: e)))
            .ToList();
        foreach (var (method, route, endpoint) in endpoints)
        {
            Row? row = matrix.SingleOrDefault(r => r.Method == method && r.Route == route);
            Assert.True(row is not null, $"{method} {route} has no row in the authorization matrix");
            bool anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            string[] policies = [.. endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>()];
            // No policy named: the fallback, any signed-in caller.
            string expected = anonymous ? "" : policies.Length == 0 ? "authenticated" : string.Join("+", policies);
            Assert.True(row.Permission == expected, $"{method} {route} asks for '{expected}', the matrix says '{row.Permission}'");
            Assert.Equal(anonymous, row.Allowed["anonymous"]);
            // The matrix agrees with the roles' grants.
            foreach (Role role in Roles.All)
            {
                Assert.True(row.Allowed[Roles.Name(role)] == (anonymous || expected == "authenticated" || Roles.Grants(role, row.Permission)), $"{method} {route} for {Roles.Name(role)}");
            }
        }
        Assert.Equal(matrix.Count, endpoints.Count);

        // Every row, by every caller, through HTTP.
        var keys = new Dictionary<string, string?> { ["anonymous"] = null };
        foreach (Role role in Roles.All)
        {
            keys[Roles.Name(role)] = await server.KeyAsync(role);
        }
        int calls = 0;
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Client.BaseAddress };
        foreach (Row row in matrix)
        {
            foreach (string caller in Callers)
            {
                using var request = new HttpRequestMessage(new HttpMethod(row.Method), Concrete(row.Route));
                if (keys[caller] is { } key)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
                }
                if (row.Method == "POST" && row.Route.StartsWith("/console", StringComparison.Ordinal))
                {
                    // A form without its antiforgery token: refused (400) when the caller may post it at all.
                    request.Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("decision", "approve")]);
                }
                else if (row.Method == "POST")
                {
                    request.Headers.Add("Idempotency-Key", $"matrix-{caller}");
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }
                using HttpResponseMessage response = await client.SendAsync(request);
                calls++;
                string what = $"{row.Method} {row.Route} as {caller}: {(int)response.StatusCode}";
                if (row.Allowed[caller])
                {
                    Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)response.StatusCode < 500, what);
                }
                else if (row.Route.StartsWith("/console", StringComparison.Ordinal) && caller == "anonymous")
                {
                    // A person without a session goes to the sign-in page (a caller with a key gets problems, as from the API).
                    Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.StartsWith("/console/login?returnUrl=", StringComparison.Ordinal), what);
                }
                else
                {
                    Assert.True(response.StatusCode == (caller == "anonymous" ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden), what);
                    using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    Assert.Equal(caller == "anonymous" ? "auth.unauthenticated" : "auth.forbidden", problem.RootElement.GetProperty("rule").GetString());
                }
            }
        }
        Assert.Equal(matrix.Count * Callers.Length, calls);
    }

    private static string Route(RouteEndpoint endpoint)
    {
        string raw = endpoint.RoutePattern.RawText ?? "";
        raw = "/" + raw.Trim('/');
        return raw;
    }

    [Fact]
    public async Task A_wrong_or_revoked_key_is_refused()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.Equal(0, (await workspace.RunAsync("init")).Exit);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/api/v1/trades")).StatusCode);

        using var stranger = new HttpClient { BaseAddress = server.Client.BaseAddress };
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", "bo_" + new string('0', 64));
        HttpResponseMessage refused = await stranger.GetAsync("/api/v1/trades");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("ApiKey", refused.Headers.WwwAuthenticate.Single().Scheme);

        // Revoked through the CLI, as an administrator would: a new server refuses it at once
        // (a running one within AccessService.CacheFor).
        CliResult list = await workspace.RunAsync("api-keys", "list");
        string id = list.Output.Split('\n').Skip(1).First(l => l.Length > 0).Split(',')[0];
        CliResult revoke = await workspace.RunAsync("api-keys", "revoke", id);
        Assert.True(revoke.Exit == 0, revoke.Error);
        Assert.Contains("revoked key", revoke.Output, StringComparison.Ordinal);
        // Revoking again is a replay of the same command: nothing changes.
        CliResult again = await workspace.RunAsync("api-keys", "revoke", id);
        Assert.True(again.Exit == 0 && again.Output.StartsWith("replayed", StringComparison.Ordinal), again.Output + again.Error);
        string key = server.Client.DefaultRequestHeaders.Authorization!.Parameter!;
        await using TestServer fresh = await TestServer.StartAsync(workspace, Role.Auditor);
        using var revoked = new HttpClient { BaseAddress = fresh.Client.BaseAddress };
        revoked.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync("/api/v1/trades")).StatusCode);
    }

    [Fact]
    public async Task A_branch_user_cannot_read_another_branchs_client()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.OperationsMaker);
        var clients = (await server.Services.Store.ReadTradeReferenceAsync(CancellationToken.None)).ClientAccounts;
        var trades = await server.Services.Store.ListTradesAsync(new Application.Ports.TradeQuery(), CancellationToken.None);
        var byBranch = trades.Where(t => clients.ContainsKey(t.Account)).GroupBy(t => clients[t.Account].Branch).ToDictionary(g => g.Key, g => g.ToList());
        Assert.True(byBranch.Count >= 2, "the demo has clients in two branches: " + string.Join(",", byBranch.Keys));
        (string mine, string theirs) = (byBranch.Keys.Order(StringComparer.Ordinal).First(), byBranch.Keys.Order(StringComparer.Ordinal).Last());

        using var branchUser = new HttpClient { BaseAddress = server.Client.BaseAddress };
        branchUser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", await server.KeyAsync(Role.OperationsMaker, mine));
        // Their own branch's trade reads; the other branch's is not there (404, as for no trade at all).
        Assert.Equal(HttpStatusCode.OK, (await branchUser.GetAsync($"/api/v1/trades/{byBranch[mine][0].TradeId}")).StatusCode);
        HttpResponseMessage other = await branchUser.GetAsync($"/api/v1/trades/{byBranch[theirs][0].TradeId}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        // The blotter holds only their branch; a firm-wide user sees both.
        using JsonDocument page = JsonDocument.Parse(await branchUser.GetStringAsync("/api/v1/trades?limit=1000"));
        Assert.Equal(byBranch[mine].Select(t => t.Account).Distinct().Order(StringComparer.Ordinal),
            page.RootElement.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("account").GetString()!).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"/api/v1/trades/{byBranch[theirs][0].TradeId}")).StatusCode);
        // Balances: only their branch's client sub-ledgers.
        using JsonDocument balances = JsonDocument.Parse(await branchUser.GetStringAsync("/api/v1/balances"));
        Assert.NotEmpty(balances.RootElement.EnumerateArray());
        Assert.All(balances.RootElement.EnumerateArray(), b => Assert.Equal(mine, clients[b.GetProperty("ledger_account").GetString()!.Split('.', 2)[1]].Branch));
    }
}
