using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BackOffice.Domain.Access;

using static BackOffice.Host.Tests.ApiCalls;

namespace BackOffice.Host.Tests;

/// <summary>
/// Maker-checker through the API: a manual entry waits for a checker and books only on approval
/// of exactly the payload read; the maker cannot approve their own request, nor an unfit role;
/// a request is decided once; a rejection books nothing; user changes need another administrator.
/// </summary>
public sealed class ApprovalTests
{
    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    private const string Entry = """
        {"key":"manual-fee-refund-1","effective_date":"2026-11-30","reason":"refund of a fee charged twice","source":"ticket OPS-881",
         "postings":[{"account":"1010","asset":"USD","direction":"debit","amount":"15.00"},{"account":"3000","asset":"USD","direction":"credit","amount":"15.00"}]}
        """;

    private static async Task<decimal> BalanceAsync(TestServer server, string account) =>
        (await server.Services.Ledger.BalancesAsync(null, null, CancellationToken.None)).Where(b => b.LedgerAccountCode == account && b.AssetCode == "USD").Sum(b => b.Amount);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_manual_entry_books_only_when_another_user_approves_what_they_read(string store)
    {
        await using Workspace workspace = store == "postgres" ? await Workspace.PostgresAsync() : await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        using HttpClient maker = As(server, await server.KeyAsync(Role.OperationsMaker));
        using HttpClient checker = As(server, await server.KeyAsync(Role.OperationsChecker));
        using HttpClient admin = As(server, await server.KeyAsync(Role.Administrator));
        decimal cash = await BalanceAsync(server, "1010");

        HttpResponseMessage requested = await PostAsync(maker, "/api/v1/journal/entries", "refund-1", Entry);
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        JsonElement request = await JsonAsync(requested);
        long id = request.GetProperty("id").GetInt64();
        Assert.Equal("pending", request.GetProperty("status").GetString());
        Assert.Equal($"/api/v1/approvals/{id}", requested.Headers.Location?.OriginalString);
        string hash = request.GetProperty("payload_hash").GetString()!;
        Assert.Equal(cash, await BalanceAsync(server, "1010"));

        // The same request again is a replay, not a second request.
        HttpResponseMessage again = await PostAsync(maker, "/api/v1/journal/entries", "refund-1", Entry);
        Assert.Equal(id, (await JsonAsync(again)).GetProperty("id").GetInt64());

        // The checker reads it from the queue, with the payload the maker sent.
        JsonElement pending = await JsonAsync(await checker.GetAsync("/api/v1/approvals?status=pending"));
        JsonElement listed = pending.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("id").GetInt64() == id);
        Assert.Equal(Entry, listed.GetProperty("payload").GetString());

