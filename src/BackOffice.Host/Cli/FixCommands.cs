using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using BackOffice.Host.Fix;
using NodaTime;

namespace BackOffice.Host.Cli;

/// <summary>fix accept: the FIX 4.4 drop-copy acceptor, until interrupted.</summary>
internal static class FixCommands
{
    public static Command Build(CliContext context)
    {
        var port = new Option<int>("--port") { Description = "TCP port to listen on", DefaultValueFactory = _ => 9878 };
        var listen = new Option<string>("--listen") { Description = "address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var compId = new Option<string>("--comp-id") { Description = "our CompID: initiators send it as TargetCompID(56)", DefaultValueFactory = _ => "BACKOFFICE" };
        var accept = new Command("accept", "Accept FIX 4.4 drop-copy sessions and book their trades until interrupted (Ctrl-C)") { port, listen, compId };
        accept.SetAction(async (parsed, ct) =>
        {
            if (!IPAddress.TryParse(parsed.GetValue(listen), out IPAddress? address))
            {
                await context.Error.WriteLineAsync($"error: --listen '{parsed.GetValue(listen)}' is not an IP address");
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            await using var acceptor = new FixAcceptor(services.Store, services.Trades, parsed.GetValue(compId)!, services.Actor, SystemClock.Instance, context.Error);
            acceptor.Start(address, parsed.GetValue(port));
            await context.Output.WriteLineAsync($"accepting FIX 4.4 sessions for {parsed.GetValue(compId)} on {address}:{acceptor.Port}");
            using var stopped = new SemaphoreSlim(0);
            using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => { signal.Cancel = true; stopped.Release(); });
            using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; stopped.Release(); });
            try
            {
                await stopped.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
            }
            await context.Output.WriteLineAsync("stopped");
            return ExitCodes.Ok;
        });
        return new Command("fix", "FIX 4.4 drop copy from the front office") { accept };
    }
}
