using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BackOffice.Domain.Access;
using BackOffice.Domain.Settlement;
using BackOffice.Domain.Trading;
using BackOffice.Intake.Iso20022;
using NodaTime;

using static BackOffice.Host.Tests.ApiCalls;

namespace BackOffice.Host.Tests;

/// <summary>
/// Settlement run through the API as operations run it from the CLI: an instruct run turns the
/// day's obligations into instructions whose sese.023 messages validate against the schema, a
/// rerun sends nothing twice; the custodian's sese.024 and sese.025 posted as XML move the
/// instruction and book what settled, once; a message with a DTD is refused; an exception is
/// discarded with a note.
/// </summary>
public sealed class SettlementApiTests
{
    private const string Header = "source_trade_id,action,ref_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date";
    private const string Broker = "5493000DEMO0BROKER41";
    private const string Apple = "US0378331005";

    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Instructions_are_sent_and_confirmations_book_through_the_API(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string trades = workspace.File("day.csv", Header + "\n" +
            $"T1,NEW,,BUY,{Apple},ISIN,XNAS,100,200,USD,C-1001,{Broker},2026-11-24\n" +
            $"T2,NEW,,SELL,{Apple},ISIN,XNAS,40,210,USD,C-1002,{Broker},2026-11-24\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades)).Exit);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.OperationsMaker);
        HttpClient client = server.Client;
        using var auditor = new HttpClient { BaseAddress = client.BaseAddress };
        auditor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", await server.KeyAsync(Role.Auditor));

        // The auditor reads, never sends.
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(auditor, "/api/v1/settlement/instructions/runs", "i0", """{"date":"2026-11-25"}""")).StatusCode);
        HttpResponseMessage sent = await PostAsync(client, "/api/v1/settlement/instructions/runs", "i1", """{"date":"2026-11-25"}""");
        JsonElement run = await JsonAsync(sent);
        Assert.True(sent.StatusCode == HttpStatusCode.OK, run.ToString());
        Assert.Equal(["BO1-1", "BO2-1"], run.GetProperty("sent").EnumerateArray().Select(i => i.GetProperty("tx_id").GetString()));
        JsonElement again = await JsonAsync(await PostAsync(client, "/api/v1/settlement/instructions/runs", "i2", """{"date":"2026-11-25"}"""));
        Assert.Empty(again.GetProperty("sent").EnumerateArray());
        Assert.Equal(2, again.GetProperty("already_sent").GetInt32());

        // Each instruction's message: schema-valid, and the same text every time.
        HttpResponseMessage message = await auditor.GetAsync("/api/v1/settlement/instructions/BO1-1/message");
        Assert.Equal("application/xml", message.Content.Headers.ContentType?.MediaType);
        string xml = await message.Content.ReadAsStringAsync();
        Assert.Null(Sese023.Validate(xml));
        Assert.Equal(xml, await auditor.GetStringAsync("/api/v1/settlement/instructions/BO1-1/message"));
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync("/api/v1/settlement/instructions/BO9-9/message")).StatusCode);

        // The custodian's confirmation of the purchase: settled, booked once.
        string confirmation = Sese025.Write(new SettlementConfirmation("BO1-1", "CUST-1", false, true, Apple, 100m, false, 20000m, "USD", false, new LocalDate(2026, 11, 25), false, null),
            "BACKOFFICE").Value;
        HttpResponseMessage confirmed = await PostAsync(client, "/api/v1/settlement/status-messages", "c1", confirmation, "application/xml");
        JsonElement status = await JsonAsync(confirmed);
        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, status.ToString());
        Assert.Equal("sese.025", status.GetProperty("message").GetString());
        Assert.Equal("settled", status.GetProperty("instruction").GetProperty("status").GetString());
        long head = (await server.Services.Store.ReadHeadAsync(CancellationToken.None)).Sequence.Value;
        HttpResponseMessage replay = await PostAsync(client, "/api/v1/settlement/status-messages", "c1-again", confirmation, "application/xml");
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.True((await JsonAsync(replay)).GetProperty("replayed").GetBoolean());
        Assert.Equal(head, (await server.Services.Store.ReadHeadAsync(CancellationToken.None)).Sequence.Value);

        // A status advice for the sale, read from XML posted as text/xml.
        string advice = Sese024.Write(new StatusAdvice("BO2-1", "CUST-2", null, MatchingStatus.Matched, SettlementCondition.Pending, null, null)).Value;
        JsonElement matched = await JsonAsync(await PostAsync(client, "/api/v1/settlement/status-messages?date=2026-11-25", "a1", advice, "text/xml"));
        Assert.True(matched.TryGetProperty("instruction", out JsonElement movedInstruction), matched.ToString());
        Assert.Equal("matched", movedInstruction.GetProperty("status").GetString());

        // Refused: JSON where XML is due, a DTD with an external entity, an unknown instruction (parked for operations).
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await PostAsync(client, "/api/v1/settlement/status-messages", "x1", "{}")).StatusCode);
        HttpResponseMessage dtd = await PostAsync(client, "/api/v1/settlement/status-messages", "x2",
            "<!DOCTYPE Document [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Document>&x;</Document>", "application/xml");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, dtd.StatusCode);
        Assert.DoesNotContain("root:", await dtd.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        string stranger = Sese025.Write(new SettlementConfirmation("BO9-1", "CUST-9", false, true, Apple, 1m, false, 200m, "USD", false, new LocalDate(2026, 11, 25), false, null),
            "BACKOFFICE").Value;
        HttpResponseMessage parked = await PostAsync(client, "/api/v1/settlement/status-messages", "x3", stranger, "application/xml");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, parked.StatusCode);
        Assert.Contains("exceptions queue", (await JsonAsync(parked)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // That parked message is discarded with a note: closed, nothing booked.
        TradeException open = (await server.Services.Store.ListExceptionsAsync(openOnly: true, CancellationToken.None)).Single(e => e.Source == "sese.025");
        Assert.Equal("exception.note", (await JsonAsync(await PostAsync(client, $"/api/v1/exceptions/{open.Id}/discard", "d0", "{}"))).GetProperty("rule").GetString());
        HttpResponseMessage discarded = await PostAsync(client, $"/api/v1/exceptions/{open.Id}/discard", "d1", """{"note":"not our instruction"}""");
        Assert.True(discarded.StatusCode == HttpStatusCode.OK, await discarded.Content.ReadAsStringAsync());
        Assert.DoesNotContain(await server.Services.Store.ListExceptionsAsync(openOnly: true, CancellationToken.None), e => e.Id == open.Id);
        Assert.Equal("exception.closed", (await JsonAsync(await PostAsync(client, $"/api/v1/exceptions/{open.Id}/discard", "d2", """{"note":"again"}"""))).GetProperty("rule").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(client, "/api/v1/exceptions/999999/discard", "d3", """{"note":"x"}""")).StatusCode);
        Assert.True((await workspace.RunAsync("audit", "verify")).Exit == 0);
    }
}
