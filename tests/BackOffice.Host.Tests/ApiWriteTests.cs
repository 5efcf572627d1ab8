using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BackOffice.Domain.Access;

using static BackOffice.Host.Tests.ApiCalls;

namespace BackOffice.Host.Tests;

/// <summary>
/// Trade submission through the API, over a real store and a real server on loopback: a trade
/// books once whatever the retries (the same key replays the first answer, 32 copies at once book
/// once), another body under a used key is a 409, and bad input of every kind is a 4xx problem
/// naming its rule that leaves the database as it was.
/// </summary>
public sealed class ApiWriteTests
{
    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    private const string Apple = """
        {"source":"OMS","source_trade_id":"API-1","side":"BUY","instrument_id":"US0378331005","instrument_id_type":"ISIN","market":"XNAS",
         "quantity":"10","price":"231.50","currency":"USD","account":"C-1001","counterparty":"5493000DEMO0BROKER41","trade_date":"2026-11-30"}
        """;

    private static async Task<Workspace> DemoAsync(string store)
    {
        Workspace workspace = store == "postgres" ? await Workspace.PostgresAsync() : await Workspace.SqliteAsync();
        CliResult demo = await workspace.RunAsync("demo");
        Assert.True(demo.Exit == 0, demo.Error);
        return workspace;
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_submitted_trade_books_once_and_a_retry_replays_the_first_answer(string store)
    {
        await using Workspace workspace = await DemoAsync(store);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.FrontOffice);
        (long sequence, int trades) = await server.StateAsync();

        HttpResponseMessage first = await server.SubmitAsync("order-77", Apple);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        JsonElement booked = await JsonAsync(first);
        Assert.Equal("booked", booked.GetProperty("outcome").GetString());
        long tradeId = booked.GetProperty("trade_id").GetInt64();
        Assert.Equal($"/api/v1/trades/{tradeId}", first.Headers.Location?.OriginalString);
        Assert.Equal((sequence + 1, trades + 1), await server.StateAsync());

        // The trade reads back with what was sent, enriched (gross = 10 x 231.50).
        JsonElement versions = await JsonAsync(await server.Client.GetAsync($"/api/v1/trades/{tradeId}"));
        Assert.Equal(2315.00m, versions[0].GetProperty("gross").GetDecimal());
        Assert.Equal("OMS", versions[0].GetProperty("source").GetString());

        // The same key and body: the original answer, marked as a replay, and nothing written.
        HttpResponseMessage again = await server.SubmitAsync("order-77", Apple);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(booked.GetRawText(), (await JsonAsync(again)).GetRawText());
        Assert.Equal((sequence + 1, trades + 1), await server.StateAsync());

        // The same key with another body is a conflict.
        HttpResponseMessage conflict = await server.SubmitAsync("order-77", Apple.Replace("\"10\"", "\"11\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("command.key-conflict", (await JsonAsync(conflict)).GetProperty("rule").GetString());

        // Another key for the same trade (source and source trade id): the trade is not booked twice.
        HttpResponseMessage sameTrade = await server.SubmitAsync("order-77-resent", Apple);
        Assert.Equal(HttpStatusCode.OK, sameTrade.StatusCode);
        JsonElement replayed = await JsonAsync(sameTrade);
        Assert.Equal("replayed", replayed.GetProperty("outcome").GetString());
        Assert.Equal(tradeId, replayed.GetProperty("trade_id").GetInt64());
        Assert.Equal(trades + 1, (await server.StateAsync()).Trades);

        // A correction through the API is a new version of the same trade.
        string correction = Apple.Replace("\"API-1\"", "\"API-1-C\"", StringComparison.Ordinal)
            .Replace("\"source\":\"OMS\",", "\"source\":\"OMS\",\"action\":\"CORRECT\",\"ref_trade_id\":\"API-1\",", StringComparison.Ordinal)
            .Replace("\"231.50\"", "\"231.40\"", StringComparison.Ordinal);
        HttpResponseMessage corrected = await server.SubmitAsync("order-77-fix", correction);
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        JsonElement second = await JsonAsync(corrected);
        Assert.Equal(("corrected", tradeId, 2), (second.GetProperty("outcome").GetString(), second.GetProperty("trade_id").GetInt64(), second.GetProperty("version").GetInt32()));

        // Every command the API wrote is in the audit chain, which still verifies.
        CliResult verify = await workspace.RunAsync("audit", "verify");
        Assert.True(verify.Exit == 0, verify.Output + verify.Error);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_same_request_sent_32_times_at_once_books_once(string store)
    {
        await using Workspace workspace = await DemoAsync(store);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.FrontOffice);
        (long sequence, int trades) = await server.StateAsync();

        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => server.SubmitAsync("burst-1", Apple)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        string[] bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());
        Assert.Equal(31, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        Assert.Equal((sequence + 1, trades + 1), await server.StateAsync());

        // 32 different trades at once all book, each once, sharing commits.
        HttpResponseMessage[] many = await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
            server.SubmitAsync($"many-{i}", Apple.Replace("\"API-1\"", $"\"API-M{i}\"", StringComparison.Ordinal))));
        Assert.All(many, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        long[] ids = await Task.WhenAll(many.Select(async r => (await JsonAsync(r)).GetProperty("trade_id").GetInt64()));
        Assert.Equal(32, ids.Distinct().Count());
        Assert.Equal((sequence + 33, trades + 33), await server.StateAsync());
    }

    [Fact]
    public async Task Bad_input_is_a_4xx_problem_naming_its_rule_and_writes_nothing()
    {
        await using Workspace workspace = await DemoAsync("sqlite");
        await using TestServer server = await TestServer.StartAsync(workspace, Role.FrontOffice);
        (long, int) before = await server.StateAsync();

        static HttpContent Json(string text) => new StringContent(text, Encoding.UTF8, "application/json");
        static HttpContent Bytes(byte[] bytes)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return content;
        }
        string deep = new string('[', 200) + new string(']', 200);
        byte[] invalidUtf8 = [.. Encoding.UTF8.GetBytes("{\"source\":\"OMS\",\"source_trade_id\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")];
        var cases = new (string Name, string? Key, HttpContent Body, HttpStatusCode Status, string Rule)[]
        {
            ("no key", null, Json(Apple), HttpStatusCode.BadRequest, "header.idempotency-key"),
            ("key with spaces", "a key", Json(Apple), HttpStatusCode.BadRequest, "header.idempotency-key"),
            ("not JSON", "k1", new StringContent(Apple, Encoding.UTF8, "text/plain"), HttpStatusCode.UnsupportedMediaType, "body.media-type"),
            ("wrong type", "k2", Json(Apple.Replace("\"10\"", "true", StringComparison.Ordinal)), HttpStatusCode.BadRequest, "json.shape"),
            ("object for a field", "k3", Json(Apple.Replace("\"10\"", "{\"n\":10}", StringComparison.Ordinal)), HttpStatusCode.BadRequest, "json.shape"),
            ("unknown field", "k4", Json(Apple.Replace("{", "{\"urgent\":\"yes\",", StringComparison.Ordinal)), HttpStatusCode.BadRequest, "json.unknown-field"),
            ("array, not an object", "k5", Json("[" + Apple + "]"), HttpStatusCode.BadRequest, "json.shape"),
            ("deep nesting", "k6", Json(deep), HttpStatusCode.BadRequest, "json.syntax"),
            ("invalid UTF-8", "k7", Bytes(invalidUtf8), HttpStatusCode.BadRequest, "body.encoding"),
            ("truncated", "k8", Json(Apple[..40]), HttpStatusCode.BadRequest, "json.syntax"),
            ("empty", "k9", Json(""), HttpStatusCode.BadRequest, "json.syntax"),
            ("huge", "k10", Json("{\"source\":\"" + new string('x', 200_000) + "\"}"), HttpStatusCode.RequestEntityTooLarge, "body.too-large"),
            ("beyond the server's limit", "k11", Bytes(new byte[2 * 1024 * 1024]), HttpStatusCode.RequestEntityTooLarge, "body.too-large"),
            ("bad number", "k12", Json(Apple.Replace("\"10\"", "\"ten\"", StringComparison.Ordinal)), HttpStatusCode.UnprocessableEntity, "field.decimal"),
            ("missing field", "k13", Json(Apple.Replace("\"side\":\"BUY\",", "", StringComparison.Ordinal)), HttpStatusCode.UnprocessableEntity, "field.required"),
            ("unknown instrument", "k14", Json(Apple.Replace("US0378331005", "US0000000002", StringComparison.Ordinal)), HttpStatusCode.UnprocessableEntity, "trade.instrument-unknown"),
            ("negative quantity", "k15", Json(Apple.Replace("\"10\"", "\"-10\"", StringComparison.Ordinal)), HttpStatusCode.UnprocessableEntity, "trade.quantity-not-positive"),
            ("unknown route", "k16", Json(Apple), HttpStatusCode.NotFound, "route.unknown"),
        };
        foreach (var (name, key, body, status, rule) in cases)
        {
            HttpResponseMessage response = await server.PostAsync(name == "unknown route" ? "/api/v1/trade" : "/api/v1/trades", key, body);
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{name}: {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(JsonDocument.Parse(text).RootElement.TryGetProperty("rule", out JsonElement named) && named.GetString() == rule, $"{name}: {text}");
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        }
        Assert.Equal(before, await server.StateAsync());
    }

    [Fact]
    public async Task A_caller_over_the_rate_limit_gets_429_problems()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.Equal(0, (await workspace.RunAsync("init")).Exit);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.FrontOffice, rateLimit: 5);
        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => server.Client.GetAsync("/health")));
        HttpResponseMessage[] refused = [.. responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests)];
        Assert.NotEmpty(refused);
        Assert.Equal("rate.limit", (await JsonAsync(refused[0])).GetProperty("rule").GetString());
        Assert.NotNull(refused[0].Headers.RetryAfter);
    }
}
