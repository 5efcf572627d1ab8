using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using BackOffice.Application.Audit;
using BackOffice.Application.Ports;
using BackOffice.Application.ReferenceData;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Access;
using BackOffice.Host.Api;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Builder;
using NodaTime;

namespace BackOffice.Benchmarks;

/// <summary>
/// The server under load: a load generator on loopback posts trades to <c>POST /api/v1/trades</c>,
/// each with its own idempotency key and the API key of a front-office user, from C concurrent clients; each answer arrives only once the
/// trade is committed (group commit). Reports sustained trades per second and the latency
/// percentiles, then checks every trade was booked exactly once and the audit chain verifies.
/// </summary>
internal static class ApiLoadBenchmark
{
    public static async Task<int> RunAsync(IBackOfficeStore store, int trades, int clients, string storeName)
    {
        var processor = new CommandProcessor(store, SystemClock.Instance);
        await new ReferenceDataService(processor).ImportAsync(TradeBenchmark.Reference(), null, "bench", null, CancellationToken.None);
        var services = new Services(store, SystemClock.Instance, "bench");
        await services.Access.AddUserAsync(new User("oms", "Order management system", Role.FrontOffice, null, true), null, "bench", CancellationToken.None);
        (_, string? key, _) = await services.Access.IssueKeyAsync("oms", "bench", CancellationToken.None);
        await using WebApplication app = ApiServer.Build(services, "http://127.0.0.1:0", rateLimit: 1_000_000);
        await app.StartAsync();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, UseProxy = false })
        {
            BaseAddress = new Uri(app.Urls.First()),
        };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", key);

        // Warm up (JIT, connections, the sub-ledger accounts every client account opens on its first trade).
        int warmup = Math.Min(2_000, trades / 10);
        await RunClientsAsync(client, 0, warmup, clients, new long[warmup]);
        long groupsBefore = services.Committer.Groups;
        var latencies = new long[trades];
        var timer = Stopwatch.StartNew();
        await RunClientsAsync(client, warmup, warmup + trades, clients, latencies);
        timer.Stop();
        long groups = services.Committer.Groups - groupsBefore;

        Array.Sort(latencies);
        double Percentile(double p) => Stopwatch.GetElapsedTime(0, latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)]).TotalMilliseconds;
        int booked = (await store.ListTradesAsync(new TradeQuery(null, null, null, 0, trades + warmup + 1), CancellationToken.None)).Count;
        AuditVerification verification = await new AuditVerifier(store).VerifyAsync(null, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{storeName}: {trades} trades through the API from {clients} clients in {timer.Elapsed.TotalSeconds:F1} s = {trades / timer.Elapsed.TotalSeconds:F0} trades/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency ms: p50 {Percentile(0.50):F1}, p90 {Percentile(0.90):F1}, p99 {Percentile(0.99):F1}, max {Percentile(1.0):F1}; {groups} commits, {(double)trades / groups:F1} trades a commit"));
        Console.WriteLine($"booked {booked} trades (expected {trades + warmup}); audit chain {(verification.Problem is null ? "verifies" : "BROKEN")}");
        await services.Committer.DisposeAsync();
        return booked == trades + warmup && verification.Problem is null ? 0 : 1;
    }

    private static async Task RunClientsAsync(HttpClient client, int from, int to, int clients, long[] latencies)
    {
        int next = from - 1;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < to)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/trades") { Content = new StringContent(Trade(i), Encoding.UTF8, "application/json") };
                request.Headers.Add("Idempotency-Key", "load-" + i.ToString(CultureInfo.InvariantCulture));
                long started = Stopwatch.GetTimestamp();
                using HttpResponseMessage response = await client.SendAsync(request);
                long took = Stopwatch.GetTimestamp() - started;
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"trade {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                if (i - from < latencies.Length)
                {
                    latencies[i - from] = took;
                }
            }
        })));
    }

    private static string Trade(int i) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"source":"LOAD","source_trade_id":"L{{i}}","side":"BUY","instrument_id":"{{(i % 2 == 0 ? "US0378331005" : "US5949181045")}}","instrument_id_type":"ISIN","market":"XNAS","quantity":"{{1 + i % 500}}","price":"{{200m + i % 1000 / 100m}}","currency":"USD","account":"{{TradeBenchmark.Clients[i % TradeBenchmark.Clients.Length]}}","counterparty":"{{TradeBenchmark.Broker}}","trade_date":"2026-11-25"}""");
}
