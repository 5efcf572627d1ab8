namespace BackOffice.Host.Tests;

/// <summary>settlement penalties as scripts use it: the rows come back with daily_penalty appended; a bad row is refused by line and field.</summary>
public sealed class SettlementCliTests
{
    private const string Header = "fail_type,asset_class,quantity_kind,failing_quantity,currency,penalty_date,reference_price,cash_rate_annual";

    [Fact]
    public async Task Penalties_are_appended_to_each_row()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        string file = workspace.File("fails.csv", Header + "\n" +
            "LACK_OF_SECURITIES,SHARE_LIQUID,UNITS,1000,EUR,2026-12-23,25.50,\n" +
            "LACK_OF_SECURITIES,SHARE_LIQUID,UNITS,1000,EUR,2026-12-24,25.50,\n" +
            "LACK_OF_SECURITIES,SHARE_LIQUID,UNITS,400,EUR,2026-12-28,25.50,\n" +
            "LACK_OF_CASH,SHARE_ILLIQUID,UNITS,1000,EUR,2026-12-28,25.50,0.04\n" +
            "LATE_MATCHING,SOVEREIGN_DEBT,NOMINAL,5000000,EUR,2026-12-28,101.25,\n" +
            "LACK_OF_SECURITIES,OTHER,UNITS,300,JPY,2026-12-28,1999,\n");
        CliResult result = await workspace.RunAsync("settlement", "penalties", "--file", file);
        Assert.True(result.Exit == 0, result.Error);
        Assert.Equal(
        [
            Header + ",daily_penalty",
            "LACK_OF_SECURITIES,SHARE_LIQUID,UNITS,1000,EUR,2026-12-23,25.50,,2.55",
            "LACK_OF_SECURITIES,SHARE_LIQUID,UNITS,1000,EUR,2026-12-24,25.50,,2.55",
            // After 600 settled: 400 still failing.
            "LACK_OF_SECURITIES,SHARE_LIQUID,UNITS,400,EUR,2026-12-28,25.50,,1.02",
            "LACK_OF_CASH,SHARE_ILLIQUID,UNITS,1000,EUR,2026-12-28,25.50,0.04,2.79",
            "LATE_MATCHING,SOVEREIGN_DEBT,NOMINAL,5000000,EUR,2026-12-28,101.25,,50.63",
            // Yen has no minor units: 599,700 × 0.5 bp = 29.985, rounded to 30.
            "LACK_OF_SECURITIES,OTHER,UNITS,300,JPY,2026-12-28,1999,,30",
        ], result.Lines);
    }

    [Theory]
    [InlineData("LACK_OF_SHARES,SHARE_LIQUID,UNITS,1000,EUR,2026-12-23,25.50,", "fails.csv:2, field fail_type: field.enumeration")]
    [InlineData("LACK_OF_SECURITIES,BOND,UNITS,1000,EUR,2026-12-23,25.50,", "fails.csv:2, field asset_class: field.enumeration")]
    [InlineData("LACK_OF_SECURITIES,SHARE_LIQUID,UNITS,ten,EUR,2026-12-23,25.50,", "fails.csv:2, field failing_quantity: field.decimal")]
    [InlineData("LACK_OF_SECURITIES,SHARE_LIQUID,UNITS,1000,EUR,2026-12-25,25.50,", "fails.csv:2: penalty.date")]
    [InlineData("LACK_OF_CASH,SHARE_LIQUID,UNITS,1000,EUR,2026-12-23,25.50,", "fails.csv:2: penalty.cash-rate")]
    [InlineData("LACK_OF_SECURITIES,SHARE_LIQUID,UNITS,1000,XYZ,2026-12-23,25.50,", "fails.csv:2, field currency: field.currency")]
    public async Task A_bad_row_is_refused_with_its_line_field_and_rule_and_nothing_is_printed(string row, string error)
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        string file = workspace.File("fails.csv", Header + "\n" + row + "\n");
        CliResult result = await workspace.RunAsync("settlement", "penalties", "--file", file);
        Assert.Equal(1, result.Exit);
        Assert.StartsWith("error: " + error, result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Lines);
    }
}
