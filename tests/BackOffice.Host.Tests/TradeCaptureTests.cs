using System.Globalization;

namespace BackOffice.Host.Tests;

/// <summary>
/// Trade capture through the CLI on both stores: files are all or nothing and book once, busts and
/// corrections book reversals, and bad rows are refused with their line and leave nothing behind.
/// </summary>
public sealed class TradeCaptureTests
{
    private const string Broker = "5493000DEMO0BROKER41";
    private const string Header = "source_trade_id,action,ref_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date";

    public static TheoryData<string> Stores => new() { "sqlite", "postgres" };

    private static string Row(string id, string side = "BUY", string quantity = "100", string price = "231.45", string account = "C-1001",
        string action = "NEW", string refId = "", string instrument = "US0378331005", string type = "ISIN", string market = "XNAS", string currency = "USD",
        string date = "2026-11-25") =>
        $"{id},{action},{refId},{side},{instrument},{type},{market},{quantity},{price},{currency},{account},{Broker},{date}";

    private static string Csv(params string[] rows) => Header + "\n" + string.Join("\n", rows) + "\n";

    /// <summary>A database with the demo's reference data (markets, parties, instruments, accounts, chart, fees, SSIs).</summary>
    internal static async Task<Workspace> ReadyAsync(string store)
    {
        Workspace workspace = store == "postgres" ? await Workspace.PostgresAsync() : await Workspace.SqliteAsync();
        Assert.Equal(0, (await workspace.RunAsync("init")).Exit);
        string samples = Path.Combine(AppContext.BaseDirectory, "samples");
        foreach (string kind in new[] { "markets", "parties", "instruments", "client-accounts", "books", "ledger-accounts", "fee-rules", "ssis" })
        {
            CliResult load = await workspace.RunAsync("refdata", "import", "--kind", kind, "--file", Path.Combine(samples, kind + ".csv"));
            Assert.True(load.Exit == 0, kind + ": " + load.Error);
        }
        return workspace;
    }

    private static async Task<string> StateAsync(Workspace workspace) =>
        (await workspace.RunAsync("trades", "list")).Output + (await workspace.RunAsync("balances")).Output + (await workspace.RunAsync("audit", "verify")).Output;

