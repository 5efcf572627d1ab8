using System.Net;
using System.Text.Json;
using BackOffice.Domain.Access;
using NodaTime;
using NodaTime.Text;

using static BackOffice.Host.Tests.ApiCalls;

namespace BackOffice.Host.Tests;

/// <summary>
/// The HTTP API's read endpoints over a real store and a real server on loopback: the demo's
/// books, read back as JSON; bad queries are problems naming their rule, never a 500; the OpenAPI
/// document lists every endpoint.
/// </summary>
public sealed class ApiTests
{
    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

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

        // As known at an instant: before anything was recorded, nothing; an instant that is not one, a 400.
        JsonElement before = await JsonAsync(await client.GetAsync("/api/v1/reports/trial-balance?knownAt=2000-01-01T00:00:00Z"));
        Assert.Empty(before.GetProperty("lines").EnumerateArray());
        Instant recorded = (await server.Services.Store.ReadHeadAsync(CancellationToken.None)).LastRecordedAt;
        JsonElement known = await JsonAsync(await client.GetAsync($"/api/v1/reports/trial-balance?asOf=2026-11-25&knownAt={InstantPattern.ExtendedIso.Format(recorded)}"));
        Assert.Equal(trial.GetProperty("lines").ToString(), known.GetProperty("lines").ToString());
        Assert.Empty((await JsonAsync(await client.GetAsync("/api/v1/positions?knownAt=2000-01-01T00:00:00Z"))).EnumerateArray());
        Assert.Equal("query.instant", (await JsonAsync(await client.GetAsync("/api/v1/reports/balance-sheet?knownAt=yesterday"))).GetProperty("rule").GetString());

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

    [Fact]
    public async Task Lots_pnl_valuation_journal_search_reference_and_settlement_read_back_as_the_CLI_reports_them()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        HttpClient client = server.Client;

