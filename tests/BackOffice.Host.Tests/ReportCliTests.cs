using NodaTime;
using NodaTime.Text;

namespace BackOffice.Host.Tests;

/// <summary>
/// report trial-balance and report positions on both stores: positions are the client securities
/// sub-ledgers, on a trade-date or a settlement-date basis, as of a date and as known at a time;
/// the trial balance balances in every asset at general-ledger and at detail level.
/// </summary>
public sealed class ReportCliTests
{
    private const string Header = "source_trade_id,action,ref_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date,settlement_date";

    private static string Row(string id, string side, string quantity, string date, string settles, string action = "NEW", string refId = "") =>
        $"{id},{action},{refId},{side},US0378331005,ISIN,XNAS,{quantity},231.45,USD,C-1001,5493000DEMO0BROKER41,{date},{settles}";

    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    /// <summary>Bought 100 on the 25th (settles the 27th), sold 30 on the 27th (settles the 30th).</summary>
    private static async Task BookDayAsync(Workspace workspace)
    {
        string day = workspace.File("day.csv", Header + "\n" + Row("T1", "BUY", "100", "2026-11-25", "2026-11-27") + "\n" + Row("T2", "SELL", "30", "2026-11-27", "2026-11-30") + "\n");
        CliResult import = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", day);
        Assert.True(import.Exit == 0, import.Error);
    }

