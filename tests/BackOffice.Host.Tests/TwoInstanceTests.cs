using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using BackOffice.Domain.Access;

namespace BackOffice.Host.Tests;

/// <summary>
/// Two servers, two real processes, on one PostgreSQL database: both take trades; the one that
/// holds the scheduler lease is killed (SIGKILL) in the middle; the client sends what went
/// unanswered to the other with the same idempotency keys; the other takes the lease over. Every
/// trade is booked exactly once and the audit chain verifies.
/// </summary>
public sealed class TwoInstanceTests
{
    private sealed class Instance : IAsyncDisposable
    {
        public required Process Process { get; init; }
        public required HttpClient Client { get; init; }

        public static async Task<Instance> StartAsync(string connection, string key)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "backoffice.dll"), "serve", "--connection", connection, "--urls", $"http://127.0.0.1:{port}" })
            {
                start.ArgumentList.Add(arg);
            }
            Process process = Process.Start(start)!;
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            // The server says where it serves once it listens.
            string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(line?.StartsWith("serving postgres", StringComparison.Ordinal) == true, line);
            var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(1) }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
            return new Instance { Process = process, Client = client };
        }

        public async Task<string[]> LeasesAsync()
        {
            using JsonDocument health = JsonDocument.Parse(await Client.GetStringAsync("/health"));
            return [.. health.RootElement.GetProperty("leases").EnumerateArray().Select(l => l.GetString()!)];
        }

        /// <summary>Waits, up to a minute, until this instance holds the lease (the condition, checked every 100 ms).</summary>
        public async Task HoldsAsync(string lease)
        {
            var deadline = Stopwatch.StartNew();
            while (!(await LeasesAsync()).Contains(lease))
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(1), $"the instance did not take the {lease} lease");
                await Task.Delay(100);
            }
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                await Process.WaitForExitAsync();
            }
            Process.Dispose();
        }
    }

    private static string Trade(int i) => $$"""
        {"source":"OMS2","source_trade_id":"T2-{{i}}","side":"BUY","instrument_id":"US0378331005","instrument_id_type":"ISIN","market":"XNAS",
         "quantity":"{{1 + i % 7}}","price":"231.50","currency":"USD","account":"C-1001","counterparty":"5493000DEMO0BROKER41","trade_date":"2026-11-30"}
        """;

    private static async Task<bool> SendAsync(HttpClient client, int i)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/trades") { Content = new StringContent(Trade(i), Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", $"two-{i}");
            using HttpResponseMessage response = await client.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"trade {i}: {(int)response.StatusCode}");
            return true;
        }
        catch (HttpRequestException)
        {
            return false; // The instance is gone; the answer never came.
        }
    }

    [Fact]
    public async Task Both_instances_take_writes_and_the_survivor_takes_the_lease_over()
    {
        await using Workspace workspace = await Workspace.PostgresAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        string connection = workspace.StoreArgs[1];
        string key;
        await using (TestServer setup = await TestServer.StartAsync(workspace, Role.Auditor))
        {
            key = await setup.KeyAsync(Role.FrontOffice);
        }
        int tradesBefore = (await ListAsync(connection)).Count;

        await using Instance a = await Instance.StartAsync(connection, key);
        await a.HoldsAsync("scheduler");
        await using Instance b = await Instance.StartAsync(connection, key);
        Assert.DoesNotContain("scheduler", await b.LeasesAsync());

        // 400 trades, alternately to each instance, 8 at a time; the lease holder dies after 100 answers.
        const int trades = 400;
        int answered = 0;
        var unanswered = new System.Collections.Concurrent.ConcurrentBag<int>();
        var killed = new TaskCompletionSource();
        int next = -1;
        Task[] senders = [.. Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < trades)
            {
                Instance target = i % 2 == 0 ? a : b;
                if (await SendAsync(target.Client, i))
                {
                    if (Interlocked.Increment(ref answered) == 100)
                    {
                        a.Process.Kill(entireProcessTree: true);
                        killed.SetResult();
                    }
                }
                else
                {
                    unanswered.Add(i);
                }
            }
        }))];
        await Task.WhenAll(senders);
        Assert.True(killed.Task.IsCompleted);
        Assert.NotEmpty(unanswered);
        // The client sends what went unanswered to the survivor, with the same keys: what the dead
        // instance had committed is replayed, the rest is booked.
        foreach (int i in unanswered)
        {
            Assert.True(await SendAsync(b.Client, i));
        }
        await b.HoldsAsync("scheduler");

        IReadOnlyList<Domain.Trading.TradeVersion> booked = await ListAsync(connection);
        string[] ids = [.. booked.Where(t => t.Source == "OMS2").Select(t => t.SourceTradeId)];
        Assert.Equal(trades, ids.Length);
        Assert.Equal(trades, ids.Distinct().Count());
        Assert.Equal(tradesBefore + trades, booked.Count);
        CliResult verify = await workspace.RunAsync("audit", "verify");
        Assert.True(verify.Exit == 0, verify.Output + verify.Error);
    }

    private static async Task<IReadOnlyList<Domain.Trading.TradeVersion>> ListAsync(string connection)
    {
        await using var store = Storage.Postgres.PostgresStore.Open(connection);
        return await store.ListTradesAsync(new Application.Ports.TradeQuery(Limit: 100_000), CancellationToken.None);
    }
}
