using System.Diagnostics;
using System.Globalization;

namespace BackOffice.Host.Tests;

/// <summary>
/// Our books checked by an independent tool: a generated trading history (purchases and sales in
/// two currencies, corrections, busts) exported as an hledger journal and read by hledger (Debian's
/// hledger package, which ./test.sh installs) gives the same balance per account and commodity as
/// our trial balance, at detail and at general-ledger level, for the whole history and as of a
/// date inside it. Without hledger the test fails: it never passes without having compared.
/// </summary>
public sealed class HledgerDifferentialTests
{
    private const string Header = "source_trade_id,action,ref_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date";

    private static readonly (string Isin, string Market, string Currency)[] Instruments =
        [("US0378331005", "XNAS", "USD"), ("US5949181045", "XNAS", "USD"), ("FR0000120271", "XPAR", "EUR"), ("DE0007164600", "XETR", "EUR")];

    private static readonly string[] Dates = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-27"];

    internal static string History(int trades, int seed)
    {
        var random = new Random(seed);
        var rows = new List<string> { Header };
        for (int i = 1; i <= trades; i++)
        {
            var (isin, market, currency) = Instruments[random.Next(Instruments.Length)];
            string date = Dates[random.Next(Dates.Length)];
            // XPAR and XETR are closed on no day of this week; XNAS closes on the 26th, which is not used.
            string side = random.Next(3) == 0 ? "SELL" : "BUY";
            string quantity = random.Next(1, 2_000).ToString(CultureInfo.InvariantCulture);
            string price = (random.Next(1_000, 50_000) / 100m).ToString(CultureInfo.InvariantCulture);
            string account = random.Next(2) == 0 ? "C-1001" : "C-1002";
            rows.Add($"G{i},NEW,,{side},{isin},ISIN,{market},{quantity},{price},{currency},{account},5493000DEMO0BROKER41,{date}");
            if (i % 17 == 0)
            {
                rows.Add($"G{i}-X,BUST,G{i},{side},{isin},ISIN,{market},{quantity},{price},{currency},{account},5493000DEMO0BROKER41,{date}");
            }
            else if (i % 11 == 0)
            {
                rows.Add($"G{i}-C,CORRECT,G{i},{side},{isin},ISIN,{market},{quantity}1,{price},{currency},{account},5493000DEMO0BROKER41,{date}");
            }
        }
        return string.Join("\n", rows) + "\n";
    }

    private static async Task<string> HledgerAsync(string journal, params string[] args)
    {
        var start = new ProcessStartInfo("hledger") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])["-f", journal, .. args])
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("hledger is not installed: run ./test.sh (it installs Debian's hledger) or apt-get install hledger", e);
        }
        using (process)
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            string error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, "hledger failed: " + error);
            return await output;
        }
    }

    /// <summary>hledger's bare CSV balance report: one (account, commodity) → amount per line.</summary>
    private static SortedDictionary<string, decimal> FromHledger(string csv)
    {
        var balances = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (string line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            string[] cells = line.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
            if (cells[0] == "total" || cells[0] == "Total:")
            {
                continue;
            }
            decimal amount = decimal.Parse(cells[2], NumberStyles.Number, CultureInfo.InvariantCulture);
            if (amount != 0)
            {
                balances[cells[0] + " " + cells[1]] = amount;
            }
        }
        return balances;
    }

    /// <summary>Our trial balance CSV, net (debit minus credit), account codes named as in the export (controls from the chart).</summary>
    private static SortedDictionary<string, decimal> FromTrialBalance(CliResult result, Dictionary<string, string> controls)
    {
        Assert.True(result.Exit == 0, result.Error);
        var balances = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (string line in result.Lines.Skip(1))
        {
            string[] cells = line.Split(',');
            string account = !controls.TryGetValue(cells[0], out string? control) ? cells[0]
                : cells[0].StartsWith(control + ".", StringComparison.Ordinal) ? control + ":" + cells[0][(control.Length + 1)..]
                : control + ":" + cells[0];
            balances[account + " " + cells[3]] = decimal.Parse(cells[4], CultureInfo.InvariantCulture) - decimal.Parse(cells[5], CultureInfo.InvariantCulture);
        }
        return balances;
    }

    [Fact]
    public async Task Hledger_reads_our_export_and_agrees_with_our_trial_balance()
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync("sqlite");
        CliResult import = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "GEN", workspace.File("history.csv", History(400, 20261129)));
        Assert.True(import.Exit == 0, import.Error);
        string journal = Path.Combine(workspace.Directory, "books.journal");
        Assert.Equal(0, (await workspace.RunAsync("export", "hledger", "--out", journal)).Exit);

        // Which account hangs off which control: the sample chart, plus the sub-ledgers trades opened (code control.sub).
        var controls = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "samples", "ledger-accounts.csv")).Skip(1)
            .Select(l => l.Split(',')).Where(c => c[3].Length > 0).ToDictionary(c => c[0], c => c[3]);
        foreach (string line in (await workspace.RunAsync("report", "trial-balance", "--detail", "--format", "csv")).Lines.Skip(1))
        {
            string code = line.Split(',')[0];
            if (code.Split('.', 2) is [var parent, _])
            {
                controls[code] = parent;
            }
        }
        SortedDictionary<string, decimal> ours = FromTrialBalance(await workspace.RunAsync("report", "trial-balance", "--detail", "--format", "csv"), controls);
        Assert.True(ours.Count > 20, "the history should touch many accounts and commodities");
        Assert.Equal(ours, FromHledger(await HledgerAsync(journal, "bal", "--flat", "-O", "csv", "--layout=bare")));

        // General-ledger level: hledger's depth 1 adds sub-accounts into their parents, as our report adds sub-ledgers into controls.
        Assert.Equal(FromTrialBalance(await workspace.RunAsync("report", "trial-balance", "--format", "csv"), controls),
            FromHledger(await HledgerAsync(journal, "bal", "--flat", "--depth", "1", "-O", "csv", "--layout=bare")));

        // As of a date inside the history.
        string early = Path.Combine(Path.GetDirectoryName(journal)!, "early.journal");
        Assert.Equal(0, (await workspace.RunAsync("export", "hledger", "--out", early, "--as-of", "2026-11-24")).Exit);
        SortedDictionary<string, decimal> oursEarly = FromTrialBalance(await workspace.RunAsync("report", "trial-balance", "--detail", "--as-of", "2026-11-24", "--format", "csv"), controls);
        Assert.NotEqual(ours, oursEarly);
        Assert.Equal(oursEarly, FromHledger(await HledgerAsync(early, "bal", "--flat", "-O", "csv", "--layout=bare")));
        Assert.Equal(oursEarly, FromHledger(await HledgerAsync(journal, "bal", "--flat", "-e", "2026-11-25", "-O", "csv", "--layout=bare")));
    }
}