    private static async Task<string[]> PositionsAsync(Workspace workspace, string asOf, string basis, string? knownAt = null)
    {
        string[] args = ["report", "positions", "--as-of", asOf, "--basis", basis, "--format", "csv", .. knownAt is null ? Array.Empty<string>() : ["--known-at", knownAt]];
        CliResult result = await workspace.RunAsync(args);
        Assert.True(result.Exit == 0, result.Error);
        Assert.Equal("account,instrument,quantity", result.Lines[0]);
        return result.Lines[1..];
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Positions_on_trade_and_settlement_date_as_of_and_as_known_at(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        await BookDayAsync(workspace);

        Assert.Equal(["C-1001,US0378331005,100"], await PositionsAsync(workspace, "2026-11-25", "trade"));
        Assert.Empty(await PositionsAsync(workspace, "2026-11-25", "settlement"));
        Assert.Equal(["C-1001,US0378331005,70"], await PositionsAsync(workspace, "2026-11-27", "trade"));
        Assert.Equal(["C-1001,US0378331005,100"], await PositionsAsync(workspace, "2026-11-27", "settlement"));
        Assert.Equal(["C-1001,US0378331005,70"], await PositionsAsync(workspace, "2026-11-30", "settlement"));

        string before = InstantPattern.ExtendedIso.Format(SystemClock.Instance.GetCurrentInstant());
        // The sale is corrected to settle on 1 December, then the purchase is busted.
        string later = workspace.File("later.csv", Header + "\n" + Row("T2-C", "SELL", "30", "2026-11-27", "2026-12-01", "CORRECT", "T2") + "\n" +
            Row("T1-X", "BUY", "100", "2026-11-25", "2026-11-27", "BUST", "T1") + "\n");
        CliResult changes = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", later);
        Assert.True(changes.Exit == 0, changes.Error);

        // The bust is dated like the purchase: as of any date now, only the short sale is left.
        Assert.Equal(["C-1001,US0378331005,-30"], await PositionsAsync(workspace, "2026-11-27", "trade"));
        Assert.Empty(await PositionsAsync(workspace, "2026-11-27", "settlement"));
        // The corrected sale settles on the 1st, not the 30th: the reversal of the old version settles with it.
        Assert.Empty(await PositionsAsync(workspace, "2026-11-30", "settlement"));
        Assert.Equal(["C-1001,US0378331005,-30"], await PositionsAsync(workspace, "2026-12-01", "settlement"));
        // As known before the changes, the books said what they said then.
        Assert.Equal(["C-1001,US0378331005,70"], await PositionsAsync(workspace, "2026-11-30", "settlement", before));
        Assert.Equal(["C-1001,US0378331005,100"], await PositionsAsync(workspace, "2026-11-27", "settlement", before));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_trial_balance_balances_per_asset_and_rolls_sub_ledgers_into_their_control_accounts(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        await BookDayAsync(workspace);

        CliResult general = await workspace.RunAsync("report", "trial-balance", "--format", "csv");
        Assert.Equal("account,name,type,asset,debit,credit", general.Lines[0]);
        string[][] rows = general.Lines[1..].Select(l => l.Split(',')).ToArray();
        Assert.DoesNotContain(rows, r => r[0].Contains('.', StringComparison.Ordinal));
        // The client owns 70 shares: a credit of 70 on the control account of client securities.
        Assert.Contains(rows, r => r[0] == "2100" && r[3] == "US0378331005" && r[4] == "0" && r[5] == "70");
        foreach (var asset in rows.GroupBy(r => r[3]))
        {
            Assert.Equal(asset.Sum(r => decimal.Parse(r[4], System.Globalization.CultureInfo.InvariantCulture)),
                asset.Sum(r => decimal.Parse(r[5], System.Globalization.CultureInfo.InvariantCulture)));
        }

        CliResult detail = await workspace.RunAsync("report", "trial-balance", "--detail", "--format", "csv");
        Assert.Contains(detail.Lines, l => l.StartsWith("2100.C-1001,", StringComparison.Ordinal) && l.EndsWith(",US0378331005,0,70", StringComparison.Ordinal));
        Assert.DoesNotContain(detail.Lines, l => l.StartsWith("2100,", StringComparison.Ordinal));

        // As of the 25th only the purchase is booked.
        CliResult early = await workspace.RunAsync("report", "trial-balance", "--as-of", "2026-11-25", "--format", "json");
        Assert.Contains("\"as_of\": \"2026-11-25\"", early.Output, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(early.Output);
        Assert.Contains(json.RootElement.GetProperty("lines").EnumerateArray(),
            l => l.GetProperty("account").GetString() == "2100" && l.GetProperty("asset").GetString() == "US0378331005" && l.GetProperty("credit").GetDecimal() == 100m);

        CliResult table = await workspace.RunAsync("report", "trial-balance");
        Assert.Contains(table.Lines, l => l.Contains("total", StringComparison.Ordinal) && l.Contains("US0378331005", StringComparison.Ordinal));
        Assert.Equal(2, (await workspace.RunAsync("report", "trial-balance", "--format", "xml")).Exit);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_balance_sheet_balances_per_currency_and_the_income_statement_covers_its_period(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        await BookDayAsync(workspace);

        CliResult sheet = await workspace.RunAsync("report", "balance-sheet", "--format", "csv");
        Assert.True(sheet.Exit == 0, sheet.Error);
        Assert.Equal("section,account,name,currency,amount", sheet.Lines[0]);
        string[][] rows = sheet.Lines[1..].Select(l => l.Split(',')).ToArray();
        Assert.DoesNotContain(rows, r => r[3] == "US0378331005");
        decimal Sum(string currency, Func<string, bool> section) =>
            rows.Where(r => r[3] == currency && section(r[0])).Sum(r => decimal.Parse(r[4], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(Sum("USD", s => s == "assets") > 0);
        Assert.Equal(Sum("USD", s => s == "assets"), Sum("USD", s => s != "assets"));

        // Commission of 0.50 on 100 shares (minimum 1.00) on the 25th, and again on the 27th.
        CliResult first = await workspace.RunAsync("report", "income-statement", "--from", "2026-11-25", "--as-of", "2026-11-25", "--format", "csv");
        Assert.Equal(["section,account,name,currency,amount", "income,4010,Commission income,USD,1.00"], first.Lines);
        CliResult both = await workspace.RunAsync("report", "income-statement", "--from", "2026-11-24", "--as-of", "2026-11-30", "--format", "csv");
        Assert.Contains("income,4010,Commission income,USD,2.00", both.Lines);
        CliResult none = await workspace.RunAsync("report", "income-statement", "--from", "2026-11-28", "--as-of", "2026-11-30", "--format", "csv");
        Assert.Equal(["section,account,name,currency,amount"], none.Lines);
        // Unclosed earnings on the balance sheet are the income statement since the beginning.
        Assert.Equal(Sum("USD", s => s == "earnings"), both.Lines[1..].Select(l => l.Split(',')).Sum(r =>
            (r[0] == "income" ? 1 : -1) * decimal.Parse(r[4], System.Globalization.CultureInfo.InvariantCulture)));
    }
}