        // Refused: the maker approving their own request, a role that cannot check it (403), and a hash of something else.
        HttpResponseMessage self = await PostAsync(maker, $"/api/v1/approvals/{id}/approve", "a1", $$"""{"payload_hash":"{{hash}}"}""");
        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        HttpResponseMessage wrongRole = await PostAsync(admin, $"/api/v1/approvals/{id}/approve", "a2", $$"""{"payload_hash":"{{hash}}"}""");
        Assert.Equal(HttpStatusCode.Forbidden, wrongRole.StatusCode);
        Assert.Equal("approval.checker", (await JsonAsync(wrongRole)).GetProperty("rule").GetString());
        HttpResponseMessage otherHash = await PostAsync(checker, $"/api/v1/approvals/{id}/approve", "a3", $$"""{"payload_hash":"{{new string('0', 64)}}"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherHash.StatusCode);
        Assert.Equal("approval.payload-hash", (await JsonAsync(otherHash)).GetProperty("rule").GetString());
        Assert.Equal(cash, await BalanceAsync(server, "1010"));

        // The checker approves: the entry books in the approval's transaction.
        HttpResponseMessage approved = await PostAsync(checker, $"/api/v1/approvals/{id}/approve", "a4", $$"""{"payload_hash":"{{hash}}"}""");
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        JsonElement decided = await JsonAsync(approved);
        Assert.Equal("approved", decided.GetProperty("status").GetString());
        Assert.StartsWith("checker", decided.GetProperty("checker").GetString()!.Replace("operations-", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(cash + 15.00m, await BalanceAsync(server, "1010"));

        // Decided once: approving again replays, rejecting now is a conflict, and nothing books twice.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(checker, $"/api/v1/approvals/{id}/approve", "a5", $$"""{"payload_hash":"{{hash}}"}""")).StatusCode);
        HttpResponseMessage late = await PostAsync(checker, $"/api/v1/approvals/{id}/reject", "r1", """{"note":"too late"}""");
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(cash + 15.00m, await BalanceAsync(server, "1010"));

        // Every step is in the audit chain, under the user who took it.
        var records = new List<Domain.Audit.AuditRecord>();
        await foreach (Domain.Audit.AuditRecord record in server.Services.Store.ReadAuditRecordsAsync(CancellationToken.None))
        {
            records.Add(record);
        }
        Assert.Contains(records, r => r.CommandType == "approvals.request" && r.Actor.StartsWith("operations-maker", StringComparison.Ordinal));
        Assert.Contains(records, r => r.CommandType == "approvals.approve" && r.Actor.StartsWith("operations-checker", StringComparison.Ordinal) && r.EntryCount == 1);
        Assert.True((await workspace.RunAsync("audit", "verify")).Exit == 0);
    }

    [Fact]
    public async Task A_rejected_request_books_nothing_and_a_bad_entry_is_refused_to_the_maker()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        using HttpClient maker = As(server, await server.KeyAsync(Role.Accountant));
        using HttpClient checker = As(server, await server.KeyAsync(Role.OperationsChecker));
        decimal cash = await BalanceAsync(server, "1010");

        // Unbalanced: refused at once, no request made.
        HttpResponseMessage unbalanced = await PostAsync(maker, "/api/v1/journal/entries", "bad-1", Entry.Replace("\"15.00\"}]", "\"14.00\"}]", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unbalanced.StatusCode);
        Assert.Empty((await JsonAsync(await checker.GetAsync("/api/v1/approvals"))).GetProperty("items").EnumerateArray());

        long id = (await JsonAsync(await PostAsync(maker, "/api/v1/journal/entries", "ok-1", Entry))).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(checker, $"/api/v1/approvals/{id}/reject", "r0", """{"note":""}""")).StatusCode);
        HttpResponseMessage rejected = await PostAsync(checker, $"/api/v1/approvals/{id}/reject", "r1", """{"note":"no ticket for this refund"}""");
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        JsonElement decided = await JsonAsync(rejected);
        Assert.Equal(("rejected", "no ticket for this refund"), (decided.GetProperty("status").GetString(), decided.GetProperty("note").GetString()));
        Assert.Equal(cash, await BalanceAsync(server, "1010"));
        HttpResponseMessage approveAfter = await PostAsync(checker, $"/api/v1/approvals/{id}/approve", "a1",
            $$"""{"payload_hash":"{{decided.GetProperty("payload_hash").GetString()}}"}""");
        Assert.Equal(HttpStatusCode.Conflict, approveAfter.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(checker, "/api/v1/approvals/999/reject", "r2", """{"note":"x"}""")).StatusCode);
    }

    [Fact]
    public async Task A_new_user_needs_a_second_administrator()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("init")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        using HttpClient first = As(server, await server.KeyAsync(Role.Administrator));
        using HttpClient second = As(server, await server.KeyAsync(Role.Administrator));
        using HttpClient checker = As(server, await server.KeyAsync(Role.OperationsChecker));

        JsonElement request = await JsonAsync(await PostAsync(first, "/api/v1/users", "u1", """{"name":"jane.ops","role":"operations-maker","branch":"NYC"}"""));
        long id = request.GetProperty("id").GetInt64();
        string body = $$"""{"payload_hash":"{{request.GetProperty("payload_hash").GetString()}}"}""";
        Assert.Null(await server.Services.Store.FindUserAsync("jane.ops", CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(first, $"/api/v1/approvals/{id}/approve", "a1", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(checker, $"/api/v1/approvals/{id}/approve", "a2", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(second, $"/api/v1/approvals/{id}/approve", "a3", body)).StatusCode);
        var (user, password) = (await server.Services.Store.FindUserAsync("jane.ops", CancellationToken.None))!.Value;
        Assert.Equal((Role.OperationsMaker, "NYC", (string?)null), (user.Role, user.Branch, password));
        HttpResponseMessage badRole = await PostAsync(first, "/api/v1/users", "u2", """{"name":"x","role":"superuser"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badRole.StatusCode);
    }

