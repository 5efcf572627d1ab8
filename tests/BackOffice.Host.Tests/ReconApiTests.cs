using System.Net;
using System.Text.Json;
using BackOffice.Domain.Access;

using static BackOffice.Host.Tests.ApiCalls;

namespace BackOffice.Host.Tests;

/// <summary>
/// Reconciliation through the API as operations run it from the CLI: a statement file imported
/// once (the same bytes again answer the first import, nothing new), a run that raises breaks and
/// a rerun that changes nothing, the break queue listed and filtered, an operator's actions on a
/// break, and an adjusting entry that books and resolves its break only when a user other than
/// the maker approves it. Run on both stores. Also the console's reconciliation pages: shown to a
/// reader (with the forms only for those who work breaks), refused to a role without recon.read.
/// </summary>
public sealed class ReconApiTests
{
    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    private const string StatementAccounts =
        "account,source,kind,ledger_account,currency,name,amount_tolerance,date_tolerance_days,match_by_reference,group_max\n" +
        "SAFE-T,CUST-A,custody,1100,,The test safekeeping account,,,,\n" +
        "BANK-T,BANK-B,cash,1010,USD,The test USD account,0.01,1,true,3\n";

    /// <summary>The custodian holds 100 Apple for us; the books hold none.</summary>
    private const string Custody = "statement_id,account,date,basis,isin,quantity\nST-1,SAFE-T,2026-11-25,settlement,US0378331005,100\n";

    /// <summary>The bank booked a 500.00 deposit the books do not know.</summary>
    private const string Cash = "statement_id,account,currency,date,kind,amount,booking_date,value_date,reference,description\n" +
        "CASH-1,BANK-T,USD,2026-11-25,opening,0.00,,,,\n" +
        "CASH-1,BANK-T,USD,2026-11-25,entry,500.00,2026-11-25,2026-11-25,DEP-1,Deposit\n" +
        "CASH-1,BANK-T,USD,2026-11-25,closing,500.00,,,,\n";

