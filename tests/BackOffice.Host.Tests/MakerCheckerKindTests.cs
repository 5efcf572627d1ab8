using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BackOffice.Domain.Access;

using static BackOffice.Host.Tests.ApiCalls;

namespace BackOffice.Host.Tests;

/// <summary>
/// The sensitive commands beyond manual entries, each held for a checker: a trade corrected or
/// busted after booking, the books reopened inside a closed period, a user's role changed or the
/// user deactivated, and a cash withdrawal above the limit (one within it is paid at once, both
/// checked against available cash). Each books nothing until a different user approves it, and
/// books once however often it is approved.
/// </summary>
public sealed class MakerCheckerKindTests
{
    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    /// <summary>Requests as the maker (202 expected) and returns the request's id and payload hash.</summary>
    private static async Task<(long Id, string Hash)> RequestAsync(HttpClient maker, string path, string key, string json)
    {
        HttpResponseMessage response = await PostAsync(maker, path, key, json);
        JsonElement body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToString());
        Assert.Equal("pending", body.GetProperty("status").GetString());
        return (body.GetProperty("id").GetInt64(), body.GetProperty("payload_hash").GetString()!);
    }

    private static Task<HttpResponseMessage> ApproveAsync(HttpClient checker, (long Id, string Hash) request, string key) =>
        PostAsync(checker, $"/api/v1/approvals/{request.Id}/approve", key, $$"""{"payload_hash":"{{request.Hash}}"}""");

    private static async Task<decimal> BalanceAsync(TestServer server, string account, string asset = "USD") =>
        (await server.Services.Ledger.BalancesAsync(null, null, CancellationToken.None)).Where(b => b.LedgerAccountCode == account && b.AssetCode == asset).Sum(b => b.Amount);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_trade_corrected_after_booking_gets_its_new_version_only_when_a_checker_approves(string store)
    {
        await using Workspace workspace = store == "postgres" ? await Workspace.PostgresAsync() : await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        using HttpClient maker = As(server, await server.KeyAsync(Role.OperationsMaker));
        using HttpClient checker = As(server, await server.KeyAsync(Role.OperationsChecker));
        using HttpClient frontOffice = As(server, await server.KeyAsync(Role.FrontOffice));

        // Trade 1 is OMS-1001: 500 US0378331005 at 231.45 for C-1001, booked on 2026-11-25 (a closed day).
        const string Correction = """{"trade_id":1,"action":"correct","changes":{"price":"231.40"},"reason":"broker confirmed 231.40"}""";
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(frontOffice, "/api/v1/trades/corrections", "c0", Correction)).StatusCode);
        (long Id, string Hash) request = await RequestAsync(maker, "/api/v1/trades/corrections", "c1", Correction);
        Assert.Single((await server.Services.Store.ReadTradeAsync(1, CancellationToken.None)));

        Assert.Equal(HttpStatusCode.Forbidden, (await ApproveAsync(maker, request, "self")).StatusCode);
        HttpResponseMessage approved = await ApproveAsync(checker, request, "ok");
        Assert.True(approved.StatusCode == HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        IReadOnlyList<Domain.Trading.TradeVersion> versions = await server.Services.Store.ReadTradeAsync(1, CancellationToken.None);
        Assert.Equal(2, versions.Count);
        Assert.Equal(231.40m, versions[1].Price);
        Assert.Equal(Domain.Trading.TradeAction.Correct, versions[1].Action);
        Assert.Equal(500m, versions[1].Quantity);
        Assert.Equal(versions[0].SettlementDate, versions[1].SettlementDate);
        // The day is closed: the correction books in the open period, the old version's entry reversed there.
        Domain.Accounting.JournalEntry booked = (await server.Services.Store.ReadEntryAsync(versions[1].EntryId!.Value, CancellationToken.None))!;
        Assert.True(booked.EffectiveDate > new NodaTime.LocalDate(2026, 11, 25));

        // Approved again: a replay, still two versions.
        Assert.Equal(HttpStatusCode.OK, (await ApproveAsync(checker, request, "ok")).StatusCode);
        Assert.Equal(2, (await server.Services.Store.ReadTradeAsync(1, CancellationToken.None)).Count);

        // Refused to the maker when asked (the request is tried against the books as they are): a bust of a busted trade,
        // a field that cannot change, a correction without a reason.
        HttpResponseMessage busted = await PostAsync(maker, "/api/v1/trades/corrections", "c2", """{"trade_id":3,"action":"bust","reason":"duplicate"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, busted.StatusCode);
        Assert.Equal("trade.busted", (await JsonAsync(busted)).GetProperty("rule").GetString());
        HttpResponseMessage source = await PostAsync(maker, "/api/v1/trades/corrections", "c3", """{"trade_id":1,"action":"correct","changes":{"source":"X"},"reason":"r"}""");
        Assert.Equal("correction.field", (await JsonAsync(source)).GetProperty("rule").GetString());
        HttpResponseMessage noReason = await PostAsync(maker, "/api/v1/trades/corrections", "c4", """{"trade_id":1,"action":"correct","changes":{"price":"1"}}""");
        Assert.Equal("correction.reason", (await JsonAsync(noReason)).GetProperty("rule").GetString());
        Assert.True((await workspace.RunAsync("audit", "verify")).Exit == 0);
    }

    [Fact]
    public async Task A_branch_maker_cannot_ask_to_correct_another_branch_s_trade()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        string branch = (await server.Services.Store.ReadTradeReferenceAsync(CancellationToken.None)).ClientAccounts["C-1001"].Branch;
        using HttpClient elsewhere = As(server, await server.KeyAsync(Role.OperationsMaker, branch + "-other"));
        HttpResponseMessage response = await PostAsync(elsewhere, "/api/v1/trades/corrections", "c1", """{"trade_id":1,"action":"bust","reason":"x"}""");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("trade.unknown", (await JsonAsync(response)).GetProperty("rule").GetString());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_books_reopen_inside_a_closed_period_only_when_a_checker_approves(string store)
    {
        await using Workspace workspace = store == "postgres" ? await Workspace.PostgresAsync() : await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        using HttpClient accountant = As(server, await server.KeyAsync(Role.Accountant));
        using HttpClient checker = As(server, await server.KeyAsync(Role.OperationsChecker));
        Assert.Equal("2026-11-25", (await JsonAsync(await accountant.GetAsync("/api/v1/periods"))).GetProperty("closed_through").GetString());

        (long Id, string Hash) reopen = await RequestAsync(accountant, "/api/v1/periods/reopen", "r1", """{"from":"2026-11-25","reason":"late custodian fee for the 25th"}""");
        Assert.Equal("2026-11-25", (await JsonAsync(await accountant.GetAsync("/api/v1/periods"))).GetProperty("closed_through").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await ApproveAsync(accountant, reopen, "self")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ApproveAsync(checker, reopen, "ok")).StatusCode);
        Assert.Equal("2026-11-24", (await JsonAsync(await accountant.GetAsync("/api/v1/periods"))).GetProperty("closed_through").GetString());

        // The 25th books again; closing it again is a new close, and a retry of that close replays.
        string entry = workspace.File("late.json",
            """{"entries":[{"key":"late-fee-25","effective_date":"2026-11-25","reason":"custodian fee","source":"ticket","postings":[{"account":"5010","asset":"USD","direction":"debit","amount":"12.00"},{"account":"1010","asset":"USD","direction":"credit","amount":"12.00"}]}]}""");
        Assert.True((await workspace.RunAsync("post", "--file", entry)).Exit == 0);
        HttpResponseMessage close = await PostAsync(accountant, "/api/v1/periods/close", "close-25", """{"through":"2026-11-25"}""");
        Assert.True(close.StatusCode == HttpStatusCode.OK, await close.Content.ReadAsStringAsync());
        Assert.Equal("2026-11-25", (await JsonAsync(close)).GetProperty("closed_through").GetString());
        HttpResponseMessage retry = await PostAsync(accountant, "/api/v1/periods/close", "close-25b", """{"through":"2026-11-25"}""");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());

        // Reopening a date that is open is refused when asked.
        HttpResponseMessage open = await PostAsync(accountant, "/api/v1/periods/reopen", "r2", """{"from":"2026-11-26","reason":"x"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, open.StatusCode);
        Assert.Equal("period.reopen-open", (await JsonAsync(open)).GetProperty("rule").GetString());
        Assert.Equal("2026-11-25", (await JsonAsync(await accountant.GetAsync("/api/v1/periods"))).GetProperty("closed_through").GetString());
        Assert.True((await workspace.RunAsync("audit", "verify")).Exit == 0);
    }

    [Fact]
    public async Task A_role_change_or_deactivation_waits_for_another_administrator()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        using HttpClient admin = As(server, await server.KeyAsync(Role.Administrator));
        using HttpClient other = As(server, await server.KeyAsync(Role.Administrator));
        Assert.True((await server.Services.Access.AddUserAsync(new User("trader-x", "Trader X", Role.FrontOffice, null, true), null, "test", CancellationToken.None)).Succeeded);
        (_, string? key, _) = await server.Services.Access.IssueKeyAsync("trader-x", "test", CancellationToken.None);

        (long Id, string Hash) promote = await RequestAsync(admin, "/api/v1/users/changes", "u1", """{"name":"trader-x","role":"operations-maker","branch":"NYC"}""");
        Assert.Equal(Role.FrontOffice, (await server.Services.Store.FindUserAsync("trader-x", CancellationToken.None))!.Value.User.Role);
        Assert.Equal(HttpStatusCode.Forbidden, (await ApproveAsync(admin, promote, "self")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ApproveAsync(other, promote, "ok")).StatusCode);
        User promoted = (await server.Services.Store.FindUserAsync("trader-x", CancellationToken.None))!.Value.User;
        Assert.Equal((Role.OperationsMaker, "NYC", true), (promoted.Role, promoted.Branch, promoted.Active));

        (long Id, string Hash) deactivate = await RequestAsync(admin, "/api/v1/users/changes", "u2", """{"name":"trader-x","active":false}""");
        Assert.Equal(HttpStatusCode.OK, (await ApproveAsync(other, deactivate, "ok2")).StatusCode);
        Assert.False((await server.Services.Store.FindUserAsync("trader-x", CancellationToken.None))!.Value.User.Active);
        using HttpClient gone = As(server, key!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gone.GetAsync("/api/v1/trades")).StatusCode);

        HttpResponseMessage unknown = await PostAsync(admin, "/api/v1/users/changes", "u3", """{"name":"nobody","active":false}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Equal("user.unknown", (await JsonAsync(unknown)).GetProperty("rule").GetString());
        HttpResponseMessage badRole = await PostAsync(admin, "/api/v1/users/changes", "u4", """{"name":"trader-x","role":"king"}""");
        Assert.Equal("user.role", (await JsonAsync(badRole)).GetProperty("rule").GetString());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_withdrawal_within_the_limit_is_paid_and_one_above_it_waits_for_a_checker(string store)
    {
        await using Workspace workspace = store == "postgres" ? await Workspace.PostgresAsync() : await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        using HttpClient maker = As(server, await server.KeyAsync(Role.OperationsMaker));
        using HttpClient checker = As(server, await server.KeyAsync(Role.OperationsChecker));
        decimal client = await BalanceAsync(server, "2010.C-1001");
        decimal bank = await BalanceAsync(server, "1010");
        decimal available = (await JsonAsync(await maker.GetAsync("/api/v1/buying-power?account=C-1001&asset=USD&kind=withdrawal"))).GetProperty("available").GetDecimal();
        Assert.True(available > 60_000m, $"the demo's C-1001 has {available} USD available");

        // Within the limit (10,000 by default): paid at once, once.
        HttpResponseMessage paid = await PostAsync(maker, "/api/v1/withdrawals", "w1", """{"account":"C-1001","currency":"USD","amount":2500.00,"reference":"WD-1"}""");
        Assert.True(paid.StatusCode == HttpStatusCode.Created, await paid.Content.ReadAsStringAsync());
        Assert.Equal("paid", (await JsonAsync(paid)).GetProperty("status").GetString());
        Assert.Equal(client + 2500.00m, await BalanceAsync(server, "2010.C-1001"));
        Assert.Equal(bank - 2500.00m, await BalanceAsync(server, "1010"));
        Assert.Equal("true", (await PostAsync(maker, "/api/v1/withdrawals", "w1", """{"account":"C-1001","currency":"USD","amount":2500.00,"reference":"WD-1"}"""))
            .Headers.GetValues("Idempotent-Replayed").Single());
        HttpResponseMessage twice = await PostAsync(maker, "/api/v1/withdrawals", "w1-again", """{"account":"C-1001","currency":"USD","amount":2500.00,"reference":"WD-1"}""");
        Assert.Equal("withdrawal.duplicate", (await JsonAsync(twice)).GetProperty("rule").GetString());
        Assert.Equal(client + 2500.00m, await BalanceAsync(server, "2010.C-1001"));

        // More than is available: refused, nothing held.
        HttpResponseMessage tooMuch = await PostAsync(maker, "/api/v1/withdrawals", "w2", $$"""{"account":"C-1001","currency":"USD","amount":{{available}},"reference":"WD-2"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMuch.StatusCode);
        Assert.Equal("withdrawal.insufficient", (await JsonAsync(tooMuch)).GetProperty("rule").GetString());

        // Above the limit: a request; paid when a checker approves.
        (long Id, string Hash) large = await RequestAsync(maker, "/api/v1/withdrawals", "w3", """{"account":"C-1001","currency":"USD","amount":50000.00,"reference":"WD-3"}""");
        Assert.Equal(client + 2500.00m, await BalanceAsync(server, "2010.C-1001"));
        Assert.Equal(HttpStatusCode.Forbidden, (await ApproveAsync(maker, large, "self")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ApproveAsync(checker, large, "ok")).StatusCode);
        Assert.Equal(client + 52500.00m, await BalanceAsync(server, "2010.C-1001"));
        Assert.Equal(bank - 52500.00m, await BalanceAsync(server, "1010"));
        Assert.Equal(HttpStatusCode.OK, (await ApproveAsync(checker, large, "ok")).StatusCode);
        Assert.Equal(client + 52500.00m, await BalanceAsync(server, "2010.C-1001"));
        Assert.True((await workspace.RunAsync("audit", "verify")).Exit == 0);
    }
}
