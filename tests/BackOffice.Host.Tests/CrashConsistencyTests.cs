using System.Diagnostics;
using System.Globalization;
using System.Text;
using BackOffice.Host.Cli;

namespace BackOffice.Host.Tests;

/// <summary>
/// Kills the real executable (SIGKILL) while it posts a large file in batches, then shows: no
/// partial entry (every entry has all its postings, entries come in whole batches), an intact
/// audit chain and balance projection, and that posting the same file again books each entry
/// exactly once. The kill happens when the process reports a committed batch, not after a sleep.
/// </summary>
public sealed class CrashConsistencyTests
{
    private const int EntryCount = 150_000;
    private const int BatchSize = 250;

    public static TheoryData<string> Backends => new() { "sqlite", "postgres" };

    [Theory, MemberData(nameof(Backends))]
    public async Task A_killed_post_leaves_whole_batches_and_a_retry_books_each_entry_once(string backend)
    {
        await using Workspace workspace = backend == "sqlite" ? await Workspace.SqliteAsync() : await Workspace.PostgresAsync();
        Assert.Equal(0, (await workspace.RunAsync("init")).Exit);
        string accounts = workspace.File("accounts.csv", "code,name,type,control_account,open\nA,Cash,asset,,true\nB,Payable,liability,,true\nC,Fees,expense,,true\nD,Income,income,,true\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "ledger-accounts", "--file", accounts)).Exit);
        string entries = workspace.File("entries.json", EntriesJson());

        int batchesSeen = await PostAndKillAsync(workspace, entries);
        Assert.True(batchesSeen >= 3, "the process was killed after it reported committed batches");

        CliResult verify = await workspace.RunAsync("audit", "verify");
        Assert.True(verify.Exit == 0, verify.Error);
        long booked = long.Parse(verify.Lines[0].Split(' ')[6], CultureInfo.InvariantCulture);
        Assert.True(booked >= batchesSeen * BatchSize && booked < EntryCount, $"{booked} entries booked before the kill");
        Assert.Equal(0, booked % BatchSize);
        Assert.Equal(0, (await workspace.RunAsync("balances", "rebuild", "--check")).Exit);
        decimal cashBefore = Cash(await workspace.RunAsync("balances"));
        Assert.Equal(Expected(booked), cashBefore);

        CliResult retry = await workspace.RunAsync("post", "--file", entries, "--batch-size", BatchSize.ToString(CultureInfo.InvariantCulture));
        Assert.True(retry.Exit == 0, retry.Error);
        Assert.Contains($"booked {EntryCount - booked}, replayed {booked}", retry.Error, StringComparison.Ordinal);
        string[] rows = retry.Lines.Skip(1).ToArray();
        Assert.Equal(EntryCount, rows.Length);
        Assert.Equal(EntryCount, rows.Select(r => r.Split(',')[1]).Distinct().Count());

        CliResult after = await workspace.RunAsync("audit", "verify");
        Assert.True(after.Exit == 0, after.Error);
        Assert.StartsWith($"audit trail intact: ", after.Lines[0], StringComparison.Ordinal);
        Assert.Contains($"{EntryCount} journal entries", after.Lines[0], StringComparison.Ordinal);
        Assert.Equal(Expected(EntryCount), Cash(await workspace.RunAsync("balances")));
        Assert.Equal(0, (await workspace.RunAsync("balances", "rebuild", "--check")).Exit);
    }

    private static async Task<int> PostAndKillAsync(Workspace workspace, string entries)
    {
        string executable = Path.Combine(AppContext.BaseDirectory, "backoffice.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { executable, "post", "--file", entries, "--batch-size", BatchSize.ToString(CultureInfo.InvariantCulture) }.Concat(workspace.StoreArgs))
        {
            start.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        int batches = 0;
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("committed batch ", StringComparison.Ordinal))
            {
                batches = int.Parse(line.Split(' ')[2], CultureInfo.InvariantCulture);
                if (batches == 3)
                {
                    process.Kill(); // SIGKILL on Unix: no cleanup, no flush, no rollback by the process.
                    break;
                }
            }
        }
        await process.WaitForExitAsync();
        Assert.NotEqual(0, process.ExitCode);
        return batches;
    }

    private static string EntriesJson()
    {
        var json = new StringBuilder("{\"entries\":[\n");
        for (int i = 1; i <= EntryCount; i++)
        {
            string usd = Amount(i).ToString(CultureInfo.InvariantCulture);
            json.Append(CultureInfo.InvariantCulture, $"{{\"key\":\"crash-{i}\",\"effective_date\":\"2026-11-27\",\"reason\":\"load\",\"postings\":[")
                .Append(CultureInfo.InvariantCulture, $"{{\"account\":\"A\",\"asset\":\"USD\",\"direction\":\"debit\",\"amount\":\"{usd}\"}},")
                .Append(CultureInfo.InvariantCulture, $"{{\"account\":\"B\",\"asset\":\"USD\",\"direction\":\"credit\",\"amount\":\"{usd}\"}},")
                .Append("{\"account\":\"C\",\"asset\":\"EUR\",\"direction\":\"debit\",\"amount\":\"0.01\"},")
                .Append("{\"account\":\"D\",\"asset\":\"EUR\",\"direction\":\"credit\",\"amount\":\"0.01\"}]}")
                .Append(i < EntryCount ? ",\n" : "\n");
        }
        return json.Append("]}").ToString();
    }

    private static decimal Amount(long i) => (i % 1000) + 0.25m;

    private static decimal Expected(long count)
    {
        decimal sum = 0m;
        for (long i = 1; i <= count; i++)
        {
            sum += Amount(i);
        }
        return sum;
    }

    private static decimal Cash(CliResult balances) =>
        decimal.Parse(balances.Lines.Single(l => l.StartsWith("A,USD,", StringComparison.Ordinal)).Split(',')[2], CultureInfo.InvariantCulture);

    [Theory, MemberData(nameof(Backends))]
    public async Task A_trade_import_killed_part_way_books_nothing_and_a_rerun_books_each_trade_once(string backend)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(backend);
        const int trades = 60_000;
        var csv = new StringBuilder("source_trade_id,side,instrument_id,market,quantity,price,currency,account,counterparty,trade_date\n");
        for (int i = 0; i < trades; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"K{i},{(i % 3 == 0 ? "SELL" : "BUY")},US0378331005,XNAS,{1 + i % 9},231.45,USD,C-100{1 + i % 2},5493000DEMO0BROKER41,2026-11-25\n");
        }
        string file = workspace.File("day.csv", csv.ToString());
        string before = (await workspace.RunAsync("audit", "verify")).Lines[0];

