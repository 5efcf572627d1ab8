using System.Net;
using System.Text.Json;
using BackOffice.Domain.Access;

namespace BackOffice.Host.Tests;

/// <summary>
/// The HTTP API's read endpoints over a real store and a real server on loopback: the demo's
/// books, read back as JSON; bad queries are problems naming their rule, never a 500; the OpenAPI
/// document lists every endpoint.
/// </summary>
public sealed class ApiTests
{
    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_demo_books_read_back_through_the_API(string store)
    {
        await using Workspace workspace = store == "postgres" ? await Workspace.PostgresAsync() : await Workspace.SqliteAsync();
        CliResult demo = await workspace.RunAsync("demo");
        Assert.True(demo.Exit == 0, demo.Error);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.OperationsMaker);
        HttpClient client = server.Client;
        {
            JsonElement health = await JsonAsync(await client.GetAsync("/health"));
            Assert.Equal("ok", health.GetProperty("status").GetString());
            Assert.Equal(store, health.GetProperty("store").GetString());
            Assert.Equal("2026-11-25", health.GetProperty("closed_through").GetString());

            JsonElement balances = await JsonAsync(await client.GetAsync("/api/v1/balances"));
            Assert.Contains(balances.EnumerateArray(), b => b.GetProperty("ledger_account").GetString() == "1100" && b.GetProperty("asset").GetString() == "US0378331005"
                && b.GetProperty("amount").GetDecimal() == 450m);

            // The blotter, two trades a page: the cursor walks it without gaps or repeats.
            var seen = new List<long>();
            string? cursor = null;
            do
            {
                JsonElement page = await JsonAsync(await client.GetAsync("/api/v1/trades?limit=2" + (cursor is null ? "" : "&cursor=" + cursor)));
                seen.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("trade_id").GetInt64()));
                cursor = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
            }
            while (cursor is not null);
            JsonElement all = await JsonAsync(await client.GetAsync("/api/v1/trades?limit=1000"));
            Assert.Equal(all.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("trade_id").GetInt64()), seen);
            Assert.Equal(seen.Distinct().Count(), seen.Count);

            JsonElement versions = await JsonAsync(await client.GetAsync("/api/v1/trades/2"));
            Assert.Equal([1, 2], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
            Assert.Equal(412.01m, versions[1].GetProperty("price").GetDecimal());

            JsonElement instructions = await JsonAsync(await client.GetAsync("/api/v1/settlement/instructions?date=2026-11-27"));
            JsonElement failed = instructions.EnumerateArray().Single(i => i.GetProperty("status").GetString() == "failed");
            Assert.Equal("FR0000120271", failed.GetProperty("isin").GetString());
            Assert.Equal("CLAC", failed.GetProperty("reason_code").GetString());
            JsonElement events = await JsonAsync(await client.GetAsync("/api/v1/settlement/instructions/BO1-1/events"));
            Assert.Equal(["sent", "matched", "partially-settled", "settled"], events.EnumerateArray().Select(e => e.GetProperty("to").GetString()));

            JsonElement openApi = await JsonAsync(await client.GetAsync("/openapi/v1.json"));
            string[] paths = [.. openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name)];
            foreach (string path in new[] { "/health", "/api/v1/balances", "/api/v1/trades", "/api/v1/trades/{id}", "/api/v1/settlement/instructions",
                "/api/v1/settlement/instructions/{txId}/events" })
            {
                Assert.Contains(path, paths);
            }
        }
    }

    [Fact]
    public async Task Bad_queries_are_problems_naming_their_rule_never_a_500()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.Equal(0, (await workspace.RunAsync("init")).Exit);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.OperationsMaker);
        HttpClient client = server.Client;
        {
            foreach ((string url, HttpStatusCode status, string rule) in new[]
            {
                ("/api/v1/balances?asOf=2026-13-01", HttpStatusCode.BadRequest, "query.date"),
                ("/api/v1/balances?knownAt=yesterday", HttpStatusCode.BadRequest, "query.instant"),
                ("/api/v1/trades?limit=5000", HttpStatusCode.BadRequest, "query.limit"),
                ("/api/v1/trades?cursor=-3", HttpStatusCode.BadRequest, "query.cursor"),
                ("/api/v1/trades?status=7", HttpStatusCode.BadRequest, "query.status"),
                ("/api/v1/trades/99", HttpStatusCode.NotFound, "trade.unknown"),
                ("/api/v1/settlement/instructions/NOPE/events", HttpStatusCode.NotFound, "settlement.unknown-instruction"),
            })
            {
                HttpResponseMessage response = await client.GetAsync(url);
                Assert.True(response.StatusCode == status, url + ": " + response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal(rule, (await JsonAsync(response)).GetProperty("rule").GetString());
            }
            // A parameter of the wrong type is refused by the framework as a 400, not a 500.
            HttpResponseMessage wrongType = await client.GetAsync("/api/v1/trades?limit=many");
            Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
            Assert.DoesNotContain("   at ", await wrongType.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Reports_positions_exceptions_end_of_day_and_audit_read_back_through_the_API()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        HttpClient client = server.Client;

        JsonElement trial = await JsonAsync(await client.GetAsync("/api/v1/reports/trial-balance?asOf=2026-11-25"));
        Assert.NotEmpty(trial.GetProperty("lines").EnumerateArray());
        Assert.All(trial.GetProperty("totals").EnumerateArray(), t => Assert.Equal(t.GetProperty("debit").GetDecimal(), t.GetProperty("credit").GetDecimal()));
        string csv = await client.GetStringAsync("/api/v1/reports/trial-balance?asOf=2026-11-25&format=csv");
        Assert.StartsWith("account,name,type,asset,debit,credit\n", csv, StringComparison.Ordinal);
        Assert.Equal(trial.GetProperty("lines").GetArrayLength() + 1, csv.TrimEnd('\n').Split('\n').Length);

        JsonElement positions = await JsonAsync(await client.GetAsync("/api/v1/positions?asOf=2026-11-25"));
        Assert.Contains(positions.EnumerateArray(), p => p.GetProperty("holder").GetString() == "C-1001" && p.GetProperty("instrument").GetString() == "US0378331005"
            && p.GetProperty("quantity").GetDecimal() == 450m);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/positions?basis=value")).StatusCode);

        JsonElement exceptions = await JsonAsync(await client.GetAsync("/api/v1/exceptions"));
        Assert.All(exceptions.EnumerateArray(), e => Assert.True(e.GetProperty("open").GetBoolean()));
        Assert.NotEmpty(exceptions.EnumerateArray());

        JsonElement eod = await JsonAsync(await client.GetAsync("/api/v1/eod/status?date=2026-11-25"));
        Assert.All(eod.EnumerateArray(), s => Assert.True(s.GetProperty("done").GetBoolean(), s.GetProperty("step").GetString()));

        // Journal entries by id: balanced per asset, and a reversal and its original point at each other.
        long last = (await server.Services.Store.ReadHeadAsync(CancellationToken.None)).LastEntryId.Value;
        var entries = new List<JsonElement>();
        for (long id = 1; id <= last; id++)
        {
            entries.Add(await JsonAsync(await client.GetAsync($"/api/v1/journal/entries/{id}")));
        }
        Assert.All(entries, e => Assert.All(e.GetProperty("postings").EnumerateArray().GroupBy(p => p.GetProperty("asset").GetString()),
            g => Assert.Equal(g.Where(p => p.GetProperty("direction").GetString() == "debit").Sum(p => p.GetProperty("amount").GetDecimal()),
                g.Where(p => p.GetProperty("direction").GetString() == "credit").Sum(p => p.GetProperty("amount").GetDecimal()))));
        JsonElement reversal = entries.First(e => e.GetProperty("key").GetString() == "demo-exchange-fee-2026-11-25-reversal");
        JsonElement original = entries.Single(e => e.GetProperty("id").GetInt64() == reversal.GetProperty("reverses").GetInt64());
        Assert.Equal(reversal.GetProperty("id").GetInt64(), original.GetProperty("reversed_by").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/journal/entries/{last + 1}")).StatusCode);

        JsonElement audit = await JsonAsync(await client.GetAsync("/api/v1/audit/verify"));
        Assert.True(audit.GetProperty("intact").GetBoolean());
        Assert.Equal((await server.Services.Store.ReadHeadAsync(CancellationToken.None)).Sequence.Value, audit.GetProperty("head_sequence").GetInt64());
    }
}
