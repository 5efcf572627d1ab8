using System.Diagnostics;
using System.Globalization;
using UglyToad.PdfPig;

namespace BackOffice.Host.Tests;

/// <summary>
/// Client documents written by the CLI from a small booked history and read back with PdfPig:
/// every figure a confirmation, statement or gains report prints is compared with what the books
/// say through the other verbs (trades list, report valuation, report pnl, balances), never with
/// numbers copied from a document. Documents are byte-identical when written again, bad options
/// name their rule, and one statement is rendered to PNG for a person to look at.
/// </summary>
public sealed class DocumentCliTests
{
    private const string Broker = "5493000DEMO0BROKER41";
    private const string Header = "source_trade_id,action,ref_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date,executed_at";

    private static string Row(string id, string side, string quantity, string price, string date, string account = "C-1001", string action = "NEW", string refId = "",
        string instrument = "US0378331005", string executedAt = "") =>
        $"{id},{action},{refId},{side},{instrument},ISIN,XNAS,{quantity},{price},USD,{account},{Broker},{date},{executedAt}";

    private static async Task<Workspace> BookedAsync(params string[] rows)
    {
        Workspace workspace = await TradeCaptureTests.ReadyAsync("sqlite");
        CliResult import = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", workspace.File("trades.csv", Header + "\n" + string.Join("\n", rows) + "\n"));
        Assert.True(import.Exit == 0, import.Error);
        return workspace;
    }