    private static string Balance(CliResult balances, string account, string asset) =>
        balances.Lines.FirstOrDefault(l => l.StartsWith(account + "," + asset + ",", StringComparison.Ordinal))?.Split(',')[2] ?? "0";

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_file_books_once_however_often_it_is_imported_and_rows_dedupe_across_files(string store)
    {
        await using Workspace workspace = await ReadyAsync(store);
        string file = workspace.File("day.csv", Csv(Row("T1"), Row("T2", quantity: "50"), Row("T3", side: "SELL", quantity: "20")));
        CliResult first = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", file);
        Assert.True(first.Exit == 0, first.Error);
        Assert.Equal(["messages,booked,corrected,busted,replayed,exceptions,batches", "3,3,0,0,0,0,1"], first.Lines);
        string state = await StateAsync(workspace);
        CliResult again = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", file);
        Assert.Equal("3,0,0,0,3,0,0", again.Lines[1]);
        // Another file repeating T2 and adding T4: T2 is recognised by its source trade id.
        string overlap = workspace.File("late.csv", Csv(Row("T2", quantity: "50"), Row("T4", quantity: "1")));
        Assert.Equal("2,1,0,0,1,0,1", (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", overlap)).Lines[1]);
        CliResult trades = await workspace.RunAsync("trades", "list");
        Assert.Equal(5, trades.Lines.Length);
        CliResult balances = await workspace.RunAsync("balances");
        // 100 + 50 - 20 + 1 shares owed to the client.
        Assert.Equal("-131", Balance(balances, "2100.C-1001", "US0378331005"));
        Assert.NotEqual(state, await StateAsync(workspace));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task An_invalid_row_rejects_the_whole_file_naming_its_line_and_nothing_is_booked(string store)
    {
        await using Workspace workspace = await ReadyAsync(store);
        string before = await StateAsync(workspace);
        (string Row, string Rule)[] bad =
        [
            (Row("B1", instrument: "US5949181099"), "trade.instrument-unknown"),
            (Row("B1", account: "C-9999"), "trade.account-unknown"),
            (Row("B1", quantity: "0"), "trade.quantity-not-positive"),
            (Row("B1", price: "-1"), "trade.price-not-positive"),
            (Row("B1", currency: "EUR"), "trade.currency-mismatch"),
            (Row("B1", date: "2026-11-26"), "trade.date-not-business-day"),
            (Row("B1", quantity: "1e5"), "field.decimal"),
            (Row("B1", quantity: "99999999999999999999999999999999"), "field.decimal"),
            (Row("B1", date: "26/11/2026"), "field.date"),
            (Row("B1", side: "HOLD"), "field.enumeration"),
            (Row("B1", action: "BUST", refId: "NEVER-BOOKED"), "trade.ref-unknown"),
        ];
        foreach ((string row, string rule) in bad)
        {
            string file = workspace.File("bad.csv", Csv(Row("G1"), Row("G2"), row));
            CliResult result = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", file);
            Assert.Equal(1, result.Exit);
            Assert.Contains("bad.csv:4", result.Error, StringComparison.Ordinal);
            Assert.Contains(rule, result.Error, StringComparison.Ordinal);
        }
        string ragged = workspace.File("ragged.csv", Csv(Row("G1"), "G2,NEW,,BUY,US0378331005"));
        Assert.Contains("csv.field-count", (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", ragged)).Error, StringComparison.Ordinal);
        string quoted = workspace.File("quote.csv", Csv(Row("G1")) + "\"G2,NEW\n");
        Assert.Contains("csv.syntax", (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", quoted)).Error, StringComparison.Ordinal);
        string utf16 = Path.Combine(workspace.Directory, "utf16.csv");
        await File.WriteAllTextAsync(utf16, Csv(Row("G1")), System.Text.Encoding.Unicode);
        Assert.Equal(1, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", utf16)).Exit);
        string truncated = workspace.File("cut.csv", Csv(Row("G1"))[..60]);
        Assert.Equal(1, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", truncated)).Exit);
        string reused = workspace.File("reuse.csv", Csv(Row("G1"), Row("G1", quantity: "7")));
        Assert.Contains("trade.duplicate-id", (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", reused)).Error, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync(workspace));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_correction_reverses_and_rebooks_and_a_bust_reverses_keeping_every_version(string store)
    {
        await using Workspace workspace = await ReadyAsync(store);
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS",
            workspace.File("a.csv", Csv(Row("T1", quantity: "100"), Row("T2", quantity: "10"))))).Exit);
        CliResult changes = await workspace.RunAsync("trades", "import", "--format", "json", "--source", "OMS", workspace.File("b.json", $$"""
            [
              {"source_trade_id": "T1-C", "action": "CORRECT", "ref_trade_id": "T1", "side": "BUY", "instrument_id": "037833100", "instrument_id_type": "CUSIP",
               "market": "XNAS", "quantity": "120", "price": "231.45", "currency": "USD", "account": "C-1001", "counterparty": "{{Broker}}", "trade_date": "2026-11-25"},
              {"source_trade_id": "T2-X", "action": "BUST", "ref_trade_id": "T2"}
            ]
            """));
        Assert.True(changes.Exit == 0, changes.Error);
        Assert.Equal("2,0,1,1,0,0,1", changes.Lines[1]);
        CliResult balances = await workspace.RunAsync("balances");
        Assert.Equal("-120", Balance(balances, "2100.C-1001", "US0378331005"));
        Assert.Equal("120", Balance(balances, "1300." + Broker, "US0378331005"));
        CliResult shown = await workspace.RunAsync("trades", "show", "1");
        Assert.Equal(0, shown.Exit);
        Assert.Contains("1,1,active,new,OMS,T1,", shown.Output, StringComparison.Ordinal);
        Assert.Contains("1,2,active,correct,OMS,T1-C,", shown.Output, StringComparison.Ordinal);
        CliResult busted = await workspace.RunAsync("trades", "show", "2");
        Assert.Contains("2,2,busted,bust,OMS,T2-X,", busted.Output, StringComparison.Ordinal);
        Assert.Equal(["2"], (await workspace.RunAsync("trades", "list", "--status", "busted")).Lines.Skip(1).Select(l => l.Split(',')[0]));
        // A busted trade cannot be busted again.
        CliResult twice = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS",
            workspace.File("c.csv", Csv(Row("T2-X2", action: "BUST", refId: "T2"))));
        Assert.Equal(1, twice.Exit);
        Assert.Contains("trade.already-busted", twice.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await workspace.RunAsync("audit", "verify")).Exit);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_large_file_is_booked_in_batches_and_a_rerun_books_nothing(string store)
    {
        await using Workspace workspace = await ReadyAsync(store);
        string[] rows = Enumerable.Range(1, 2_345).Select(i => Row("L" + i.ToString(CultureInfo.InvariantCulture), quantity: (1 + (i % 7)).ToString(CultureInfo.InvariantCulture))).ToArray();
        string file = workspace.File("large.csv", Csv(rows));
        CliResult first = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", "--batch-size", "500", file);
        Assert.Equal("2345,2345,0,0,0,0,5", first.Lines[1]);
        CliResult again = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", "--batch-size", "700", file);
        Assert.Equal("2345,0,0,0,2345,0,0", again.Lines[1]);
        long expected = Enumerable.Range(1, 2_345).Sum(i => 1 + (i % 7));
        Assert.Equal((-expected).ToString(CultureInfo.InvariantCulture), Balance(await workspace.RunAsync("balances"), "2100.C-1001", "US0378331005"));
        CliResult page = await workspace.RunAsync("trades", "list", "--after", "2340", "--limit", "10");
        Assert.Equal(6, page.Lines.Length);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_block_is_allocated_to_clients_at_the_average_price_once(string store)
    {
        await using Workspace workspace = await ReadyAsync(store);
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS",
            workspace.File("block.csv", Csv(Row("F1", quantity: "600", price: "100.00", account: "AP-0001"), Row("F2", quantity: "400", price: "100.07", account: "AP-0001"))))).Exit);
        string allocations = workspace.File("alloc.csv", "alloc_id,block_trade_ids,account,quantity,commission\nA-1,F1;F2,C-1001,700,\nA-1,F1;F2,C-1002,300,\n");
        CliResult allocated = await workspace.RunAsync("trades", "allocate", "--file", allocations, "--source", "OMS");
        Assert.True(allocated.Exit == 0, allocated.Error);
        Assert.Equal(["allocations,allocated,replayed", "1,1,0"], allocated.Lines);
        Assert.Equal("1,0,1", (await workspace.RunAsync("trades", "allocate", "--file", allocations, "--source", "OMS")).Lines[1]);
        CliResult trades = await workspace.RunAsync("trades", "list", "--status", "active");
        string[] rows = [.. trades.Lines.Skip(1)];
        Assert.Equal(2, rows.Length);
        Assert.Contains(rows, r => r.Contains(",A-1/C-1001,BUY,US0378331005,XNAS,700,100.028,USD,C-1001,", StringComparison.Ordinal) && r.Contains(",70019.60,", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains(",A-1/C-1002,BUY,US0378331005,XNAS,300,100.028,USD,C-1002,", StringComparison.Ordinal) && r.Contains(",30008.40,", StringComparison.Ordinal));
        Assert.Equal(3, (await workspace.RunAsync("trades", "list", "--status", "allocated")).Lines.Length);
        CliResult balances = await workspace.RunAsync("balances");
        Assert.Equal("0", Balance(balances, "2100.AP-0001", "US0378331005"));
        Assert.Equal("-700", Balance(balances, "2100.C-1001", "US0378331005"));
        Assert.Equal("-300", Balance(balances, "2100.C-1002", "US0378331005"));
        CliResult mismatch = await workspace.RunAsync("trades", "allocate", "--source", "OMS", "--file",
            workspace.File("bad.csv", "alloc_id,block_trade_ids,account,quantity\nA-2,F1,C-1001,10\n"));
        Assert.Equal(1, mismatch.Exit);
        Assert.Contains("allocation.block-not-active", mismatch.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await workspace.RunAsync("audit", "verify")).Exit);
    }

    /// <summary>A FIX 4.4 ExecutionReport with correct BodyLength and CheckSum, '|' delimited.</summary>
    internal static string Fix(int seq, string execId, string execType, string quantity = "100", string price = "231.45", string refId = "", string side = "1")
    {
        string body = $"35=8|49=OMS|56=BACKOFFICE|34={seq}|52=20261125-14:31:07.125|1=C-1001|6={price}|11=ORD-{execId}|14={quantity}|15=USD|17={execId}|"
            + (refId.Length > 0 ? $"19={refId}|" : "")
            + $"22=4|30=XNAS|31={price}|32={quantity}|37=OID-{execId}|39=2|48=US0378331005|54={side}|55=AAPL|60=20261125-14:31:07.123|75=20261125|150={execType}|151=0|453=1|448={Broker}|447=D|452=1|";
        string head = $"8=FIX.4.4|9={System.Text.Encoding.ASCII.GetByteCount(body)}|";
        int sum = System.Text.Encoding.ASCII.GetBytes((head + body).Replace('|', '\u0001')).Sum(b => b) % 256;
        return head + body + "10=" + sum.ToString("D3", CultureInfo.InvariantCulture) + "|";
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_fix_log_books_fills_busts_and_corrections_once_and_a_corrupt_message_refuses_the_file(string store)
    {
        await using Workspace workspace = await ReadyAsync(store);
        string log = string.Join("\n",
            "20261125-14:31:07.130 : " + Fix(2, "X1", "F", "100"),
            "20261125-14:31:08.000 : " + Fix(3, "X2", "F", "50"),
            "20261125-14:35:00.000 : " + Fix(4, "X3", "G", "60", refId: "X2"),
            "20261125-14:40:00.000 : " + Fix(5, "X4", "F", "10", side: "2"),
            "20261125-14:41:00.000 : " + Fix(6, "X5", "H", refId: "X4")) + "\n";
        string file = workspace.File("dropcopy.log", log);
        CliResult first = await workspace.RunAsync("trades", "import", "--format", "fix", file);
        Assert.True(first.Exit == 0, first.Error);
        Assert.Equal("5,3,1,1,0,0,1", first.Lines[1]);
        Assert.Equal("5,0,0,0,5,0,0", (await workspace.RunAsync("trades", "import", "--format", "fix", file)).Lines[1]);
        // The sale X4 was busted and X2 corrected to 60: the client holds 160.
        Assert.Equal("-160", Balance(await workspace.RunAsync("balances"), "2100.C-1001", "US0378331005"));
        CliResult listed = await workspace.RunAsync("trades", "list");
        Assert.Contains(listed.Lines, l => l.Contains(",correct,FIX:OMS,X3,BUY,", StringComparison.Ordinal));

        string corrupt = Fix(7, "X6", "F")[..^4] + "000|";
        string bad = workspace.File("bad.log", Fix(8, "X7", "F") + "\n" + corrupt + "\n");
        string before = await StateAsync(workspace);
        CliResult refused = await workspace.RunAsync("trades", "import", "--format", "fix", bad);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("bad.log:2", refused.Error, StringComparison.Ordinal);
        Assert.Contains("fix.checksum", refused.Error, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync(workspace));
    }
}
