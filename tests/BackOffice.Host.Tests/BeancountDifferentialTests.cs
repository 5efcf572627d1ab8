using System.Diagnostics;
using System.Globalization;

namespace BackOffice.Host.Tests;

/// <summary>
/// Our lots checked by an independent tool: the generated trading history of the hledger test
/// (two clients, four instruments in two currencies, sales beyond the holding that go short,
/// corrections, busts) exported with <c>export beancount</c> and booked by beancount (Debian's
/// python3-beancount, which ./test.sh installs) with its FIFO booking gives the same realized gains
/// per account and instrument as our <c>report pnl</c>. Without beancount the test fails.
/// </summary>
public sealed class BeancountDifferentialTests
{
    // Sums what beancount booked to each client's Realized account, per instrument (the
    // transaction's metadata) and currency; fails on any error beancount reports.
    private const string Script = """
        import sys
        from beancount import loader
        from beancount.core import data
        entries, errors, options = loader.load_file(sys.argv[1])
        for error in errors:
            print("beancount:", error.message, file=sys.stderr)
        if errors:
            sys.exit(1)
        sums, sales = {}, {}
        for entry in entries:
            if isinstance(entry, data.Transaction):
                for posting in entry.postings:
                    if posting.account.endswith(":Realized"):
                        key = (entry.meta["account"], entry.meta["instrument"], posting.units.currency)
                        sums[key] = sums.get(key, 0) - posting.units.number
                        sales[key] = sales.get(key, 0) + 1
        for key in sorted(sums):
            print("%s,%s,%s,%s,%d" % (key[0], key[1], key[2], sums[key], sales[key]))
        """;

    private static async Task<string> BeancountAsync(string directory, string file)
    {
        string script = Path.Combine(directory, "realized.py");
        await File.WriteAllTextAsync(script, Script);
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(file);
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.False(error.Contains("No module named 'beancount'", StringComparison.Ordinal),
            "beancount is not installed: run ./test.sh (it installs Debian's python3-beancount) or apt-get install python3-beancount");
        Assert.True(process.ExitCode == 0, "beancount failed: " + error);
        return await output;
    }

    [Fact]
    public async Task Beancount_books_the_same_fifo_gains_from_our_export()
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync("sqlite");
        CliResult import = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "GEN",
            workspace.File("history.csv", HledgerDifferentialTests.History(400, 7)));
        Assert.True(import.Exit == 0, import.Error);
        string file = Path.Combine(workspace.Directory, "clients.beancount");
        Assert.Equal(0, (await workspace.RunAsync("export", "beancount", "--out", file)).Exit);

        CliResult pnl = await workspace.RunAsync("report", "pnl", "--method", "fifo", "--format", "csv");
        Assert.True(pnl.Exit == 0, pnl.Error);
        Assert.Equal("account,instrument,currency,quantity,proceeds,cost_basis,realized", pnl.Lines[0]);
        Dictionary<string, decimal> ours = pnl.Lines[1..].Select(l => l.Split(','))
            .ToDictionary(c => $"{c[0]},{c[1]},{c[2]}", c => decimal.Parse(c[6], CultureInfo.InvariantCulture));
        Assert.True(ours.Count >= 6, "the history should realize gains in several accounts and instruments");

        string[] theirs = (await BeancountAsync(workspace.Directory, file)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ours.Keys.Order(StringComparer.Ordinal), theirs.Select(l => string.Join(',', l.Split(',')[..3])).Order(StringComparer.Ordinal));
        foreach (string line in theirs)
        {
            string[] c = line.Split(',');
            decimal realized = decimal.Parse(c[3], NumberStyles.Number, CultureInfo.InvariantCulture);
            int sales = int.Parse(c[4], CultureInfo.InvariantCulture);
            // Beancount keeps a lot's unit cost to 28 digits and rounds each realized amount to
            // the cent; we keep cost to the cent and round the share of a partly relieved lot. Once
            // a lot is closed both have relieved exactly its cost, so they differ by at most half
            // a cent per sale on the lots left partly open.
            decimal difference = Math.Abs(realized - ours[$"{c[0]},{c[1]},{c[2]}"]);
            Assert.True(difference <= 0.005m * sales, $"{line}: ours {ours[$"{c[0]},{c[1]},{c[2]}"]}, difference {difference}");
        }
    }
}
