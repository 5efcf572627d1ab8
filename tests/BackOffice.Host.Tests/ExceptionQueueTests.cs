using BackOffice.Application.Ports;
using BackOffice.Application.Trading;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Trading;
using BackOffice.Storage.Postgres;
using BackOffice.Storage.Sqlite;
using NodaTime;

namespace BackOffice.Host.Tests;

/// <summary>A stream books what it can; each message that fails waits in the exceptions queue until repaired or discarded.</summary>
public sealed class ExceptionQueueTests
{
    private const string Broker = "5493000DEMO0BROKER41";

    public static TheoryData<string> Stores => new() { "sqlite", "postgres" };

    private static TradeRequest Fill(string id, string account = "C-1001", decimal quantity = 10m) => new()
    {
        Source = "FIX:OMS",
        SourceTradeId = id,
        Side = TradeSide.Buy,
        Instrument = new InstrumentReference(InstrumentIdType.Isin, "US0378331005"),
        Market = "XNAS",
        Quantity = quantity,
        Price = 230m,
        Currency = "USD",
        Account = account,
        Counterparty = Broker,
        TradeDate = new LocalDate(2026, 11, 25),
        SourceMessage = "8=FIX.4.4|35=8|17=" + id,
        Location = "session OMS, message " + id,
    };

    private static IBackOfficeStore Open(Workspace workspace) =>
        workspace.StoreArgs[0] == "--db" ? SqliteStore.Open(workspace.StoreArgs[1]) : PostgresStore.Open(workspace.StoreArgs[1]);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_failing_message_is_queued_the_rest_books_and_a_repair_books_it_once(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        await using IBackOfficeStore books = Open(workspace);
        var trades = new TradeService(books, new CommandProcessor(books, SystemClock.Instance));
        TradeMessage[] stream =
        [
            TradeMessage.Of(Fill("E1")),
            TradeMessage.Of(Fill("E2", account: "C-TYPO")),
            new TradeMessage(null, new Rejection("fix.checksum", "CheckSum 123 does not match 045"), "FIX:OMS", "8=FIX.4.4|garbled", "session OMS, message 3"),
            TradeMessage.Of(Fill("E3")),
        ];
        var (command, outcomes) = await trades.SubmitAsync(stream, "ops", IdempotencyKey.From("fix/OMS/1-4"), CancellationToken.None);
        Assert.Equal(CommandStatus.Accepted, command.Status);
        Assert.Equal([TradeMessageStatus.Booked, TradeMessageStatus.Exception, TradeMessageStatus.Exception, TradeMessageStatus.Booked], outcomes.Select(o => o.Status));

        // The same group again (a resend) books nothing and queues nothing more.
        var (again, _) = await trades.SubmitAsync(stream, "ops", IdempotencyKey.From("fix/OMS/1-4"), CancellationToken.None);
        Assert.Equal(CommandStatus.Replayed, again.Status);
        // The same fills in another group (PossDup) are replays of the booked trades; the bad one is queued again.
        var (_, replays) = await trades.SubmitAsync([TradeMessage.Of(Fill("E1")), TradeMessage.Of(Fill("E3"))], "ops", IdempotencyKey.From("fix/OMS/5-6"), CancellationToken.None);
        Assert.All(replays, r => Assert.Equal(TradeMessageStatus.Replayed, r.Status));

        CliResult open = await workspace.RunAsync("exceptions", "list");
        Assert.Equal("id,status,source,source_trade_id,rule,message,location,trade_id,note", open.Lines[0]);
        Assert.Equal(3, open.Lines.Length);
        Assert.StartsWith("1,open,FIX:OMS,E2,trade.account-unknown,", open.Lines[1], StringComparison.Ordinal);
        Assert.StartsWith("2,open,FIX:OMS,,fix.checksum,", open.Lines[2], StringComparison.Ordinal);

        CliResult wrongRepair = await workspace.RunAsync("exceptions", "resubmit", "1", "--set", "account=C-STILL-WRONG");
        Assert.Equal(1, wrongRepair.Exit);
        Assert.Contains("trade.account-unknown", wrongRepair.Error, StringComparison.Ordinal);
        CliResult repaired = await workspace.RunAsync("exceptions", "resubmit", "1", "--set", "account=C-1002");
        Assert.True(repaired.Exit == 0, repaired.Error);
        Assert.Equal(1, (await workspace.RunAsync("exceptions", "resubmit", "1", "--set", "account=C-1001")).Exit);
        Assert.Equal(0, (await workspace.RunAsync("exceptions", "discard", "2", "--note", "garbled in transit; the broker resent it as E3")).Exit);
        Assert.Equal(1, (await workspace.RunAsync("exceptions", "discard", "2", "--note", "again")).Exit);
        Assert.Single((await workspace.RunAsync("exceptions", "list")).Lines);
        CliResult all = await workspace.RunAsync("exceptions", "list", "--all");
        Assert.StartsWith("1,resubmitted,FIX:OMS,E2,", all.Lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",3,repaired: account=C-1002", all.Lines[1], StringComparison.Ordinal);
        Assert.StartsWith("2,discarded,", all.Lines[2], StringComparison.Ordinal);

        CliResult list = await workspace.RunAsync("trades", "list");
        Assert.Equal(["E1", "E3", "E2"], list.Lines.Skip(1).Select(l => l.Split(',')[5]));
        Assert.Equal(0, (await workspace.RunAsync("audit", "verify")).Exit);
    }
}
