using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BackOffice.Application.Holds;
using BackOffice.Application.Ports;
using BackOffice.Domain.Access;
using BackOffice.Domain.Holds;
using BackOffice.Domain.Primitives;
using NodaTime;

using static BackOffice.Host.Tests.ApiCalls;

namespace BackOffice.Host.Tests;

/// <summary>
/// Buying-power holds: a hold within what is available is approved and reserves it, one beyond
/// is refused with what is available; holds are ledger entries (memo postings) that a release,
/// the matching fill or the timeout reverses; concurrent holds never spend the same cash twice.
/// </summary>
public sealed class HoldTests
{
    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    private static async Task<decimal> AvailableAsync(HttpClient client, string account, string asset, string kind = "buy") =>
        (await JsonAsync(await client.GetAsync($"/api/v1/buying-power?account={account}&asset={asset}&kind={kind}"))).GetProperty("available").GetDecimal();

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_hold_reserves_what_is_available_and_ends_by_release_or_by_its_fill(string store)
    {
        await using Workspace workspace = store == "postgres" ? await Workspace.PostgresAsync() : await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.FrontOffice);
        HttpClient client = server.Client;
        decimal cash = await AvailableAsync(client, "C-1001", "USD");
        Assert.True(cash > 10_000m, $"the demo client has cash: {cash}");