    /// <summary>The demo's reference data and the two test statement accounts.</summary>
    private static async Task<Workspace> ReadyAsync(string store)
    {
        Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        CliResult accounts = await workspace.RunAsync("refdata", "import", "--kind", "statement-accounts", "--file", workspace.File("statement-accounts.csv", StatementAccounts));
        Assert.True(accounts.Exit == 0, accounts.Error);
        return workspace;
    }

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, string name, string key, string content, string mediaType = "text/csv") =>
        PostAsync(client, "/api/v1/recon/statements?name=" + name, key, content, mediaType);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_statement_imports_once_a_run_raises_breaks_and_operators_work_them(string store)
    {
        await using Workspace workspace = await ReadyAsync(store);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.OperationsMaker);
        HttpClient maker = server.Client;
        using HttpClient auditor = As(server, await server.KeyAsync(Role.Auditor));
        using HttpClient frontOffice = As(server, await server.KeyAsync(Role.FrontOffice));

        // Imported once: the same bytes again, under another key, answer the first import and write nothing.
        HttpResponseMessage first = await ImportAsync(maker, "custody.csv", "s1", Custody);
        JsonElement imported = await JsonAsync(first);
        Assert.True(first.StatusCode == HttpStatusCode.OK, imported.ToString());
        Assert.False(imported.GetProperty("replayed").GetBoolean());
        JsonElement statement = Assert.Single(imported.GetProperty("statements").EnumerateArray());
        Assert.Equal(["SAFE-T", "CUST-A", "custody", "custody.csv"],
            new[] { "account", "source", "kind", "file_name" }.Select(p => statement.GetProperty(p).GetString()));
        long head = (await server.Services.Store.ReadHeadAsync(CancellationToken.None)).Sequence.Value;
        HttpResponseMessage again = await ImportAsync(maker, "custody-again.csv", "s2", Custody);
        JsonElement replay = await JsonAsync(again);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True(replay.GetProperty("replayed").GetBoolean());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(imported.GetProperty("result").GetString(), replay.GetProperty("result").GetString());
        Assert.Equal(statement.GetProperty("id").GetInt64(), Assert.Single(replay.GetProperty("statements").EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal(head, (await server.Services.Store.ReadHeadAsync(CancellationToken.None)).Sequence.Value);
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(maker, "cash.csv", "s3", Cash)).StatusCode);

        // Refused: a file naming no known account, a file with no rows, JSON, a reader without recon.operate.
        HttpResponseMessage unknown = await ImportAsync(maker, "other.csv", "s4", Custody.Replace("SAFE-T", "SAFE-X", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Equal("statement.unknown-account", (await JsonAsync(unknown)).GetProperty("rule").GetString());
        Assert.Equal("statement.empty", (await JsonAsync(await ImportAsync(maker, "empty.csv", "s5", "statement_id,account,date,basis,isin,quantity\n"))).GetProperty("rule").GetString());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await ImportAsync(maker, "x.json", "s6", "{}", "application/json")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ImportAsync(auditor, "custody.csv", "s7", Custody)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await frontOffice.GetAsync("/api/v1/recon/breaks")).StatusCode);
        JsonElement statements = await JsonAsync(await auditor.GetAsync("/api/v1/recon/statements?date=2026-11-25"));
        Assert.Equal(["BANK-T", "SAFE-T"], statements.EnumerateArray().Select(s => s.GetProperty("account").GetString()));

        // The run raises breaks; a rerun finds the same and changes nothing.
        JsonElement run = await JsonAsync(await PostAsync(maker, "/api/v1/recon/runs", "r1", """{"date":"2026-11-25"}"""));
        Assert.Equal(["run", "run"], run.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));
        Assert.All(run.GetProperty("runs").EnumerateArray(), r => Assert.True(r.GetProperty("breaks").GetInt32() > 0, r.ToString()));
        JsonElement rerun = await JsonAsync(await PostAsync(maker, "/api/v1/recon/runs", "r2", """{"date":"2026-11-25","source":"CUST-A"}"""));
        Assert.Equal("unchanged", Assert.Single(rerun.GetProperty("runs").EnumerateArray()).GetProperty("outcome").GetString());
        Assert.Equal("query.date", (await JsonAsync(await PostAsync(maker, "/api/v1/recon/runs", "r3", "{}"))).GetProperty("rule").GetString());
        Assert.Equal(2, (await JsonAsync(await auditor.GetAsync("/api/v1/recon/runs?date=2026-11-25"))).GetArrayLength());

        await ListsAndActsAsync(server, maker, auditor);
        Assert.True((await workspace.RunAsync("audit", "verify")).Exit == 0);
    }

    /// <summary>The queue read and filtered as the CLI's, and the actions on one break.</summary>
    private static async Task ListsAndActsAsync(TestServer server, HttpClient maker, HttpClient auditor)
    {
        int unresolved = (await server.Services.Store.ListBreaksAsync(new Application.Ports.BreakQuery(UnresolvedOnly: true), CancellationToken.None)).Count;
        JsonElement queue = await JsonAsync(await auditor.GetAsync("/api/v1/recon/breaks"));
        Assert.Equal("2026-11-25", queue.GetProperty("as_of").GetString());
        Assert.Equal(unresolved, queue.GetProperty("items").GetArrayLength());
        JsonElement custody = Assert.Single((await JsonAsync(await auditor.GetAsync("/api/v1/recon/breaks?source=CUST-A"))).GetProperty("items").EnumerateArray());
        Assert.Equal(["missing-in-books", "US0378331005", "open"], new[] { "type", "subject", "status" }.Select(p => custody.GetProperty(p).GetString()));
        Assert.Equal(100m, custody.GetProperty("difference").GetDecimal());
        Assert.Empty((await JsonAsync(await auditor.GetAsync("/api/v1/recon/breaks?status=resolved"))).GetProperty("items").EnumerateArray());
        Assert.Equal(unresolved, (await JsonAsync(await auditor.GetAsync("/api/v1/recon/breaks?olderThan=1&asOf=2026-11-27"))).GetProperty("items").GetArrayLength());
        Assert.Empty((await JsonAsync(await auditor.GetAsync("/api/v1/recon/breaks?olderThan=2&asOf=2026-11-27"))).GetProperty("items").EnumerateArray());
        JsonElement page = await JsonAsync(await auditor.GetAsync("/api/v1/recon/breaks?limit=1"));
        Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(unresolved > 1, page.GetProperty("next").ValueKind == JsonValueKind.String);
        Assert.Equal("query.status", (await JsonAsync(await auditor.GetAsync("/api/v1/recon/breaks?status=closed"))).GetProperty("rule").GetString());
        Assert.Equal("query.older-than", (await JsonAsync(await auditor.GetAsync("/api/v1/recon/breaks?olderThan=-1"))).GetProperty("rule").GetString());

        long id = custody.GetProperty("id").GetInt64();
        string path = $"/api/v1/recon/breaks/{id}/actions";
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(auditor, path, "a0", """{"action":"assign","owner":"olivia"}""")).StatusCode);
        JsonElement assigned = await JsonAsync(await PostAsync(maker, path, "a1", """{"action":"assign","owner":"olivia"}"""));
        Assert.Equal("olivia", assigned.GetProperty("break").GetProperty("owner").GetString());
        HttpResponseMessage replayed = await PostAsync(maker, path, "a1", """{"action":"assign","owner":"olivia"}""");
        Assert.True((await JsonAsync(replayed)).GetProperty("replayed").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(maker, path, "a1", """{"action":"assign","owner":"someone-else"}""")).StatusCode);
        Assert.Equal("break.note", (await JsonAsync(await PostAsync(maker, path, "a2", """{"action":"explain"}"""))).GetProperty("rule").GetString());
        Assert.Equal("break.action", (await JsonAsync(await PostAsync(maker, path, "a3", """{"action":"close","note":"x"}"""))).GetProperty("rule").GetString());
        JsonElement explained = await JsonAsync(await PostAsync(maker, path, "a4", """{"action":"explain","note":"custodian books a transfer we have not received"}"""));
        Assert.Equal("explained", explained.GetProperty("break").GetProperty("status").GetString());
        Assert.Equal("custodian books a transfer we have not received", explained.GetProperty("break").GetProperty("note").GetString());
        JsonElement resolved = await JsonAsync(await PostAsync(maker, path, "a5", """{"action":"resolve","note":"transfer booked by the custodian in error, reversed"}"""));
        Assert.Equal("resolved", resolved.GetProperty("break").GetProperty("status").GetString());
        HttpResponseMessage closed = await PostAsync(maker, path, "a6", """{"action":"explain","note":"again"}""");
        Assert.Equal(HttpStatusCode.Conflict, closed.StatusCode);
        Assert.Equal("break.resolved", (await JsonAsync(closed)).GetProperty("rule").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(maker, "/api/v1/recon/breaks/999999/actions", "a7", """{"action":"explain","note":"x"}""")).StatusCode);

        // Its history, oldest first, as the audit trail has it.
        JsonElement detail = await JsonAsync(await auditor.GetAsync($"/api/v1/recon/breaks/{id}"));
        Assert.Equal(["found", "assigned", "explained", "resolved"], detail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal("resolved", detail.GetProperty("break").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync("/api/v1/recon/breaks/999999")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_break_adjustment_books_and_resolves_the_break_only_when_another_user_approves(string store)
    {
        await using Workspace workspace = await ReadyAsync(store);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        using HttpClient maker = As(server, await server.KeyAsync(Role.OperationsMaker));
        using HttpClient checker = As(server, await server.KeyAsync(Role.OperationsChecker));
        using HttpClient otherChecker = As(server, await server.KeyAsync(Role.OperationsChecker));
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(maker, "custody.csv", "s1", Custody)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(maker, "/api/v1/recon/runs", "r1", """{"date":"2026-11-25"}""")).StatusCode);
        long id = (await JsonAsync(await server.Client.GetAsync("/api/v1/recon/breaks?source=CUST-A"))).GetProperty("items")[0].GetProperty("id").GetInt64();

        // The custodian is right: the client's 100 shares arrived at the depository. The entry waits for a checker.
        const string Entry = """
            {"entry":{"key":"recon-adjust-safe-t","effective_date":"2026-11-25","reason":"shares received at the custodian","source":"ST-1",
              "postings":[{"account":"1100","asset":"US0378331005","direction":"debit","amount":"100"},
                          {"account":"2100.C-1001","asset":"US0378331005","direction":"credit","amount":"100"}]}}
            """;
        string path = $"/api/v1/recon/breaks/{id}/adjustments";
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(server.Client, path, "j0", Entry)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(checker, "/api/v1/recon/breaks/999999/adjustments", "j1", Entry)).StatusCode);
        Assert.Equal("json.shape", (await JsonAsync(await PostAsync(checker, path, "j2", """{"entry":[]}"""))).GetProperty("rule").GetString());
        HttpResponseMessage unbalanced = await PostAsync(checker, path, "j3", Entry.Replace("\"amount\":\"100\"}]", "\"amount\":\"90\"}]", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unbalanced.StatusCode);
        HttpResponseMessage requested = await PostAsync(checker, path, "j4", Entry);
        JsonElement request = await JsonAsync(requested);
        Assert.True(requested.StatusCode == HttpStatusCode.Accepted, request.ToString());
        Assert.Equal("break.adjustment", request.GetProperty("kind").GetString());
        Assert.Equal(id, JsonDocument.Parse(request.GetProperty("payload").GetString()!).RootElement.GetProperty("break_id").GetInt64());
        long approval = request.GetProperty("id").GetInt64();
        string approve = $$"""{"payload_hash":"{{request.GetProperty("payload_hash").GetString()}}"}""";
        Assert.Equal(0m, await SecuritiesAsync(server));

        // The maker may not approve their own request, and an operations maker may not decide at all.
        HttpResponseMessage self = await PostAsync(checker, $"/api/v1/approvals/{approval}/approve", "self", approve);
        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        Assert.Equal("approval.self", (await JsonAsync(self)).GetProperty("rule").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(maker, $"/api/v1/approvals/{approval}/approve", "maker", approve)).StatusCode);
        Assert.Equal("open", (await JsonAsync(await server.Client.GetAsync($"/api/v1/recon/breaks/{id}"))).GetProperty("break").GetProperty("status").GetString());
        Assert.Equal(0m, await SecuritiesAsync(server));

        // Another checker approves: the entry books and the break is resolved, in one transaction.
        HttpResponseMessage approved = await PostAsync(otherChecker, $"/api/v1/approvals/{approval}/approve", "ok", approve);
        Assert.True(approved.StatusCode == HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        Assert.Equal(100m, await SecuritiesAsync(server));
        JsonElement detail = await JsonAsync(await server.Client.GetAsync($"/api/v1/recon/breaks/{id}"));
        Assert.Equal("resolved", detail.GetProperty("break").GetProperty("status").GetString());
        Assert.Contains("recon-adjust-safe-t", detail.GetProperty("events").EnumerateArray().Last().GetProperty("note").GetString(), StringComparison.Ordinal);
        // A second adjustment of a resolved break is refused when asked.
        HttpResponseMessage late = await PostAsync(maker, path, "j5", Entry.Replace("recon-adjust-safe-t", "recon-adjust-again", StringComparison.Ordinal));
        Assert.Equal("break.resolved", (await JsonAsync(late)).GetProperty("rule").GetString());
        Assert.True((await workspace.RunAsync("audit", "verify")).Exit == 0);
    }

    private static async Task<decimal> SecuritiesAsync(TestServer server) =>
        (await server.Services.Ledger.BalancesAsync(null, null, CancellationToken.None)).Where(b => b.LedgerAccountCode == "1100" && b.AssetCode == "US0378331005").Sum(b => b.Amount);

    [Fact]
    public async Task The_reconciliation_pages_render_for_a_reader_and_are_forbidden_without_recon_read()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        using HttpClient maker = As(server, await server.KeyAsync(Role.OperationsMaker));

        // The auditor reads the queue, the chart and a break's history, but has no forms.
        HttpResponseMessage page = await server.Client.GetAsync("/console/recon");
        string html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("<figure id=\"breaks-by-age\">", html, StringComparison.Ordinal);
        Assert.Contains("0 days, SETTLEMENT-BANK: 3", html, StringComparison.Ordinal);
        Assert.Contains("id=\"recon-runs\"", html, StringComparison.Ordinal);
        Assert.Equal(5, html.Split("href=\"/console/recon/breaks/").Length - 1);
        Assert.DoesNotContain("/actions", html, StringComparison.Ordinal);
        string detail = await server.Client.GetStringAsync("/console/recon/breaks/1");
        Assert.Contains("id=\"break-events\"", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Request approval", detail, StringComparison.Ordinal);
        string filtered = await server.Client.GetStringAsync("/console/recon?source=SETTLEMENT-BANK&status=all&olderThan=0&asOf=2026-11-30");
        Assert.Equal(3, filtered.Split("href=\"/console/recon/breaks/").Length - 1);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/console/recon/breaks/999999")).StatusCode);

        // The maker works breaks: each row has its form, and the break's page the adjusting entry.
        string queue = await maker.GetStringAsync("/console/recon");
        Assert.Equal(5, queue.Split("action=\"/console/recon/breaks/").Length - 1);
        Assert.Contains("Request approval", await maker.GetStringAsync("/console/recon/breaks/1"), StringComparison.Ordinal);

        // Roles without recon.read: refused, and not offered in the navigation.
        foreach (Role role in new[] { Role.FrontOffice, Role.Administrator })
        {
            using HttpClient other = As(server, await server.KeyAsync(role));
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/console/recon")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/console/recon/breaks/1")).StatusCode);
            Assert.DoesNotContain("href=\"/console/recon\"", await other.GetStringAsync("/console"), StringComparison.Ordinal);
        }
        JsonElement openApi = await JsonAsync(await server.Client.GetAsync("/openapi/v1.json"));
        string[] paths = [.. openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name)];
        Assert.Contains("/api/v1/recon/breaks/{id}/adjustments", paths);
        Assert.Contains("/api/v1/recon/statements", paths);
    }
}
