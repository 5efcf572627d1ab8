namespace BackOffice.Host.Tests;

/// <summary>
/// A closed period refuses postings dated inside it, with a clear error and nothing booked; late
/// trades, corrections and busts of its trades book in the open period with a reason naming what
/// they correct; a close is audited, replays, and never goes backwards.
/// </summary>
public sealed class PeriodCloseTests
{
    private const string Header = "source_trade_id,action,ref_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date";

    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    private static string Entry(string key, string date) =>
        $$"""{"entries":[{"key":"{{key}}","effective_date":"{{date}}","reason":"deposit","source":"test","postings":[{"account":"1010","asset":"USD","direction":"debit","amount":"10.00"},{"account":"2010","asset":"USD","direction":"credit","amount":"10.00"}]}]}""";

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_closed_period_refuses_entries_dated_inside_it_and_late_trades_book_in_the_open_period(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string day = workspace.File("day.csv", Header + "\nT1,NEW,,BUY,US0378331005,ISIN,XNAS,100,200,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", day)).Exit);
        Assert.Equal(["closed_through"], (await workspace.RunAsync("period", "status")).Lines);

        CliResult close = await workspace.RunAsync("period", "close", "--through", "2026-11-24");
        Assert.True(close.Exit == 0, close.Error);
        Assert.StartsWith("accepted: books closed through 2026-11-24", close.Output, StringComparison.Ordinal);
        Assert.StartsWith("replayed:", (await workspace.RunAsync("period", "close", "--through", "2026-11-24")).Output, StringComparison.Ordinal);
        Assert.Equal(["closed_through", "2026-11-24"], (await workspace.RunAsync("period", "status")).Lines);
        CliResult backwards = await workspace.RunAsync("period", "close", "--through", "2026-11-20");
        Assert.Equal(1, backwards.Exit);
        Assert.Contains("period.close-backwards", backwards.Error, StringComparison.Ordinal);

        string balancesBefore = (await workspace.RunAsync("balances")).Output;
        CliResult inside = await workspace.RunAsync("post", "--file", workspace.File("late.json", Entry("late-1", "2026-11-24")));
        Assert.Equal(1, inside.Exit);
        Assert.Contains("period.closed", inside.Error, StringComparison.Ordinal);
        Assert.Contains("closed through 2026-11-24", inside.Error, StringComparison.Ordinal);
        Assert.Equal(balancesBefore, (await workspace.RunAsync("balances")).Output);
        Assert.Equal(0, (await workspace.RunAsync("post", "--file", workspace.File("open.json", Entry("open-1", "2026-11-25")))).Exit);

        // A late trade of the 24th and the bust of T1 both book on the 25th, naming what they are.
        string late = workspace.File("late.csv", Header + "\nT2,NEW,,BUY,US0378331005,ISIN,XNAS,5,200,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n" +
            "T1-X,BUST,T1,BUY,US0378331005,ISIN,XNAS,100,200,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n");
        CliResult lateImport = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", late);
        Assert.True(lateImport.Exit == 0, lateImport.Error);
        // The closed day still shows T1 alone; from the 25th, T1 is gone and T2 is there.
        Assert.Contains("2100.C-1001,US0378331005,-100", (await workspace.RunAsync("balances", "--as-of", "2026-11-24")).Lines);
        Assert.Contains("2100.C-1001,US0378331005,-5", (await workspace.RunAsync("balances", "--as-of", "2026-11-25")).Lines);
        string journal = Path.Combine(workspace.Directory, "books.journal");
        Assert.Equal(0, (await workspace.RunAsync("export", "hledger", "--out", journal)).Exit);
        string text = await File.ReadAllTextAsync(journal);
        Assert.Contains("2026-11-25 buy 5 US0378331005 @ 200 USD for C-1001 (late: traded 2026-11-24, period closed)", text, StringComparison.Ordinal);
        Assert.Contains("2026-11-25 trade 1 v1 busted (late: reverses entry", text, StringComparison.Ordinal);
    }
}