        // Beyond what is available: refused, with what is available, and nothing booked.
        long sequence = (await server.Services.Store.ReadHeadAsync(CancellationToken.None)).Sequence.Value;
        HttpResponseMessage refused = await PostAsync(client, "/api/v1/holds", "h0", $$"""{"account":"C-1001","kind":"buy","asset":"USD","amount":{{cash + 0.01m}}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        JsonElement problem = await JsonAsync(refused);
        Assert.Equal("hold.insufficient", problem.GetProperty("rule").GetString());
        Assert.Contains(cash.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(sequence, (await server.Services.Store.ReadHeadAsync(CancellationToken.None)).Sequence.Value);

        // Within: approved; it reserves its amount, and the next hold sees less.
        HttpResponseMessage placed = await PostAsync(client, "/api/v1/holds", "h1", """{"account":"C-1001","kind":"buy","asset":"USD","amount":10000,"reference":"API-H1"}""");
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        JsonElement hold = await JsonAsync(placed);
        Assert.Equal("open", hold.GetProperty("status").GetString());
        Assert.Equal(cash - 10_000m, await AvailableAsync(client, "C-1001", "USD"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(client, "/api/v1/holds", "h2", $$"""{"account":"C-1001","kind":"buy","asset":"USD","amount":{{cash - 9_999.99m}}}""")).StatusCode);
        // The same request again is the same hold.
        Assert.Equal(hold.GetProperty("hold_id").GetString(), (await JsonAsync(await PostAsync(client, "/api/v1/holds", "h1", """{"account":"C-1001","kind":"buy","asset":"USD","amount":10000,"reference":"API-H1"}"""))).GetProperty("hold_id").GetString());

        // The hold is a memo entry: cash on hold for the client, against the memo contra; the client's money is untouched.
        var balances = await server.Services.Ledger.BalancesAsync(null, null, CancellationToken.None);
        Assert.Equal(10_000m, balances.Single(b => b.LedgerAccountCode == "9400.C-1001" && b.AssetCode == "USD").Amount);

        // The fill it waited for consumes it: the trade books and the reservation ends in the same transaction.
        string trade = """
            {"source":"OMS","source_trade_id":"API-H1","side":"BUY","instrument_id":"US0378331005","instrument_id_type":"ISIN","market":"XNAS",
             "quantity":"40","price":"231.50","currency":"USD","account":"C-1001","counterparty":"5493000DEMO0BROKER41","trade_date":"2026-11-30"}
            """;
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, "/api/v1/trades", "fill-1", trade)).StatusCode);
        JsonElement after = (await JsonAsync(await client.GetAsync("/api/v1/holds?account=C-1001"))).EnumerateArray().Single();
        Assert.Equal("consumed", after.GetProperty("status").GetString());
        decimal net = (await server.Services.Store.ListTradesAsync(new TradeQuery(Text: "API-H1"), CancellationToken.None)).Single().Net;
        Assert.Equal(cash - net, await AvailableAsync(client, "C-1001", "USD"));
        Assert.DoesNotContain(await server.Services.Ledger.BalancesAsync(null, null, CancellationToken.None), b => b.LedgerAccountCode == "9400.C-1001");

        // A sale hold reserves securities; releasing it gives them back.
        decimal shares = await AvailableAsync(client, "C-1001", "US0378331005", "sell");
        Assert.True(shares > 0);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(client, "/api/v1/holds", "s0", $$"""{"account":"C-1001","kind":"sell","asset":"US0378331005","amount":{{shares + 1}}}""")).StatusCode);
        JsonElement sale = await JsonAsync(await PostAsync(client, "/api/v1/holds", "s1", $$"""{"account":"C-1001","kind":"sell","asset":"US0378331005","amount":{{shares}}}"""));
        Assert.Equal(0m, await AvailableAsync(client, "C-1001", "US0378331005", "sell"));
        HttpResponseMessage released = await PostAsync(client, $"/api/v1/holds/{sale.GetProperty("hold_id").GetString()}/release", "r1", "{}");
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Equal("released", (await JsonAsync(released)).GetProperty("status").GetString());
        Assert.Equal(shares, await AvailableAsync(client, "C-1001", "US0378331005", "sell"));
        // Releasing again replays; a consumed hold cannot be released.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, $"/api/v1/holds/{sale.GetProperty("hold_id").GetString()}/release", "r2", "{}")).StatusCode);
        HttpResponseMessage consumed = await PostAsync(client, $"/api/v1/holds/{hold.GetProperty("hold_id").GetString()}/release", "r3", "{}");
        Assert.Equal(HttpStatusCode.Conflict, consumed.StatusCode);
        Assert.Equal("hold.ended", (await JsonAsync(consumed)).GetProperty("rule").GetString());
        Assert.True((await workspace.RunAsync("audit", "verify")).Exit == 0);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_fill_from_a_file_or_a_FIX_stream_consumes_its_hold_too(string store)
    {
        await using Workspace workspace = store == "postgres" ? await Workspace.PostgresAsync() : await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.FrontOffice);
        HttpClient client = server.Client;
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, "/api/v1/holds", "f1", """{"account":"C-1001","kind":"buy","asset":"USD","amount":5000,"reference":"FILE-H1"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, "/api/v1/holds", "f2", """{"account":"C-1001","kind":"buy","asset":"USD","amount":5000,"reference":"FIX-H2"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, "/api/v1/holds", "f3", """{"account":"C-1002","kind":"buy","asset":"USD","amount":10,"reference":"FILE-H1"}""")).StatusCode);

        // A file: the row whose source trade id is a hold's reference, for the hold's account, consumes it.
        string file = workspace.File("fills.csv",
            "source_trade_id,action,ref_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date\n" +
            "FILE-H1,NEW,,BUY,US0378331005,ISIN,XNAS,10,231.50,USD,C-1001,5493000DEMO0BROKER41,2026-11-30\n" +
            "FILE-OTHER,NEW,,BUY,US0378331005,ISIN,XNAS,10,231.50,USD,C-1001,5493000DEMO0BROKER41,2026-11-30\n");
        Assert.True((await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", file)).Exit == 0);
        Dictionary<string, string> Statuses(JsonElement holds) => holds.EnumerateArray().ToDictionary(
            h => h.GetProperty("account").GetString() + "/" + h.GetProperty("reference").GetString(), h => h.GetProperty("status").GetString()!);
        Dictionary<string, string> after = Statuses(await JsonAsync(await client.GetAsync("/api/v1/holds")));
        Assert.Equal("consumed", after["C-1001/FILE-H1"]);
        Assert.Equal("open", after["C-1001/FIX-H2"]);
        // Another account's hold with the same reference waits for its own fill.
        Assert.Equal("open", after["C-1002/FILE-H1"]);

        // A FIX stream's batch: the same, in the batch's transaction.
        Result<Domain.Trading.TradeRequest> request = Application.Trading.TradeFields.Read(f => f switch
        {
            "source_trade_id" => "FIX-H2",
            "side" => "BUY",
            "instrument_id" => "US0378331005",
            "instrument_id_type" => "ISIN",
            "market" => "XNAS",
            "quantity" => "5",
            "price" => "231.60",
            "currency" => "USD",
            "account" => "C-1001",
            "counterparty" => "5493000DEMO0BROKER41",
            "trade_date" => "2026-11-30",
            _ => "",
        }, "FIX:TEST", "fix:1", "35=8|...");
        var (command, messages) = await server.Services.Trades.SubmitAsync([Application.Trading.TradeMessage.Of(request.Value)], "fix", IdempotencyKey.From("fix-test/1"),
            CancellationToken.None);
        Assert.True(command.Succeeded, command.Result);
        Assert.Equal(Application.Trading.TradeMessageStatus.Booked, messages[0].Status);
        after = Statuses(await JsonAsync(await client.GetAsync("/api/v1/holds")));
        Assert.Equal("consumed", after["C-1001/FIX-H2"]);
        Assert.DoesNotContain(await server.Services.Ledger.BalancesAsync(null, null, CancellationToken.None), b => b.LedgerAccountCode == "9400.C-1001");
        Assert.True((await workspace.RunAsync("audit", "verify")).Exit == 0);
    }

    [Fact]
    public async Task Concurrent_holds_never_spend_the_same_cash_twice()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.FrontOffice);
        decimal cash = await AvailableAsync(server.Client, "C-1002", "USD");
        decimal tenth = Math.Floor(cash / 10m * 100m) / 100m;
        HttpResponseMessage[] answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            PostAsync(server.Client, "/api/v1/holds", $"c{i}", $$"""{"account":"C-1002","kind":"buy","asset":"USD","amount":{{tenth}}}""")));
        Assert.Equal(10, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(10, answers.Count(a => a.StatusCode == HttpStatusCode.UnprocessableEntity));
        Assert.Equal(cash - 10 * tenth, await AvailableAsync(server.Client, "C-1002", "USD"));
    }

    private sealed class Clock(Instant now) : IClock
    {
        public Instant Now { get; set; } = now;

        public Instant GetCurrentInstant() => Now;
    }

    [Fact]
    public async Task A_hold_expires_after_its_timeout()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using Storage.Sqlite.SqliteStore store = Storage.Sqlite.SqliteStore.Open(workspace.StoreArgs[1]);
        var clock = new Clock(Instant.FromUtc(2026, 11, 30, 14, 0));
        var holds = new HoldService(new Application.WritePath.CommandProcessor(store, clock), clock);
        decimal cash = (await holds.BuyingPowerAsync("C-1001", HoldKind.Buy, "USD", CancellationToken.None)).Value.Available;

        var outcome = await holds.PlaceAsync(new HoldRequest("C-1001", HoldKind.Withdrawal, "USD", 500m, null, Duration.FromMinutes(5)), "desk", IdempotencyKey.From("w1"), CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Result);
        Assert.Equal(cash - 500m, (await holds.BuyingPowerAsync("C-1001", HoldKind.Buy, "USD", CancellationToken.None)).Value.Available);
        Assert.Equal("hold.none-expired", (await holds.ExpireAsync("sweep", CancellationToken.None)).Rejection?.Rule);

        clock.Now += Duration.FromMinutes(5);
        // Past its time it no longer reserves anything, swept or not.
        Assert.Equal(cash, (await holds.BuyingPowerAsync("C-1001", HoldKind.Buy, "USD", CancellationToken.None)).Value.Available);
        Assert.True((await holds.ExpireAsync("sweep", CancellationToken.None)).Succeeded);
        HeldEntry ended = (await store.ListHoldsAsync(new HoldQuery(Account: "C-1001"), CancellationToken.None)).Single();
        Assert.Equal(HoldStatus.Expired, HoldPolicy.Status(ended.Hold, ended.ReversalKey, clock.Now));
        Assert.Equal("hold/" + ended.Hold.Id + "/expired", ended.ReversalKey);
    }
}
