namespace BackOffice.Host.Tests;

/// <summary>lots realize as scripts use it: the exact columns of each report, splits for every holder, bad rows by line and field.</summary>
public sealed class LotCliTests
{
    // Account A buys 100 at 10, 100 at 12, 100 at 11 and sells 150 at 15; X splits 2:1 on 2026-05-01,
    // before that day's sale by B (who bought 10 at 40). C sells short and covers in part.
    private const string History =
        "seq,trade_date,account,instrument,side,quantity,price,split_ratio\n" +
        "1,2026-01-05,A,X,BUY,100,10,\n" +
        "2,2026-02-05,A,X,BUY,100,12,\n" +
        "3,2026-03-05,A,X,BUY,100,11,\n" +
        "4,2026-04-05,A,X,SELL,150,15,\n" +
        "5,2026-01-06,B,X,BUY,10,40,\n" +
        "7,2026-05-01,B,X,SELL,5,30,\n" +
        "6,2026-05-01,*,X,SPLIT,,,2:1\n" +
        "8,2026-03-01,C,Y,SELL,100,20,\n" +
        "9,2026-03-02,C,Y,BUY,60,15,\n";

    [Fact]
    public async Task Sales_gains_and_open_lots_under_fifo()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        string file = workspace.File("history.csv", History);

        CliResult sales = await workspace.RunAsync("lots", "realize", "--method", "fifo", "--file", file, "--report", "sales");
        Assert.Equal(0, sales.Exit);
        Assert.Equal(
        [
            "seq,account,instrument,quantity,proceeds,cost_basis,realized",
            "4,A,X,150,2250.00,1600.00,650.00",
            // After the split B holds 20 at 20: 5 sold at 30.
            "7,B,X,5,150.00,100.00,50.00",
            // C covers 60 of a 100 short sold at 20: proceeds 1,200, cost 900.
            "9,C,Y,60,1200.00,900.00,300.00",
        ], sales.Lines);

        CliResult gains = await workspace.RunAsync("lots", "realize", "--method", "fifo", "--file", file, "--report", "gains");
        Assert.Equal(["account,instrument,realized", "A,X,650.00", "B,X,50.00", "C,Y,300.00"], gains.Lines);