    [Fact]
    public async Task An_SSI_change_waits_for_a_checker_and_is_validated_twice()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        using HttpClient maker = As(server, await server.KeyAsync(Role.OperationsMaker));
        using HttpClient checker = As(server, await server.KeyAsync(Role.OperationsChecker));
        string ssi = "id,counterparty,market,asset_class,place_of_settlement,depository_account,agent_bic,effective_from\n" +
            "EXBR-US-2027,5493000DEMO0BROKER41,,equity,DTCYUS33XXX,DTC-0999,EXBRUS33XXX,2027-01-01\n";
        string body = JsonSerializer.Serialize(new Dictionary<string, string> { ["kind"] = "ssis", ["content"] = ssi });

        // An SSI for an unknown counterparty is refused to the maker at once, with its place.
        HttpResponseMessage unknown = await PostAsync(maker, "/api/v1/reference/changes", "ssi-0", body.Replace("5493000DEMO0BROKER41", "5493000UNKNOWNPARTY1", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);

        JsonElement request = await JsonAsync(await PostAsync(maker, "/api/v1/reference/changes", "ssi-1", body));
        Assert.Equal("ssis: 1 rows", request.GetProperty("summary").GetString());
        Assert.DoesNotContain((await server.Services.Store.ReadTradeReferenceAsync(CancellationToken.None)).SettlementInstructions.SelectMany(p => p.Value), s => s.Id == "EXBR-US-2027");
        HttpResponseMessage approved = await PostAsync(checker, $"/api/v1/approvals/{request.GetProperty("id").GetInt64()}/approve", "a1",
            $$"""{"payload_hash":"{{request.GetProperty("payload_hash").GetString()}}"}""");
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Contains((await server.Services.Store.ReadTradeReferenceAsync(CancellationToken.None)).SettlementInstructions.SelectMany(p => p.Value),
            s => s.Id == "EXBR-US-2027" && s.DepositoryAccount == "DTC-0999");
    }

    [Fact]
    public async Task A_repaired_exception_is_booked_when_a_checker_approves_it()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        using HttpClient maker = As(server, await server.KeyAsync(Role.OperationsMaker));
        using HttpClient checker = As(server, await server.KeyAsync(Role.OperationsChecker));
        JsonElement open = (await JsonAsync(await maker.GetAsync("/api/v1/exceptions"))).EnumerateArray().Single(e => e.GetProperty("rule").GetString() == "trade.account-unknown");
        long id = open.GetProperty("id").GetInt64();
        int trades = (await server.Services.Store.ListTradesAsync(new Application.Ports.TradeQuery(), CancellationToken.None)).Count;

        // A repair that is still wrong is refused to the maker at once.
        HttpResponseMessage stillWrong = await PostAsync(maker, "/api/v1/exceptions/resubmissions", "x0", $$$"""{"exception_id":{{{id}}},"repairs":{"account":"C-8888"}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, stillWrong.StatusCode);
        Assert.Contains("trade.account-unknown", await stillWrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        JsonElement request = await JsonAsync(await PostAsync(maker, "/api/v1/exceptions/resubmissions", "x1", $$$"""{"exception_id":{{{id}}},"repairs":{"account":"C-1001"}}"""));
        Assert.Equal($"resubmit exception {id} with account=C-1001", request.GetProperty("summary").GetString());
        Assert.Equal(trades, (await server.Services.Store.ListTradesAsync(new Application.Ports.TradeQuery(), CancellationToken.None)).Count);
        HttpResponseMessage approved = await PostAsync(checker, $"/api/v1/approvals/{request.GetProperty("id").GetInt64()}/approve", "a1",
            $$"""{"payload_hash":"{{request.GetProperty("payload_hash").GetString()}}"}""");
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(trades + 1, (await server.Services.Store.ListTradesAsync(new Application.Ports.TradeQuery(), CancellationToken.None)).Count);
        Assert.DoesNotContain((await JsonAsync(await maker.GetAsync("/api/v1/exceptions"))).EnumerateArray(), e => e.GetProperty("id").GetInt64() == id);
        Assert.True((await workspace.RunAsync("audit", "verify")).Exit == 0);
    }
}
