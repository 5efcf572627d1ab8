namespace BackOffice.Host.Tests;

/// <summary>
/// Prices and FX rates imported with their source, and client positions marked to market: cost
/// from the lots, market value and unrealized P&L in the instrument's and the account's currency;
/// a missing or stale price (or rate) is an exception with no figure, never a zero.
/// </summary>
public sealed class ValuationCliTests
{
    private const string Header = "source_trade_id,action,ref_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date";

    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    private static async Task<Workspace> TradedAsync(string store)
    {
        Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        // C-1001 buys 100 Apple at 200 (commission 0.50, 0.005 a share with a 1.00 minimum: 1.00) and 10 TotalEnergies at 50 EUR.
        string day = workspace.File("day.csv", Header + "\n" +
            "T1,NEW,,BUY,US0378331005,ISIN,XNAS,100,200,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n" +
            "T2,NEW,,BUY,FR0000120271,ISIN,XPAR,10,50,EUR,C-1001,5493000DEMO0BROKER41,2026-11-24\n" +
            "T3,NEW,,BUY,US5949181045,ISIN,XNAS,5,400,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n");
        CliResult import = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", day);
        Assert.True(import.Exit == 0, import.Error);
        return workspace;
    }

    private static Dictionary<string, string> Line(CliResult result, string instrument)
    {
        string[] header = result.Lines[0].Split(',');
        string[] cells = result.Lines.Single(l => l.Split(',')[1] == instrument).Split(',');
        return header.Zip(cells).ToDictionary(p => p.First, p => p.Second);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Positions_are_marked_to_market_and_missing_or_stale_marks_are_exceptions(string store)
    {
        await using Workspace workspace = await TradedAsync(store);
        string prices = workspace.File("prices.csv", "date,instrument,price,currency,source\n" +
            "2026-11-24,US0378331005,210.00,USD,NASDAQ official close\n2026-11-24,FR0000120271,52.00,EUR,Euronext close\n" +
            "2026-11-23,US5949181045,405.00,USD,NASDAQ official close\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "prices", "--file", prices)).Exit);

        CliResult noRates = await workspace.RunAsync("report", "valuation", "--as-of", "2026-11-24", "--format", "csv");
        Assert.Equal(1, noRates.Exit);
        Dictionary<string, string> apple = Line(noRates, "US0378331005");
        // Cost 20,000 + 1.00 commission; 100 × 210 = 21,000.
        Assert.Equal(("20001.00", "21000.00", "999.00", "1", "21000.00"), (apple["cost"], apple["market_value"], apple["unrealized"], apple["fx_rate"], apple["market_value_base"]));
        Assert.Equal("", apple["exception"]);
        // No EUR/USD rate yet: the EUR position is valued in EUR and the base-currency figures are an exception.
        Dictionary<string, string> total = Line(noRates, "FR0000120271");
        Assert.Equal(("520.00", "", "fx.missing"), (total["market_value"], total["market_value_base"], total["exception"]));
        // Microsoft's price is a day old: stale, no market value at all.
        Dictionary<string, string> microsoft = Line(noRates, "US5949181045");
        Assert.Equal(("", "", "price.stale", "2026-11-23"), (microsoft["market_value"], microsoft["unrealized"], microsoft["exception"], microsoft["price_date"]));
        Assert.Contains("US5949181045: price.stale (last price 2026-11-23 from NASDAQ official close)", noRates.Error, StringComparison.Ordinal);
        // Allowing one business day of age accepts it.
        CliResult lenient = await workspace.RunAsync("report", "valuation", "--as-of", "2026-11-24", "--max-price-age", "1", "--format", "csv");
        Assert.Equal("2025.00", Line(lenient, "US5949181045")["market_value"]);

        string rates = workspace.File("fx.csv", "date,base,quote,rate,source\n2026-11-24,EUR,USD,1.05,ECB reference rate\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "fx-rates", "--file", rates)).Exit);
        CliResult withRates = await workspace.RunAsync("report", "valuation", "--as-of", "2026-11-24", "--max-price-age", "1", "--format", "csv");
        Assert.True(withRates.Exit == 0, withRates.Error);
        total = Line(withRates, "FR0000120271");
        // Cost 500 + 5.00 minimum commission + 0.4% French FTT (2.00) = 507.00; 520.00 at market; in USD at 1.05.
        Assert.Equal(("507.00", "520.00", "13.00", "546.00", "13.65"), (total["cost"], total["market_value"], total["unrealized"], total["market_value_base"], total["unrealized_base"]));

        // On the next business day nothing is priced yet: every position is stale, exit 1.
        CliResult nextDay = await workspace.RunAsync("report", "valuation", "--as-of", "2026-11-25", "--format", "csv");
        Assert.Equal(1, nextDay.Exit);
        Assert.All(nextDay.Lines.Skip(1), l => Assert.EndsWith(",price.stale", l, StringComparison.Ordinal));
        // Before any price, missing.
        CliResult before = await workspace.RunAsync("report", "valuation", "--as-of", "2026-11-24", "--format", "csv", "--max-price-age", "0");
        Assert.Equal(1, before.Exit);
    }

    [Theory]
    [InlineData("2026-11-24,US0000000000,1,USD,X", "reference.unknown")]
    [InlineData("2026-11-24,US0378331005,0,USD,X", "price.value")]
    [InlineData("2026-11-24,US0378331005,1,USD,", "field.required")]
    [InlineData("2026-11-24,US0378331005,1,XXX,X", "reference.unknown")]
    [InlineData("2026-13-24,US0378331005,1,USD,X", "field.date")]
    public async Task A_bad_price_refuses_the_file_naming_the_line_and_rule(string row, string rule)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync("sqlite");
        string file = workspace.File("prices.csv", "date,instrument,price,currency,source\n2026-11-24,US5949181045,1,USD,X\n" + row + "\n");
        CliResult result = await workspace.RunAsync("refdata", "import", "--kind", "prices", "--file", file);
        Assert.Equal(1, result.Exit);
        Assert.Contains("prices.csv:3", result.Error, StringComparison.Ordinal);
        Assert.Contains(rule, result.Error, StringComparison.Ordinal);
    }
}
