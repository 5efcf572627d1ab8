using System.Diagnostics;
using System.Globalization;
using System.Net;
using BackOffice.Application.Ports;
using BackOffice.Application.Trading;
using BackOffice.Application.WritePath;
using BackOffice.Host.Fix;
using BackOffice.Storage.Postgres;
using BackOffice.Storage.Sqlite;
using NodaTime;

namespace BackOffice.Host.Tests;

/// <summary>
/// BackOffice's FIX acceptor against QuickFIX (the C++ engine from Debian's libquickfix-dev) as the
/// initiator: logon, a stream of fills, a dropped connection, fills sent while disconnected that
/// reach the acceptor only through a resend, a bust, a correction, a logout, and a restart of the
/// acceptor; each ends as exactly the right trades. Synchronisation is FIX's own: a TestRequest is
/// answered only after every message before it has been booked.
/// </summary>
public sealed class QuickFixInteropTests
{
    private const string Broker = "5493000DEMO0BROKER41";

    public static TheoryData<string> Stores => new() { "sqlite", "postgres" };

    private static readonly Lazy<string> Initiator = new(() =>
    {
        string output = Path.Combine(Directory.CreateTempSubdirectory("quickfix-initiator-").FullName, "fix-initiator");
        string build = Path.Combine(AppContext.BaseDirectory, "interop", "quickfix-initiator", "build.sh");
        using Process process = Process.Start(new ProcessStartInfo("sh", [build, output]) { RedirectStandardError = true })!;
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "building the QuickFIX initiator (needs g++ and libquickfix-dev, which ./test.sh installs): " + errors);
        return output;
    });

    private static string Fill(string execId, string quantity, string side = "1", string execType = "F", string refId = "") =>
        $"send 35=8|37=O-{execId}|17={execId}|150={execType}|39=2|54={side}|55=AAPL|48=US0378331005|22=4|1=C-1001|32={quantity}|31=231.45|15=USD|30=XNAS|"
        + $"75=20261125|60=20261125-14:31:07.123|14={quantity}|151=0|6=231.45" + (refId.Length > 0 ? $"|19={refId}" : "") + $"|453=1|448={Broker}|447=D|452=1";

    private static async Task<string> RunInitiatorAsync(string directory, int port, string name, params string[] script)
    {
        string config = Path.Combine(directory, "session.cfg");
        string dictionary = Path.Combine(AppContext.BaseDirectory, "interop", "FIX44.xml");
        await File.WriteAllTextAsync(config, $"""
            [DEFAULT]
            ConnectionType=initiator
            ReconnectInterval=1
            FileStorePath={Path.Combine(directory, "store")}
            FileLogPath={Path.Combine(directory, "log")}
            StartTime=00:00:00
            EndTime=00:00:00
            HeartBtInt=30
            UseDataDictionary=Y
            DataDictionary={dictionary}
            ValidateUserDefinedFields=N
            [SESSION]
            BeginString=FIX.4.4
            SenderCompID=OMS
            TargetCompID=BACKOFFICE
            SocketConnectHost=127.0.0.1
            SocketConnectPort={port.ToString(CultureInfo.InvariantCulture)}
            """);
        string scriptFile = Path.Combine(directory, name + ".txt");
        await File.WriteAllLinesAsync(scriptFile, script);
        using Process process = Process.Start(new ProcessStartInfo(Initiator.Value, [config, scriptFile]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        string text = await output + await errors;
        Assert.True(process.ExitCode == 0, $"QuickFIX initiator, script {name}:\n{text}");
        return text;
    }

    private static IBackOfficeStore Open(Workspace workspace) =>
        workspace.StoreArgs[0] == "--db" ? SqliteStore.Open(workspace.StoreArgs[1]) : PostgresStore.Open(workspace.StoreArgs[1]);

    private static async Task<FixAcceptor> StartAsync(IBackOfficeStore books, StringWriter log)
    {
        var acceptor = new FixAcceptor(books, new TradeService(books, new CommandProcessor(books, SystemClock.Instance)), "BACKOFFICE", "fix", SystemClock.Instance, log);
        acceptor.Start(IPAddress.Loopback, 0);
        return await Task.FromResult(acceptor);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_QuickFIX_session_with_a_disconnect_a_resend_a_bust_and_a_correction_books_exactly_the_right_trades(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string directory = Directory.CreateTempSubdirectory("quickfix-session-").FullName;
        var log = new StringWriter();
        await using IBackOfficeStore books = Open(workspace);

        await using (FixAcceptor acceptor = await StartAsync(books, log))
        {
            // Logon, three fills, a barrier, then the connection drops without a logout.
            await RunInitiatorAsync(directory, acceptor.Port, "first", "logon", Fill("E1", "100"), Fill("E2", "50"), Fill("E3", "30"), "sync one", "drop");
            CliResult three = await workspace.RunAsync("trades", "list");
            Assert.Equal(["E1", "E2", "E3"], three.Lines.Skip(1).Select(l => l.Split(',')[5]));

            // While disconnected the OMS "sends" two fills: QuickFIX stores them under their sequence
            // numbers. At logon the acceptor sees the gap, asks for a resend and books them; then
            // a bust of E2 and a correction of E3 arrive in sequence.
            string second = await RunInitiatorAsync(directory, acceptor.Port, "second",
                Fill("E4", "10"), Fill("E5", "20", side: "2"), "logon", "sync two",
                Fill("E6", "0", execType: "H", refId: "E2"), Fill("E7", "40", execType: "G", refId: "E3"), "sync three", "logout");
            Assert.Contains("35=2", second, StringComparison.Ordinal); // the ResendRequest QuickFIX received
            Assert.Contains("43=Y", second, StringComparison.Ordinal); // the fills it resent as possible duplicates
        }

        // A restart of the acceptor resumes the session where the books say it stands.
        await using (FixAcceptor restarted = await StartAsync(books, log))
        {
            await RunInitiatorAsync(directory, restarted.Port, "third", "logon", Fill("E8", "5"), "sync four", "logout");
        }

        CliResult trades = await workspace.RunAsync("trades", "list");
        string[] rows = [.. trades.Lines.Skip(1)];
        Assert.Equal(["E1", "E6", "E7", "E4", "E5", "E8"], rows.Select(r => r.Split(',')[5]));
        Assert.Equal(["active", "busted", "active", "active", "active", "active"], rows.Select(r => r.Split(',')[2]));
        Assert.Single((await workspace.RunAsync("exceptions", "list")).Lines);
        // E1 100 + E3 corrected to 40 + E4 10 - E5 20 + E8 5; E2 busted.
        CliResult balances = await workspace.RunAsync("balances");
        Assert.Contains("2100.C-1001,US0378331005,-135", balances.Lines);
        Assert.Equal(0, (await workspace.RunAsync("audit", "verify")).Exit);
        Assert.DoesNotContain("MsgSeqNum too low", log.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Invalid_messages_are_rejected_or_queued_and_the_session_stays_up(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string directory = Directory.CreateTempSubdirectory("quickfix-session-").FullName;
        var log = new StringWriter();
        await using IBackOfficeStore books = Open(workspace);
        string output;
        await using (FixAcceptor acceptor = await StartAsync(books, log))
        {
            output = await RunInitiatorAsync(directory, acceptor.Port, "invalid", "logon",
                Fill("V1", "10").Replace("|54=1|", "|54=Q|", StringComparison.Ordinal),   // not a Side: FIX Reject, then the queue
                Fill("V2", "10").Replace("|1=C-1001|", "|1=C-NOBODY|", StringComparison.Ordinal), // valid FIX, unknown account: the queue
                Fill("V3", "10"), "sync after", "logout");
        }
        // The acceptor answered the bad Side with a session-level Reject naming tag 54 and reason 5 (value incorrect).
        Assert.Contains(output.Split('\n'), line => line.StartsWith("RECEIVED-ADMIN ", StringComparison.Ordinal) && line.Contains("|35=3|", StringComparison.Ordinal)
            && line.Contains("|371=54|", StringComparison.Ordinal) && line.Contains("|373=5|", StringComparison.Ordinal));
        Assert.Contains("LOGOUT", output, StringComparison.Ordinal);
        CliResult exceptions = await workspace.RunAsync("exceptions", "list");
        Assert.Equal(3, exceptions.Lines.Length);
        Assert.Contains(",fix.enum,", exceptions.Lines[1], StringComparison.Ordinal);
        Assert.Contains(",V2,trade.account-unknown,", exceptions.Lines[2], StringComparison.Ordinal);
        // The session went on: the valid fill after them is booked.
        Assert.Equal(["V3"], (await workspace.RunAsync("trades", "list")).Lines.Skip(1).Select(l => l.Split(',')[5]));
        // Repairing the queued fill books it once.
        Assert.Equal(0, (await workspace.RunAsync("exceptions", "resubmit", "2", "--set", "account=C-1002")).Exit);
        Assert.Equal(3, (await workspace.RunAsync("trades", "list")).Lines.Length);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task An_acceptor_killed_mid_stream_restarts_and_the_resend_books_every_fill_once(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string directory = Directory.CreateTempSubdirectory("quickfix-crash-").FullName;
        // Enough fills that the kill, sent when the 20th booking is reported, lands mid-stream even
        // when the acceptor books faster than its log lines are read.
        const int fills = 2_000;
        string[] sends = [.. Enumerable.Range(1, fills).Select(i => Fill("K" + i.ToString(CultureInfo.InvariantCulture), "1"))];

        // The acceptor runs as its own process, killed (SIGKILL) once it has booked 20 fills.
        (Process first, int port) = await StartProcessAsync(workspace);
        Task<string> stream = RunInitiatorAsync(directory, port, "stream", ["logon", .. sends, "wait-disconnect"]);
        int booked = 0;
        while (await first.StandardError.ReadLineAsync() is { } line)
        {
            if (line.Contains(" new", StringComparison.Ordinal) || line.EndsWith(" booked", StringComparison.Ordinal))
            {
                if (++booked == 20)
                {
                    first.Kill();
                    break;
                }
            }
        }
        await first.WaitForExitAsync();
        await stream;
        int before = (await workspace.RunAsync("trades", "list", "--limit", "100000")).Lines.Length - 1;
        Assert.InRange(before, 20, fills - 1);

        // Restarted on the same books, it expects the first message it did not commit; QuickFIX
        // resends the rest, and every fill is booked exactly once.
        (Process second, int port2) = await StartProcessAsync(workspace);
        _ = second.StandardError.ReadToEndAsync();
        await RunInitiatorAsync(directory, port2, "resume", "logon", "sync resumed", "logout");
        second.Kill();
        await second.WaitForExitAsync();
        CliResult trades = await workspace.RunAsync("trades", "list", "--limit", "100000");
        string[] ids = [.. trades.Lines.Skip(1).Select(l => l.Split(',')[5])];
        Assert.Equal(fills, ids.Length);
        Assert.Equal(fills, ids.Distinct().Count());
        Assert.Contains($"2100.C-1001,US0378331005,-{fills}", (await workspace.RunAsync("balances")).Lines);
        Assert.Equal(0, (await workspace.RunAsync("audit", "verify")).Exit);
    }

    private static async Task<(Process Process, int Port)> StartProcessAsync(Workspace workspace)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "backoffice.dll"), "fix", "accept", "--port", "0" }.Concat(workspace.StoreArgs))
        {
            start.ArgumentList.Add(arg);
        }
        Process process = Process.Start(start)!;
        string first = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the acceptor printed nothing");
        _ = process.StandardOutput.ReadToEndAsync();
        return (process, int.Parse(first[(first.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
    }
}