        // Open lots and realized P&L: the same rows as the CLI's CSV reports.
        string[] lotRows = (await workspace.RunAsync("report", "lots", "--as-of", "2026-11-27", "--format", "csv")).Lines.Skip(1).ToArray();
        JsonElement lots = await JsonAsync(await client.GetAsync("/api/v1/lots?asOf=2026-11-27"));
        Assert.Equal(lotRows.Length, lots.GetArrayLength());
        Assert.NotEmpty(lotRows);
        Assert.All(lots.EnumerateArray().Zip(lotRows), pair => Assert.StartsWith(
            $"{pair.First.GetProperty("account").GetString()},{pair.First.GetProperty("instrument").GetString()},{pair.First.GetProperty("lot").GetInt64()},", pair.Second, StringComparison.Ordinal));
        Assert.Equal(lots.EnumerateArray().Sum(l => l.GetProperty("total_cost").GetDecimal()),
            lotRows.Sum(r => decimal.Parse(r.Split(',')[6], System.Globalization.CultureInfo.InvariantCulture)));
        string[] pnlRows = (await workspace.RunAsync("report", "pnl", "--method", "lifo", "--format", "csv")).Lines.Skip(1).ToArray();
        JsonElement pnl = await JsonAsync(await client.GetAsync("/api/v1/reports/pnl?method=lifo"));
        Assert.Equal("lifo", pnl.GetProperty("method").GetString());
        Assert.Equal(pnlRows.Length, pnl.GetProperty("lines").GetArrayLength());
        Assert.Equal(pnlRows.Sum(r => decimal.Parse(r.Split(',')[6], System.Globalization.CultureInfo.InvariantCulture)),
            pnl.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("realized").GetDecimal()));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/lots?method=random")).StatusCode);

        // Valuation: a position without a usable price is an exception on its line, never a zero.
        JsonElement valuation = await JsonAsync(await client.GetAsync("/api/v1/reports/valuation?asOf=2026-11-25"));
        Assert.NotEmpty(valuation.GetProperty("lines").EnumerateArray());
        Assert.All(valuation.GetProperty("lines").EnumerateArray(), l => Assert.True(
            l.GetProperty("exception").ValueKind == JsonValueKind.String || l.GetProperty("market_value").ValueKind == JsonValueKind.Number));
        Assert.Equal(valuation.GetProperty("lines").EnumerateArray().Count(l => l.GetProperty("exception").ValueKind == JsonValueKind.String),
            valuation.GetProperty("exceptions").GetInt32());

        // Journal search: a control account finds its sub-ledgers' entries; the pages cover the journal once, in order.
        var found = new List<long>();
        string? cursor = null;
        do
        {
            JsonElement page = await JsonAsync(await client.GetAsync($"/api/v1/journal/entries?account=2010&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}"));
            found.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
            Assert.All(page.GetProperty("items").EnumerateArray(), e => Assert.Contains(e.GetProperty("postings").EnumerateArray(),
                p => p.GetProperty("ledger_account").GetString()!.StartsWith("2010.", StringComparison.Ordinal)));
            cursor = page.GetProperty("next").GetString();
        }
        while (cursor is not null);
        long last = (await server.Services.Store.ReadHeadAsync(CancellationToken.None)).LastEntryId.Value;
        var expected = new List<long>();
        for (long id = 1; id <= last; id++)
        {
            JsonElement entry = await JsonAsync(await client.GetAsync($"/api/v1/journal/entries/{id}"));
            if (entry.GetProperty("postings").EnumerateArray().Any(p => p.GetProperty("ledger_account").GetString()!.StartsWith("2010.", StringComparison.Ordinal)))
            {
                expected.Add(id);
            }
        }
        Assert.NotEmpty(expected);
        Assert.Equal(expected, found);
        JsonElement dated = await JsonAsync(await client.GetAsync("/api/v1/journal/entries?from=2026-11-25&to=2026-11-25&limit=500"));
        Assert.All(dated.GetProperty("items").EnumerateArray(), e => Assert.Equal("2026-11-25", e.GetProperty("effective_date").GetString()));
        JsonElement bySource = await JsonAsync(await client.GetAsync("/api/v1/journal/entries?source=hold&limit=500"));
        Assert.All(bySource.GetProperty("items").EnumerateArray(), e => Assert.StartsWith("hold", e.GetProperty("source_reference").GetString(), StringComparison.Ordinal));
        Assert.Equal("query.account", (await JsonAsync(await client.GetAsync("/api/v1/journal/entries?account=nope"))).GetProperty("rule").GetString());
        // As known at an instant: before anything was recorded, nothing (and the cursor still walks to the end).
        JsonElement unknown = await JsonAsync(await client.GetAsync("/api/v1/journal/entries?knownAt=2000-01-01T00:00:00Z&limit=500"));
        Assert.Empty(unknown.GetProperty("items").EnumerateArray());

        // The console's positions page downloads as CSV: one row per position valued, as the API lists them.
        HttpResponseMessage csv = await client.GetAsync("/console/positions?asOf=2026-11-25&format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        string[] rows = (await csv.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal("account,instrument,quantity,cost,price,price_date,market_value,unrealized,currency,exception", rows[0]);
        Assert.Equal(valuation.GetProperty("lines").GetArrayLength(), rows.Length - 1);

        // Reference data and settlement.
        JsonElement instruments = await JsonAsync(await client.GetAsync("/api/v1/reference/instruments"));
        Assert.Contains(instruments.EnumerateArray(), i => i.GetProperty("isin").GetString() == "US0378331005");
        JsonElement accounts = await JsonAsync(await client.GetAsync("/api/v1/reference/client-accounts"));
        Assert.Contains(accounts.EnumerateArray(), a => a.GetProperty("code").GetString() == "C-1001");
        // The server keeps reference data in memory; an account added meanwhile (here by another process) shows at once.
        string added = workspace.File("accounts.csv", "code,name,party_lei,base_currency,branch,status,opened_on\nC-7777,Late Account,5493000DEMO0CLIENT70,USD,NYC,open,2026-11-28\n");
        Assert.True((await workspace.RunAsync("refdata", "import", "--kind", "client-accounts", "--file", added)).Exit == 0);
        Assert.Contains((await JsonAsync(await client.GetAsync("/api/v1/reference/client-accounts"))).EnumerateArray(), a => a.GetProperty("code").GetString() == "C-7777");
        Assert.Contains((await JsonAsync(await client.GetAsync("/api/v1/reference/ledger-accounts"))).EnumerateArray(), a => a.GetProperty("code").GetString() == "2010");
        Assert.NotEmpty((await JsonAsync(await client.GetAsync("/api/v1/reference/ssis"))).EnumerateArray());
        Assert.NotEmpty((await JsonAsync(await client.GetAsync("/api/v1/reference/parties"))).EnumerateArray());
        string[] due = (await workspace.RunAsync("settlement", "obligations", "--date", "2026-11-27")).Lines.Skip(1).ToArray();
        JsonElement obligations = await JsonAsync(await client.GetAsync("/api/v1/settlement/obligations?date=2026-11-27"));
        Assert.NotEmpty(due);
        Assert.Equal(due.Select(r => r.Split(',')[0]), obligations.EnumerateArray().Select(o => o.GetProperty("tx_id").GetString()));
        Assert.Equal(JsonValueKind.Array, (await JsonAsync(await client.GetAsync("/api/v1/settlement/penalties?from=2026-11-01&to=2026-11-30"))).ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/settlement/penalties?from=2026-11-30&to=2026-11-01")).StatusCode);
    }

    [Fact]
    public async Task The_end_of_day_runs_through_the_API_and_a_rerun_changes_nothing()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        using var accountant = new HttpClient { BaseAddress = server.Client.BaseAddress };
        accountant.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", await server.KeyAsync(Role.Accountant));

        async Task<HttpResponseMessage> RunAsync(string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/eod/runs") { Content = new StringContent("""{"date":"2026-11-27","max_price_age":5}""", System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", key);
            return await accountant.SendAsync(request);
        }
        HttpResponseMessage first = await RunAsync("eod-1");
        JsonElement run = await JsonAsync(first);
        Assert.True(first.StatusCode is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity, run.ToString());
        Assert.Equal("2026-11-27", run.GetProperty("date").GetString());
        Assert.Equal(first.StatusCode == HttpStatusCode.OK, run.GetProperty("closed").GetBoolean());
        if (first.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            Assert.False(string.IsNullOrEmpty(run.GetProperty("failed_step").GetString()));
            Assert.False(string.IsNullOrEmpty(run.GetProperty("rule").GetString()));
        }
        long head = (await server.Services.Store.ReadHeadAsync(CancellationToken.None)).Sequence.Value;
        JsonElement again = await JsonAsync(await RunAsync("eod-2"));
        Assert.Equal(run.GetProperty("closed").GetBoolean(), again.GetProperty("closed").GetBoolean());
        if (run.GetProperty("closed").GetBoolean())
        {
            // Closed: nothing was left to do, so nothing was written.
            Assert.Equal(head, (await server.Services.Store.ReadHeadAsync(CancellationToken.None)).Sequence.Value);
            Assert.Equal("2026-11-27", (await JsonAsync(await accountant.GetAsync("/api/v1/periods"))).GetProperty("closed_through").GetString());
        }
        JsonElement status = await JsonAsync(await accountant.GetAsync("/api/v1/eod/status?date=2026-11-27"));
        Assert.Equal(run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("done").GetBoolean()), status.EnumerateArray().Select(s => s.GetProperty("done").GetBoolean()));
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Client.PostAsync("/api/v1/eod/runs", new StringContent("{}"))).StatusCode);
    }
}