        CliResult open = await workspace.RunAsync("lots", "realize", "--method", "fifo", "--file", file, "--report", "open");
        Assert.Equal(
        [
            "account,instrument,acquisition_date,quantity,unit_cost,total_cost",
            // A's lots are split too: 50 at 12 became 100 at 6, 100 at 11 became 200 at 5.50.
            "A,X,2026-02-05,100,6.00,600.00",
            "A,X,2026-03-05,200,5.50,1100.00",
            "B,X,2026-01-06,15,20.00,300.00",
            "C,Y,2026-03-01,-40,20.00,-800.00",
        ], open.Lines);
    }

    [Theory]
    [InlineData("lifo", "4,A,X,150,2250.00,1700.00,550.00")]
    [InlineData("hifo", "4,A,X,150,2250.00,1750.00,500.00")]
    [InlineData("average", "4,A,X,150,2250.00,1650.00,600.00")]
    public async Task Each_method_relieves_its_own_lots(string method, string saleOfA)
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        string file = workspace.File("history.csv", History);
        CliResult sales = await workspace.RunAsync("lots", "realize", "--method", method, "--file", file, "--report", "sales");
        Assert.Equal(0, sales.Exit);
        Assert.Equal(saleOfA, sales.Lines[1]);
    }

    [Fact]
    public async Task Fifo_follows_the_dates_not_the_sequence_numbers()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        // Row 1 is the later purchase: FIFO relieves row 2's lot (bought first, at 10) first.
        string file = workspace.File("order.csv", "seq,trade_date,account,instrument,side,quantity,price,split_ratio\n" +
            "1,2026-02-01,A,X,BUY,10,20,\n2,2026-01-01,A,X,BUY,10,10,\n3,2026-03-01,A,X,SELL,10,30,\n");
        CliResult sales = await workspace.RunAsync("lots", "realize", "--method", "fifo", "--file", file, "--report", "sales");
        Assert.Equal("3,A,X,10,300.00,100.00,200.00", sales.Lines[1]);
        CliResult open = await workspace.RunAsync("lots", "realize", "--method", "lifo", "--file", file, "--report", "open");
        Assert.Equal("A,X,2026-01-01,10,10.00,100.00", open.Lines[1]);
    }

    [Theory]
    [InlineData("1,2026-01-05,A,X,HOLD,100,10,", "bad.csv:2, field side", "lots.side")]
    [InlineData("1,2026-01-05,A,X,BUY,-5,10,", "bad.csv:2, field quantity", "lots.quantity")]
    [InlineData("1,2026-02-30,A,X,BUY,5,10,", "bad.csv:2, field trade_date", "field.date")]
    [InlineData("1,2026-01-05,A,X,SPLIT,,,2:1", "bad.csv:2, field account", "lots.split-account")]
    [InlineData("1,2026-01-05,*,X,SPLIT,,,two", "bad.csv:2, field split_ratio", "lots.split-ratio")]
    [InlineData("1,2026-01-05,A,X,BUY,5,-1,", "bad.csv:2", "lots.price")]
    [InlineData("2,2026-01-05,A,X,BUY,5,1,", "bad.csv:2", "lots.sequence-duplicate")]
    public async Task A_bad_row_refuses_the_file_naming_line_field_and_rule(string row, string place, string rule)
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        string file = workspace.File("bad.csv", "seq,trade_date,account,instrument,side,quantity,price,split_ratio\n" + row + "\n2,2026-01-06,A,X,BUY,1,1,\n");
        CliResult result = await workspace.RunAsync("lots", "realize", "--method", "fifo", "--file", file, "--report", "sales");
        Assert.Equal(1, result.Exit);
        Assert.Empty(result.Output);
        Assert.Contains(place, result.Error, StringComparison.Ordinal);
        Assert.Contains(rule, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_account_relieves_its_lots_by_its_own_method_unless_a_report_asks_for_one()
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync("sqlite");
        string accounts = workspace.File("accounts.csv", "code,name,party_lei,base_currency,branch,status,opened_on,lot_method\n" +
            "C-1002,Jane Q. Investor Trust,5493000DEMO0CLNT0240,USD,BOS,open,2025-06-15,hifo\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "client-accounts", "--file", accounts)).Exit);
        const string Header = "source_trade_id,action,ref_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date";
        string rows = string.Join("\n", new[] { "C-1001", "C-1002" }.SelectMany(a => new[]
        {
            $"{a}-1,NEW,,BUY,US0378331005,ISIN,XNAS,100,100,USD,{a},5493000DEMO0BROKER41,2026-11-23",
            $"{a}-2,NEW,,BUY,US0378331005,ISIN,XNAS,100,300,USD,{a},5493000DEMO0BROKER41,2026-11-24",
            $"{a}-3,NEW,,SELL,US0378331005,ISIN,XNAS,100,200,USD,{a},5493000DEMO0BROKER41,2026-11-25",
        }));
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", workspace.File("t.csv", Header + "\n" + rows + "\n"))).Exit);

        string Realized(CliResult pnl, string account) => pnl.Lines.Single(l => l.StartsWith(account + ",", StringComparison.Ordinal)).Split(',')[6];
        CliResult own = await workspace.RunAsync("report", "pnl", "--format", "csv");
        // C-1001 (FIFO) sells the lot bought at 100, C-1002 (HIFO) the one bought at 300; C-1002's commission is 0.05%.
        Assert.StartsWith("99", Realized(own, "C-1001"), StringComparison.Ordinal);
        Assert.StartsWith("-10", Realized(own, "C-1002"), StringComparison.Ordinal);
        CliResult fifo = await workspace.RunAsync("report", "pnl", "--method", "fifo", "--format", "csv");
        Assert.Equal(Realized(own, "C-1001"), Realized(fifo, "C-1001"));
        Assert.StartsWith("9", Realized(fifo, "C-1002"), StringComparison.Ordinal);

        string bad = workspace.File("bad.csv", "code,name,party_lei,base_currency,branch,status,opened_on,lot_method\n" +
            "C-1002,Jane Q. Investor Trust,5493000DEMO0CLNT0240,USD,BOS,open,2025-06-15,specific\n");
        CliResult refused = await workspace.RunAsync("refdata", "import", "--kind", "client-accounts", "--file", bad);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("client-account.lot-method", refused.Error, StringComparison.Ordinal);
    }
}
