using System.Net.Http.Headers;
using System.Text;
using BackOffice.Application.Ports;
using BackOffice.Domain.Access;
using BackOffice.Host.Api;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Builder;

namespace BackOffice.Host.Tests;

/// <summary>A server over the workspace's database, and a client for it.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private static int _users;

    public required Services Services { get; init; }
    public required WebApplication App { get; init; }
    public required HttpClient Client { get; init; }

    public static async Task<TestServer> StartAsync(Workspace workspace, Role role, int rateLimit = ApiServer.RateLimitDefault, string? branch = null)
    {
        IBackOfficeStore store = workspace.StoreArgs[0] == "--db"
            ? Storage.Sqlite.SqliteStore.Open(workspace.StoreArgs[1])
            : Storage.Postgres.PostgresStore.Open(workspace.StoreArgs[1]);
        var services = new Services(store, NodaTime.SystemClock.Instance, "api-test");
        WebApplication app = ApiServer.Build(services, "http://127.0.0.1:0", rateLimit);
        await app.StartAsync();
        var server = new TestServer { Services = services, App = app, Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) } };
        server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", await server.KeyAsync(role, branch));
        return server;
    }

    /// <summary>A new user with <paramref name="role"/> (and <paramref name="branch"/>), and a key for them.</summary>
    public async Task<string> KeyAsync(Role role, string? branch = null)
    {
        string name = Roles.Name(role) + (branch is null ? "" : "-" + branch) + "-" + Interlocked.Increment(ref _users).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True((await Services.Access.AddUserAsync(new User(name, name, role, branch, true), null, "test", CancellationToken.None)).Succeeded);
        (Application.WritePath.CommandOutcome outcome, string? key, _) = await Services.Access.IssueKeyAsync(name, "test", CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Result);
        return key!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await Services.DisposeAsync();
    }

    public Task<HttpResponseMessage> PostAsync(string path, string? key, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        // As a careful client does: a body the server refuses by its length is never sent.
        request.Headers.ExpectContinue = true;
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> SubmitAsync(string key, string json) =>
        PostAsync("/api/v1/trades", key, new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<(long Sequence, int Trades)> StateAsync()
    {
        ChainHead head = await Services.Store.ReadHeadAsync(CancellationToken.None);
        IReadOnlyList<Domain.Trading.TradeVersion> trades = await Services.Store.ListTradesAsync(new TradeQuery(null, null, null, 0, 100_000), CancellationToken.None);
        return (head.Sequence.Value, trades.Count);
    }
}
