using System.Net;
using System.Text.Json;
using BackOffice.Domain.Access;

using static BackOffice.Host.Tests.ApiCalls;

namespace BackOffice.Host.Tests;

/// <summary>
/// Sanctions screening and the alert workflow as compliance runs it: a list imported (its files
/// kept), a client onboarded under a listed name raising alerts, an alert disposed of by one
/// compliance officer and approved by another (never by the same one), a true match blocking the
/// account against trades and withdrawals, a false positive recorded with its reason and list
/// version, a withdrawal to a listed beneficiary refused with an alert, and a new list version
/// screening only what changed. Run on both stores.
/// </summary>
public sealed class ComplianceApiTests
{
    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "sanctions", name);

    private static async Task<CliResult> ImportListAsync(Workspace workspace, string version, string? sdn = null)
    {
        CliResult imported = await workspace.RunAsync("compliance", "sanctions-import", "--sdn", sdn ?? Sample("ofac_sdn.sample.csv"), "--alt", Sample("ofac_alt.sample.csv"),
            "--add", Sample("ofac_add.sample.csv"), "--comments", Sample("ofac_sdn_comments.sample.csv"), "--version", version, "--published", "2026-11-27");
        Assert.True(imported.Exit == 0, imported.Error);
        return imported;
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Screening_raises_alerts_that_two_officers_dispose_of_and_a_true_match_blocks_the_account(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        CliResult first = await ImportListAsync(workspace, "2026-11-27");
        Assert.StartsWith("imported OFAC-SDN 2026-11-27 (17 entries, 17 new or changed); screened 8 names against the whole list and 0 against what changed: 0 hits, 0 new alerts",
            first.Output, StringComparison.Ordinal);
        Assert.StartsWith("already done: ", (await ImportListAsync(workspace, "2026-11-27")).Output, StringComparison.Ordinal);

        // Onboarding: a party and its account under a listed name, screened as they are loaded.
        CliResult party = await workspace.RunAsync("refdata", "import", "--kind", "parties", "--file",
            workspace.File("p.csv", "lei,name,role,bic\n5493000DEMO0CLNT0337,\"Logan Morey, Elvis A.\",client,\n"));
        Assert.Contains("screening: screened 1 new or renamed names against 2026-11-27: 1 hits, 1 new alerts", party.Output, StringComparison.Ordinal);
        CliResult account = await workspace.RunAsync("refdata", "import", "--kind", "client-accounts", "--file",
            workspace.File("a.csv", "code,name,party_lei,base_currency,branch,status,opened_on\nC-3003,Logan account,5493000DEMO0CLNT0337,USD,NYC,open,2026-11-27\n"));
        Assert.Contains("1 new alerts", account.Output, StringComparison.Ordinal);

        await using TestServer server = await TestServer.StartAsync(workspace, Role.ComplianceOfficer);
        HttpClient officer = server.Client;
        using HttpClient otherOfficer = As(server, await server.KeyAsync(Role.ComplianceOfficer));
        using HttpClient auditor = As(server, await server.KeyAsync(Role.Auditor));
        using HttpClient maker = As(server, await server.KeyAsync(Role.OperationsMaker));

        JsonElement[] alerts = [.. (await JsonAsync(await auditor.GetAsync("/api/v1/compliance/alerts"))).EnumerateArray()];
        Assert.Equal(2, alerts.Length);
        Assert.Equal(HttpStatusCode.Forbidden, (await maker.GetAsync("/api/v1/compliance/alerts")).StatusCode);
        JsonElement accountAlert = alerts.Single(a => a.GetProperty("subject_kind").GetString() == "account");
        JsonElement partyAlert = alerts.Single(a => a.GetProperty("subject_kind").GetString() == "party");
        Assert.Equal(("sanctions", "C-3003", "2026-11-27", 10278L), (accountAlert.GetProperty("kind").GetString(), accountAlert.GetProperty("account").GetString(),
            accountAlert.GetProperty("list_version").GetString(), accountAlert.GetProperty("entry_uid").GetInt64()));
        Assert.Contains("LOGAN MOREY, Elvis Angus", accountAlert.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // One officer proposes a true match; the same officer cannot approve it, another can.
        long alertId = accountAlert.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(auditor, $"/api/v1/compliance/alerts/{alertId}/dispositions", "d0",
            """{"disposition":"true-match","reason":"same name, date of birth and passport"}""")).StatusCode);
        Assert.Equal("json.shape", (await JsonAsync(await PostAsync(officer, $"/api/v1/compliance/alerts/{alertId}/dispositions", "d1",
            """{"disposition":"maybe","reason":"x"}"""))).GetProperty("rule").GetString());
        HttpResponseMessage proposed = await PostAsync(officer, $"/api/v1/compliance/alerts/{alertId}/dispositions", "d2",
            """{"disposition":"true-match","reason":"same name, date of birth and passport"}""");
        JsonElement request = await JsonAsync(proposed);
        Assert.True(proposed.StatusCode == HttpStatusCode.Accepted, request.ToString());
        Assert.Equal("alert.disposition", request.GetProperty("kind").GetString());
        string approve = $$"""{"payload_hash":"{{request.GetProperty("payload_hash").GetString()}}"}""";
        long approval = request.GetProperty("id").GetInt64();
        Assert.Equal("approval.self", (await JsonAsync(await PostAsync(officer, $"/api/v1/approvals/{approval}/approve", "a1", approve))).GetProperty("rule").GetString());
        Assert.Equal("open", (await JsonAsync(await officer.GetAsync($"/api/v1/compliance/alerts/{alertId}"))).GetProperty("alert").GetProperty("status").GetString());
        HttpResponseMessage approved = await PostAsync(otherOfficer, $"/api/v1/approvals/{approval}/approve", "a2", approve);
        Assert.True(approved.StatusCode == HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());

        JsonElement decided = await JsonAsync(await auditor.GetAsync($"/api/v1/compliance/alerts/{alertId}"));
        Assert.Equal("true-match", decided.GetProperty("alert").GetProperty("status").GetString());
        Assert.Equal("same name, date of birth and passport", decided.GetProperty("alert").GetProperty("reason").GetString());
        Assert.Equal("2026-11-27", decided.GetProperty("alert").GetProperty("decided_list_version").GetString());
        Assert.Equal(["raised", "true-match"], decided.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("action").GetString()));

        // The account is blocked: no trades, no withdrawals.
        CliResult trade = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", workspace.File("t.csv",
            "source_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date\n" +
            "B1,BUY,US0378331005,ISIN,XNAS,10,200,USD,C-3003,5493000DEMO0BROKER41,2026-11-27\n"));
        Assert.Contains("trade.account-blocked", trade.Error, StringComparison.Ordinal);
        using HttpClient frontOffice = As(server, await server.KeyAsync(Role.FrontOffice));
        HttpResponseMessage blocked = await PostAsync(frontOffice, "/api/v1/withdrawals", "w0",
            """{"account":"C-3003","currency":"USD","amount":10,"reference":"W-0"}""");
        Assert.Equal("withdrawal.account-blocked", (await JsonAsync(blocked)).GetProperty("rule").GetString());

        // The party's alert is a false positive, approved by the other officer, with its reason and list version.
        long partyId = partyAlert.GetProperty("id").GetInt64();
        JsonElement falsePositive = await JsonAsync(await PostAsync(otherOfficer, $"/api/v1/compliance/alerts/{partyId}/dispositions", "d3",
            """{"disposition":"false-positive","reason":"the party is the account's holder: decided on alert of the account"}"""));
        Assert.True((await PostAsync(officer, $"/api/v1/approvals/{falsePositive.GetProperty("id").GetInt64()}/approve", "a3",
            $$"""{"payload_hash":"{{falsePositive.GetProperty("payload_hash").GetString()}}"}""")).IsSuccessStatusCode);
        CliResult closed = await workspace.RunAsync("compliance", "alerts", "--status", "false-positive");
        Assert.Equal(2, closed.Lines.Length);
        Assert.Contains(",false-positive,the party is the account's holder: decided on alert of the account,", closed.Lines[1], StringComparison.Ordinal);
        Assert.Single((await workspace.RunAsync("compliance", "alerts")).Lines);

        // A new version changing one entry: only that entry is screened again, and nothing is raised twice.
        string sdn = workspace.File("sdn-2.csv", (await File.ReadAllTextAsync(Sample("ofac_sdn.sample.csv"))).Replace("\"MORENO, Daniel\"", "\"MORENO DIAZ, Daniel\"",
            StringComparison.Ordinal));
        CliResult second = await ImportListAsync(workspace, "2026-11-28", sdn);
        Assert.StartsWith("imported OFAC-SDN 2026-11-28 (17 entries, 1 new or changed); screened 0 names against the whole list and 10 against what changed: 0 hits, 0 new alerts",
            second.Output, StringComparison.Ordinal);
        Assert.True((await workspace.RunAsync("audit", "verify")).Exit == 0);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_withdrawal_to_a_listed_beneficiary_is_refused_and_raises_an_alert(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.FrontOffice);
        HttpResponseMessage unlisted = await PostAsync(server.Client, "/api/v1/withdrawals", "w1",
            """{"account":"C-1001","currency":"USD","amount":10,"reference":"W-1","beneficiary":"Jane Doe"}""");
        Assert.Equal("sanctions.no-list", (await JsonAsync(unlisted)).GetProperty("rule").GetString());

        await ImportListAsync(workspace, "2026-11-27");
        HttpResponseMessage listed = await PostAsync(server.Client, "/api/v1/withdrawals", "w2",
            """{"account":"C-1001","currency":"USD","amount":10,"reference":"W-2","beneficiary":"Artem Mikhaylovich Lifshits"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, listed.StatusCode);
        Assert.Equal("withdrawal.sanctions-hit", (await JsonAsync(listed)).GetProperty("rule").GetString());
        string[] alerts = (await workspace.RunAsync("compliance", "alerts", "--account", "C-1001")).Lines;
        Assert.Equal(2, alerts.Length);
        Assert.StartsWith("1,sanctions,beneficiary,C-1001/Artem Mikhaylovich Lifshits,C-1001,", alerts[1], StringComparison.Ordinal);
        // Asked again, it is refused again and raises nothing new.
        Assert.Equal("withdrawal.sanctions-hit", (await JsonAsync(await PostAsync(server.Client, "/api/v1/withdrawals", "w3",
            """{"account":"C-1001","currency":"USD","amount":10,"reference":"W-3","beneficiary":"Artem Mikhaylovich Lifshits"}"""))).GetProperty("rule").GetString());
        Assert.Equal(2, (await workspace.RunAsync("compliance", "alerts")).Lines.Length);

        // A beneficiary who is not listed passes the screening (and then meets the cash check).
        HttpResponseMessage clean = await PostAsync(server.Client, "/api/v1/withdrawals", "w4",
            """{"account":"C-1001","currency":"USD","amount":10,"reference":"W-4","beneficiary":"Jane Doe"}""");
        Assert.Equal("withdrawal.insufficient", (await JsonAsync(clean)).GetProperty("rule").GetString());
    }

    [Fact]
    public async Task The_alert_queue_renders_for_a_reader_offers_the_disposition_form_to_an_officer_and_is_forbidden_to_others()
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync("sqlite");
        await ImportListAsync(workspace, "2026-11-27");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "parties", "--file",
            workspace.File("p.csv", "lei,name,role,bic\n5493000DEMO0CLNT0337,Elvis Angus Logan Morey,client,\n"))).Exit);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        using HttpClient officer = As(server, await server.KeyAsync(Role.ComplianceOfficer));

        string queue = await server.Client.GetStringAsync("/console/compliance");
        Assert.Contains("Screening against OFAC-SDN 2026-11-27, published 2026-11-27: 17 entries.", queue, StringComparison.Ordinal);
        Assert.Single(queue.Split("href=\"/console/compliance/alerts/").Skip(1));
        Assert.Contains("href=\"/console/compliance\"", await server.Client.GetStringAsync("/console"), StringComparison.Ordinal);
        Assert.DoesNotContain("/dispositions", await server.Client.GetStringAsync("/console/compliance/alerts/1"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/console/compliance/alerts/99")).StatusCode);
        string alert = await officer.GetStringAsync("/console/compliance/alerts/1");
        Assert.Contains("action=\"/console/compliance/alerts/1/dispositions\"", alert, StringComparison.Ordinal);
        Assert.Contains("LOGAN MOREY, Elvis Angus", alert, StringComparison.Ordinal);
        Assert.Contains("id=\"alert-history\"", alert, StringComparison.Ordinal);

        foreach (Role role in new[] { Role.OperationsMaker, Role.FrontOffice })
        {
            using HttpClient other = As(server, await server.KeyAsync(role));
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/console/compliance")).StatusCode);
            Assert.DoesNotContain("href=\"/console/compliance\"", await other.GetStringAsync("/console"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_party_approved_in_through_the_api_is_screened_when_the_checker_approves_it()
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync("sqlite");
        await ImportListAsync(workspace, "2026-11-27");
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        using HttpClient maker = As(server, await server.KeyAsync(Role.OperationsMaker));
        using HttpClient checker = As(server, await server.KeyAsync(Role.OperationsChecker));
        string body = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["kind"] = "parties",
            ["content"] = "lei,name,role,bic\n5493000DEMO0CLNT0337,\"Khoroshev, Dmitriy\",client,\n",
        });
        JsonElement request = await JsonAsync(await PostAsync(maker, "/api/v1/reference/changes", "p-1", body));
        Assert.Single((await workspace.RunAsync("compliance", "alerts")).Lines);
        HttpResponseMessage approved = await PostAsync(checker, $"/api/v1/approvals/{request.GetProperty("id").GetInt64()}/approve", "a1",
            $$"""{"payload_hash":"{{request.GetProperty("payload_hash").GetString()}}"}""");
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        string[] alerts = (await workspace.RunAsync("compliance", "alerts")).Lines;
        Assert.Equal(2, alerts.Length);
        Assert.Contains(",sanctions,party,5493000DEMO0CLNT0337,,", alerts[1], StringComparison.Ordinal);
        Assert.Contains("48603 KHOROSHEV, Dmitry Yuryevich", alerts[1], StringComparison.Ordinal);
    }
}
