namespace BackOffice.Host.Tests;

/// <summary>daycount and bond accrued as scripts use them: exact headers, one row, files with errors by line.</summary>
public sealed class DayCountCliTests
{
    [Fact]
    public async Task Daycount_prints_the_count_and_the_fraction_and_a_file_reports_bad_rows_by_line()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        CliResult one = await workspace.RunAsync("daycount", "--convention", "ACT/ACT-AFB", "--start", "2003-11-01", "--end", "2004-05-01");
        Assert.Equal(["day_count,year_fraction", "182,0.49726775956284"], one.Lines);
        string file = workspace.File("dc.csv",
            "convention,start,end,ref_start,ref_end,frequency,termination_date\n" +
            "ACT/ACT-ICMA,1999-02-01,1999-07-01,1998-07-01,1999-07-01,1,\n" +
            "30/360-US,2007-02-28,2007-08-31,,,,\n" +
            "ACT/ACT-ICMA,2024-01-01,2024-02-01,,,,\n");
        CliResult rows = await workspace.RunAsync("daycount", "--file", file);
        Assert.Equal(1, rows.Exit);
        Assert.Equal("convention,start,end,ref_start,ref_end,frequency,termination_date,day_count,year_fraction", rows.Lines[0]);
        Assert.Equal("ACT/ACT-ICMA,1999-02-01,1999-07-01,1998-07-01,1999-07-01,1,,150,0.41095890410959", rows.Lines[1]);
        Assert.Equal("30/360-US,2007-02-28,2007-08-31,,,,,180,0.5", rows.Lines[2]);
        Assert.Equal("ACT/ACT-ICMA,2024-01-01,2024-02-01,,,,,,", rows.Lines[3]);
        Assert.Contains("dc.csv:4", rows.Error, StringComparison.Ordinal);
        Assert.Contains("daycount.reference-period", rows.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bond_accrued_prints_the_interest_to_the_cent()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        CliResult one = await workspace.RunAsync("bond", "accrued", "--face", "1000000", "--coupon-rate", "0.0425", "--frequency", "2", "--day-count", "ACT/ACT-ICMA",
            "--dated-date", "2024-11-15", "--first-coupon-date", "2025-05-15", "--maturity-date", "2034-11-15", "--settlement-date", "2025-02-10");
        // 1,000,000 × 4.25% / 2 × 87 / 181 = 10,214.0883...
        Assert.Equal(["accrued_interest", "10214.09"], one.Lines);
        string file = workspace.File("ai.csv",
            "face,coupon_rate,frequency,day_count,dated_date,first_coupon_date,maturity_date,end_of_month,settlement_date\n" +
            "100,0.05,2,30/360-US,2024-01-31,2024-07-31,2029-01-31,true,2024-03-15\n" +
            "100,0.05,2,30/360-US,2024-01-31,2024-07-31,2029-01-31,maybe,2024-03-15\n");
        CliResult rows = await workspace.RunAsync("bond", "accrued", "--file", file);
        Assert.Equal(1, rows.Exit);
        // 30/360-US from 2024-01-31 (day 30) to 2024-03-15: 45 days; 100 × 5% × 45/360 = 0.625 -> 0.63.
        Assert.Equal("100,0.05,2,30/360-US,2024-01-31,2024-07-31,2029-01-31,true,2024-03-15,0.63", rows.Lines[1]);
        Assert.Contains("bond.end-of-month", rows.Error, StringComparison.Ordinal);
    }
}
