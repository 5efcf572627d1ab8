namespace BackOffice.Host.Tests;

/// <summary>
/// Trade surveillance as compliance runs it after the day: compliance surveil --date D over the
/// booked trades and valued positions, with the restricted list and trading limits as reference
/// data; the planted findings become alerts, ordinary trades raise nothing, and a rerun raises
/// nothing new.
/// </summary>
public sealed class SurveillanceCliTests
{
    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    private const string Header = "source_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date,executed_at";

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_surveyed_day_raises_the_planted_wash_trade_restricted_trade_and_limit_breach_once(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string samples = Path.Combine(AppContext.BaseDirectory, "samples");
        foreach (string kind in new[] { "prices", "fx-rates" })
        {
            Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", kind, "--file", Path.Combine(samples, kind + ".csv"))).Exit);
        }
        CliResult restricted = await workspace.RunAsync("refdata", "import", "--kind", "restricted-list", "--file", workspace.File("restricted.csv",
            "isin,from,to,reason\nUS5949181045,2026-11-20,,the firm advises on the issuer's bond offering\nFR0000120271,2026-11-01,2026-11-20,blackout ended\n"));
        Assert.True(restricted.Exit == 0, restricted.Error);
        CliResult limits = await workspace.RunAsync("refdata", "import", "--kind", "trading-limits", "--file", workspace.File("limits.csv",
            "account,instrument,max_position,max_concentration\n*,*,1000,\nC-1002,*,,0.9\n"));
        Assert.True(limits.Exit == 0, limits.Error);

        CliResult trades = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", workspace.File("day.csv", Header + "\n" +
            // An ordinary buy, and a TotalEnergies trade whose restriction ended before the day.
            "T1,BUY,US0378331005,ISIN,XNAS,100,231.45,USD,C-1001,5493000DEMO0BROKER41,2026-11-25,2026-11-25T14:31:07Z\n" +
            "T2,BUY,FR0000120271,ISIN,XPAR,50,55.20,EUR,C-1002,5493000DEMO0BROKER41,2026-11-25,2026-11-25T10:15:30Z\n" +
            // Bought and sold back at one price four minutes apart.
            "T3,BUY,US0378331005,ISIN,XNAS,300,232.00,USD,C-1001,5493000DEMO0BROKER41,2026-11-25,2026-11-25T15:00:00Z\n" +
            "T4,SELL,US0378331005,ISIN,XNAS,300,232.00,USD,C-1001,5493000DEMO0BROKER41,2026-11-25,2026-11-25T15:04:00Z\n" +
            // A restricted instrument, and a position of 1,500 against a limit of 1,000.
            "T5,BUY,US5949181045,ISIN,XNAS,10,412.10,USD,C-1002,5493000DEMO0BROKER41,2026-11-25,2026-11-25T16:00:00Z\n" +
            "T6,BUY,US0378331005,ISIN,XNAS,1500,231.00,USD,C-1002,5493000DEMO0BROKER41,2026-11-25,2026-11-25T17:00:00Z\n"));
        Assert.True(trades.Exit == 0, trades.Error);

        CliResult run = await workspace.RunAsync("compliance", "surveil", "--date", "2026-11-25");
        Assert.True(run.Exit == 0, run.Error);
        Assert.StartsWith("surveyed 6 trades and ", run.Lines[0], StringComparison.Ordinal);
        string[] raised = [.. run.Lines.Skip(1).Select(l => l.Split(':')[0].Trim()).Order(StringComparer.Ordinal)];
        Assert.Equal(["alert 1 (wash-trade)", "alert 2 (restricted-list)", "alert 3 (position-limit)", "alert 4 (concentration)"], raised);
        string alerts = (await workspace.RunAsync("compliance", "alerts")).Output;
        Assert.Contains("trades 3 (buy 300) and 4 (sell 300) of US0378331005 at the same price 232.00, 240 s apart, by account C-1001", alerts, StringComparison.Ordinal);
        Assert.Contains("C-1002 holds 1500 US0378331005 at the end of 2026-11-25; its limit is 1000", alerts, StringComparison.Ordinal);

        CliResult again = await workspace.RunAsync("compliance", "surveil", "--date", "2026-11-25");
        Assert.StartsWith("already done: ", again.Output, StringComparison.Ordinal);
        Assert.Equal(5, (await workspace.RunAsync("compliance", "alerts")).Lines.Length);
    }
}