        string executable = Path.Combine(AppContext.BaseDirectory, "backoffice.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[] { executable, "trades", "import", "--format", "csv", "--source", "OMS", "--batch-size", "1000", file }.Concat(workspace.StoreArgs))
        {
            start.ArgumentList.Add(arg);
        }
        using (Process process = Process.Start(start)!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            bool killed = false;
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("wrote chunk 3 ", StringComparison.Ordinal))
                {
                    process.Kill(); // SIGKILL with 3,000 trades written into the open transaction
                    killed = true;
                    break;
                }
            }
            await process.WaitForExitAsync();
            Assert.True(killed, "the import reported chunks before it was killed");
        }

        // Nothing of the file was committed: the audit trail is as before and intact.
        CliResult verify = await workspace.RunAsync("audit", "verify");
        Assert.True(verify.Exit == 0, verify.Error);
        Assert.Equal(before, verify.Lines[0]);
        Assert.Single((await workspace.RunAsync("trades", "list")).Lines);

        CliResult rerun = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", "--batch-size", "1000", file);
        Assert.True(rerun.Exit == 0, rerun.Error);
        Assert.Equal("60000,60000,0,0,0,0,60", rerun.Lines[1]);
        CliResult again = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", file);
        Assert.Equal("60000,0,0,0,60000,0,0", again.Lines[1]);
        long shares = Enumerable.Range(0, trades).Sum(i => (i % 3 == 0 ? -1L : 1L) * (1 + i % 9));
        CliResult balances = await workspace.RunAsync("balances");
        long held = -balances.Lines.Where(l => l.StartsWith("2100.C-100", StringComparison.Ordinal) && l.Contains(",US0378331005,", StringComparison.Ordinal))
            .Sum(l => long.Parse(l.Split(',')[2], CultureInfo.InvariantCulture));
        Assert.Equal(shares, held);
        Assert.Equal(0, (await workspace.RunAsync("audit", "verify")).Exit);
        Assert.Equal(0, (await workspace.RunAsync("balances", "rebuild", "--check")).Exit);
    }
}