    /// <summary>The words of every page, one space apart.</summary>
    private static string Text(string path)
    {
        using PdfDocument document = PdfDocument.Open(File.ReadAllBytes(path));
        return " " + string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text)) + " ";
    }

    private static List<Dictionary<string, string>> Csv(string output)
    {
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second))];
    }

    private static string Money(string amount) => decimal.Parse(amount, CultureInfo.InvariantCulture).ToString("N2", CultureInfo.InvariantCulture);

    private static void Has(string text, string figure, string what) => Assert.True(text.Contains(" " + figure + " ", StringComparison.Ordinal), $"{what}: '{figure}' not in {text}");

    [Fact]
    public async Task Confirmations_carry_the_booked_figures_capacity_and_corrections_and_are_written_the_same_twice()
    {
        await using Workspace workspace = await BookedAsync(
            Row("T1", "BUY", "500", "231.45", "2026-11-25", executedAt: "2026-11-25T14:31:07.125Z"),
            Row("T2", "SELL", "100", "232", "2026-11-25"),
            Row("T3", "BUY", "200", "412.10", "2026-11-25", instrument: "US5949181045"),
            Row("T4", "BUY", "1000", "230.5", "2026-11-25", account: "PROP-EQ"),
            Row("T3-C", "BUY", "200", "412.01", "2026-11-25", action: "CORRECT", refId: "T3", instrument: "US5949181045"),
            "T2-X,BUST,T2,,,,,,,,,,,");
        string folder = Path.Combine(workspace.Directory, "confirms");
        CliResult written = await workspace.RunAsync("documents", "confirmations", "--date", "2026-11-25", "--out", folder);
        Assert.True(written.Exit == 0, written.Error);
        // Four trades, two of them with a second version (the correction of T3, the bust of T2): six files.
        Assert.Equal(6, written.Lines.Length);

        foreach (Dictionary<string, string> trade in Csv((await workspace.RunAsync("trades", "list", "--trade-date", "2026-11-25")).Output))
        {
            string file = Path.Combine(folder, $"confirm-2026-11-25-{trade["trade_id"]}{(trade["version"] == "1" ? "" : "-v" + trade["version"])}.pdf");
            Assert.Contains(file, written.Lines);
            string text = Text(file);
            string what = $"trade {trade["trade_id"]} v{trade["version"]}";
            Has(text, decimal.Parse(trade["quantity"], CultureInfo.InvariantCulture).ToString("#,##0", CultureInfo.InvariantCulture), what + " quantity");
            Has(text, decimal.Parse(trade["price"], CultureInfo.InvariantCulture).ToString("#,##0.00########", CultureInfo.InvariantCulture), what + " price");
            Has(text, Money(trade["gross"]), what + " gross");
            Has(text, Money(trade["commission"]), what + " commission");
            Has(text, Money(trade["net"]), what + " net");
            Has(text, trade["settlement_date"], what + " settlement date");
            Has(text, trade["isin"], what + " ISIN");
            Has(text, trade["account"], what + " account");
            Assert.Contains(trade["account"] == "PROP-EQ" ? " Capacity Principal " : " Capacity Agent ", text, StringComparison.Ordinal);
            Assert.Contains(trade["status"] == "busted" ? "Cancellation of trade confirmation" : trade["version"] == "2" ? "Corrected trade confirmation" : " Trade confirmation ",
                text, StringComparison.Ordinal);
        }
        // The time of execution when the trade has one, else that it is available on request.
        Assert.Contains(" 2026-11-25 14:31:07.125 UTC ", Text(Path.Combine(folder, "confirm-2026-11-25-1.pdf")), StringComparison.Ordinal);
        Assert.Contains(" available on written request ", Text(Path.Combine(folder, "confirm-2026-11-25-2.pdf")), StringComparison.Ordinal);
        // The correction names what it corrects: the first version's price.
        Assert.Contains(" at 412.10 USD", Text(Path.Combine(folder, "confirm-2026-11-25-3-v2.pdf")), StringComparison.Ordinal);

        Dictionary<string, byte[]> first = written.Lines.ToDictionary(f => f, File.ReadAllBytes);
        CliResult again = await workspace.RunAsync("documents", "confirmations", "--date", "2026-11-25", "--out", folder);
        Assert.Equal(written.Lines, again.Lines);
        Assert.All(first, f => Assert.True(f.Value.AsSpan().SequenceEqual(File.ReadAllBytes(f.Key)), f.Key + " changed when written again"));
    }

    [Theory]
    [InlineData("statements", "--month", "2026-13", "documents.month-format")]
    [InlineData("statements", "--month", "2026-1", "documents.month-format")]
    [InlineData("gains", "--year", "26", "documents.year-format")]
    [InlineData("confirmations", "--date", "25/11/2026", "--date must be a date")]
    public async Task A_malformed_period_is_refused_naming_the_rule(string verb, string option, string value, string rule)
    {
        await using Workspace workspace = await BookedAsync(Row("T1", "BUY", "10", "200", "2026-11-25"));
        string folder = Path.Combine(workspace.Directory, "out");
        CliResult result = await workspace.RunAsync("documents", verb, option, value, "--out", folder);
        Assert.Equal(2, result.Exit);
        Assert.Contains(rule, result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task A_statement_shows_holdings_at_the_books_marks_cash_and_pnl_and_a_missing_price_as_such()
    {
        await using Workspace workspace = await BookedAsync(
            Row("S1", "BUY", "100", "200", "2026-11-24"),
            Row("S2", "BUY", "5", "400", "2026-11-24", instrument: "US5949181045"),
            Row("S3", "SELL", "40", "215.50", "2026-11-27"));
        // Apple is marked on the month's last day; Microsoft never is.
        string prices = workspace.File("prices.csv", "date,instrument,price,currency,source\n2026-11-30,US0378331005,221.37,USD,NASDAQ official close\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "prices", "--file", prices)).Exit);
        string folder = Path.Combine(workspace.Directory, "statements");
        CliResult written = await workspace.RunAsync("documents", "statements", "--month", "2026-11", "--out", folder);
        Assert.True(written.Exit == 0, written.Error);
        string file = Assert.Single(written.Lines);
        Assert.Equal(Path.Combine(folder, "statement-C-1001-2026-11.pdf"), file);
        string text = Text(file);

        List<Dictionary<string, string>> valuation = Csv((await workspace.RunAsync("report", "valuation", "--as-of", "2026-11-30", "--format", "csv")).Output);
        Dictionary<string, string> apple = valuation.Single(v => v["instrument"] == "US0378331005");
        Has(text, apple["quantity"], "Apple quantity");
        Has(text, Money(apple["market_value"]), "Apple market value");
        Has(text, Money(apple["cost"]), "Apple cost");
        Has(text, Money(apple["unrealized"]), "Apple unrealized");
        Has(text, decimal.Parse(apple["price"], CultureInfo.InvariantCulture).ToString("N2", CultureInfo.InvariantCulture), "Apple price");
        // Microsoft has no price: the books say so, and the statement shows no value, not a zero.
        Dictionary<string, string> microsoft = valuation.Single(v => v["instrument"] == "US5949181045");
        Assert.Equal(("", "price.missing"), (microsoft["market_value"], microsoft["exception"]));
        Assert.Contains(" US5949181045 5 none none - " + Money(microsoft["cost"]) + " - USD ", text, StringComparison.Ordinal);
        Assert.Contains("no price in the books", text, StringComparison.Ordinal);

        Dictionary<string, string> realized = Csv((await workspace.RunAsync("report", "pnl", "--from", "2026-11-01", "--as-of", "2026-11-30", "--format", "csv")).Output).Single();
        Has(text, Money(realized["realized"]), "realized P&L");
        Has(text, Money(realized["proceeds"]), "proceeds");
        // Closing cash is the client money sub-ledger's balance at the month's end (a credit is the client's).
        string closing = Csv((await workspace.RunAsync("balances", "--as-of", "2026-11-30")).Output).Single(b => b["ledger_account"] == "2010.C-1001" && b["asset"] == "USD")["amount"];
        Has(text, (-decimal.Parse(closing, CultureInfo.InvariantCulture)).ToString("N2", CultureInfo.InvariantCulture), "closing cash");
        foreach (Dictionary<string, string> trade in Csv((await workspace.RunAsync("trades", "list", "--account", "C-1001")).Output))
        {
            Has(text, Money(trade["net"]), "net of trade " + trade["trade_id"]);
        }

        byte[] before = File.ReadAllBytes(file);
        Assert.Equal(0, (await workspace.RunAsync("documents", "statements", "--month", "2026-11", "--out", folder)).Exit);
        Assert.True(before.AsSpan().SequenceEqual(File.ReadAllBytes(file)), "the statement changed when written again from the same books");
        RenderForPeople(file, "statement-C-1001-2026-11");
    }

    /// <summary>The first page as PNG under artifacts/test-results (the test script keeps that folder), with Debian's pdftoppm (poppler-utils).</summary>
    private static void RenderForPeople(string pdf, string name)
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "BackOffice.slnx")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("the repository root (BackOffice.slnx) is above the test's folder");
        }
        string folder = Path.Combine(root, "artifacts", "test-results");
        Directory.CreateDirectory(folder);
        string prefix = Path.Combine(folder, name);
        using Process render = Process.Start(new ProcessStartInfo("pdftoppm", ["-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", pdf, prefix])
        { RedirectStandardError = true })
            ?? throw new InvalidOperationException("pdftoppm did not start; install Debian's poppler-utils (the test script does)");
        string error = render.StandardError.ReadToEnd();
        render.WaitForExit();
        Assert.True(render.ExitCode == 0, "pdftoppm: " + error);
        var png = new FileInfo(prefix + ".png");
        Assert.True(png.Exists, png.FullName + " was not written");
        // A blank US Letter page at 110 dpi compresses to a few kilobytes; this one has text, tables and a chart.
        Assert.True(png.Length > 40_000, $"{png.FullName} is only {png.Length} bytes");
    }

    [Fact]
    public async Task A_gains_report_has_one_row_per_lot_sold_with_the_wash_sale_the_books_imply()
    {
        await using Workspace workspace = await BookedAsync(
            // Bought in January, sold at a loss on 2 February, bought back 18 days later: a wash sale.
            Row("G1", "BUY", "100", "200", "2026-01-05"),
            Row("G2", "SELL", "100", "180", "2026-02-02"),
            Row("G3", "BUY", "100", "185", "2026-02-20"),
            Row("G4", "SELL", "100", "190", "2026-06-01"),
            // Microsoft: bought and sold at a gain, nothing bought back.
            Row("G5", "BUY", "10", "400", "2026-03-02", instrument: "US5949181045"),
            Row("G6", "SELL", "10", "420", "2026-04-01", instrument: "US5949181045"));
        string folder = Path.Combine(workspace.Directory, "gains");
        CliResult written = await workspace.RunAsync("documents", "gains", "--year", "2026", "--out", folder);
        Assert.True(written.Exit == 0, written.Error);
        Assert.Equal([Path.Combine(folder, "gains-C-1001-2026.pdf"), Path.Combine(folder, "gains-C-1001-2026.csv")], written.Lines);
        List<Dictionary<string, string>> rows = Csv(File.ReadAllText(Path.Combine(folder, "gains-C-1001-2026.csv")));
        Assert.Equal("account,instrument,quantity,acquired,sold,proceeds,cost_basis,wash_sale_disallowed,gain,term",
            File.ReadAllLines(Path.Combine(folder, "gains-C-1001-2026.csv"))[0]);
        Assert.Equal(3, rows.Count);

        // Each sale's proceeds and cost are the lots' (report pnl over its day).
        async Task<Dictionary<string, string>> RealizedAsync(string day, string isin) =>
            Csv((await workspace.RunAsync("report", "pnl", "--from", day, "--as-of", day, "--format", "csv")).Output).Single(r => r["instrument"] == isin);
        Dictionary<string, string> loss = await RealizedAsync("2026-02-02", "US0378331005"), later = await RealizedAsync("2026-06-01", "US0378331005");
        Dictionary<string, string> gain = await RealizedAsync("2026-04-01", "US5949181045");
        decimal lossAmount = -decimal.Parse(loss["realized"], CultureInfo.InvariantCulture);
        Assert.True(lossAmount > 0, "the February sale is at a loss");

        Dictionary<string, string> washed = rows.Single(r => r["sold"] == "2026-02-02");
        Assert.Equal((loss["proceeds"], loss["cost_basis"], lossAmount.ToString("F2", CultureInfo.InvariantCulture), "0.00", "short", "2026-01-05"),
            (washed["proceeds"], washed["cost_basis"], washed["wash_sale_disallowed"], washed["gain"], washed["term"], washed["acquired"]));
        // The replacement carries the disallowed loss in its basis, and its holding period tacks
        // (28 days from 5 January to 2 February before 20 February: 23 January).
        Dictionary<string, string> replacement = rows.Single(r => r["sold"] == "2026-06-01");
        decimal basis = decimal.Parse(later["cost_basis"], CultureInfo.InvariantCulture) + lossAmount;
        Assert.Equal((basis.ToString("F2", CultureInfo.InvariantCulture), "0.00", "2026-01-23"), (replacement["cost_basis"], replacement["wash_sale_disallowed"], replacement["acquired"]));
        Assert.Equal(decimal.Parse(later["proceeds"], CultureInfo.InvariantCulture) - basis, decimal.Parse(replacement["gain"], CultureInfo.InvariantCulture));
        // A gain is never a wash sale.
        Dictionary<string, string> plain = rows.Single(r => r["instrument"] == "US5949181045");
        Assert.Equal((gain["realized"], "0.00"), (plain["gain"], plain["wash_sale_disallowed"]));

        // The PDF has the same rows.
        string text = Text(Path.Combine(folder, "gains-C-1001-2026.pdf"));
        foreach (Dictionary<string, string> row in rows)
        {
            Has(text, Money(row["proceeds"]), "proceeds");
            Has(text, Money(row["cost_basis"]), "cost basis");
            Has(text, Money(row["gain"]), "gain");
            Has(text, row["acquired"], "acquired");
        }
        Has(text, lossAmount.ToString("N2", CultureInfo.InvariantCulture), "wash sale loss disallowed");
    }
}
