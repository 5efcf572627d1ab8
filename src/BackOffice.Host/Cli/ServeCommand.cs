using System.CommandLine;
using System.Net;
using BackOffice.Application.EndOfDay;
using BackOffice.Host.Api;
using BackOffice.Host.Fix;
using Microsoft.AspNetCore.Builder;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Host.Cli;

/// <summary>
/// serve: the HTTP API and the console over the embedded database or PostgreSQL, until stopped;
/// with the singleton work (the scheduled end of day, the FIX acceptor) run by whichever instance
/// holds its lease.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The lease of the scheduler (the end of day at its time).</summary>
    public const string SchedulerLease = "scheduler";

    /// <summary>The lease of the sweep that ends expired buying-power holds.</summary>
    public const string HoldsLease = "holds";

    /// <summary>The lease of the FIX acceptor.</summary>
    public const string FixLease = "fix";

    /// <summary>
    /// The most characters read from a console key file: the key is 44 characters of base64, and a
    /// larger file is not a key file (nor read whole to find out).
    /// </summary>
    public const int ConsoleKeyFileCharsMax = 1024;

    public static Command Build(CliContext context)
    {
        var urls = new Option<string>("--urls") { Description = "where to listen", DefaultValueFactory = _ => ApiServer.DefaultUrls };
        var rateLimit = new Option<int>("--rate-limit") { Description = "requests per second one caller may send (more get 429)", DefaultValueFactory = _ => ApiServer.RateLimitDefault };
        var eodAt = new Option<string?>("--eod-at") { Description = "run the end of day of the business date every day at this UTC time (HH:mm), on the instance holding the scheduler lease" };
        var fixPort = new Option<int?>("--fix-port") { Description = "accept FIX 4.4 drop copy on this port, on the instance holding the fix lease" };
        var fixCompId = new Option<string>("--fix-comp-id") { Description = "our FIX CompID", DefaultValueFactory = _ => "BACKOFFICE" };
        var oidcAuthority = new Option<string?>("--oidc-authority") { Description = "accept bearer tokens from this OpenID Connect provider (its discovery document gives the keys)" };
        var oidcAudience = new Option<string>("--oidc-audience") { Description = "the audience bearer tokens must be for", DefaultValueFactory = _ => "backoffice" };
        var oidcRoleClaim = new Option<string>("--oidc-role-claim") { Description = "the token claim that names the user's BackOffice role", DefaultValueFactory = _ => "roles" };
        var withdrawalLimit = new Option<decimal>("--withdrawal-limit")
        {
            Description = "cash withdrawals above this amount (in their currency) wait for a checker's approval",
            DefaultValueFactory = _ => Services.WithdrawalLimitDefault,
        };
        var consoleKeyFile = new Option<string?>("--console-key-file")
        {
            Description = "encrypt the console's session keys in the database with the 256-bit key in this file, as base64 on one line (head -c 32 /dev/urandom | base64)",
        };
        var command = new Command("serve", "Serve the HTTP API and the operations console until stopped; run the scheduled end of day and the FIX acceptor under leases")
        {
            urls, rateLimit, eodAt, fixPort, fixCompId, oidcAuthority, oidcAudience, oidcRoleClaim, withdrawalLimit, consoleKeyFile,
        };
        command.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(rateLimit) < 1)
            {
                await context.Error.WriteLineAsync("--rate-limit must be at least 1 request a second");
                return ExitCodes.Usage;
            }
            if (parsed.GetValue(withdrawalLimit) < 0)
            {
                await context.Error.WriteLineAsync("--withdrawal-limit must not be negative (0: every withdrawal needs a checker)");
                return ExitCodes.Usage;
            }
            LocalTime? at = null;
            if (parsed.GetValue(eodAt) is { } text)
            {
                ParseResult<LocalTime> time = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(text);
                if (!time.Success)
                {
                    await context.Error.WriteLineAsync($"error: --eod-at must be a UTC time as HH:mm, not '{text}'");
                    return ExitCodes.Usage;
                }
                at = time.Value;
            }
            byte[]? consoleKey = null;
            if (parsed.GetValue(consoleKeyFile) is { } keyFile)
            {
                (consoleKey, string? keyError) = await ReadConsoleKeyAsync(keyFile, ct);
                if (keyError is not null)
                {
                    await context.Error.WriteLineAsync(keyError);
                    return ExitCodes.Usage;
                }
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            services.WithdrawalLimit = parsed.GetValue(withdrawalLimit);
            if (Web.ConsoleKeyCheck.Problem(await services.Store.ReadDataProtectionKeysAsync(ct), consoleKey) is { } keyProblem)
            {
                await context.Error.WriteLineAsync("error: " + keyProblem);
                return ExitCodes.Refused;
            }
            if (consoleKey is null)
            {
                await context.Error.WriteLineAsync("warning: console keys are stored unencrypted in the database (anyone who can read it can forge console sessions); give --console-key-file to encrypt them");
            }
            var singletons = new SingletonWork(services.Store, context.Error);
            BearerOptions? bearer = parsed.GetValue(oidcAuthority) is { } authority
                ? new BearerOptions(parsed.GetValue(oidcAudience)!, Authority: authority, RoleClaim: parsed.GetValue(oidcRoleClaim)!)
                : null;
            await using WebApplication app = ApiServer.Build(services, parsed.GetValue(urls)!, parsed.GetValue(rateLimit), singletons, bearer, consoleKey);
            await app.StartAsync(ct);
            await context.Output.WriteLineAsync($"serving {services.Store.Kind} on {string.Join(", ", app.Urls)} as {singletons.Instance}; stop with Ctrl+C");
            // The host turns SIGTERM and Ctrl+C into "stopping"; the command line's token is the other way to stop.
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct, app.Lifetime.ApplicationStopping);
            var work = new List<Task>
            {
                singletons.RunAsync(SchedulerLease, token => ScheduleAsync(services, at, context.Error, token), stopping.Token),
                singletons.RunAsync(HoldsLease, token => SweepHoldsAsync(services, token), stopping.Token),
            };
            if (parsed.GetValue(fixPort) is { } port)
            {
                work.Add(singletons.RunAsync(FixLease, token => AcceptFixAsync(services, port, parsed.GetValue(fixCompId)!, context.Error, token), stopping.Token));
            }
            try
            {
                await Task.Delay(Timeout.Infinite, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                // Stop taking requests, finish those in flight, give the leases up.
            }
            await Task.WhenAll(work);
            await app.StopAsync(CancellationToken.None);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The 256-bit key in the file at <paramref name="path"/> (base64), or the usage error that says why it is not one.</summary>
    private static async Task<(byte[]? Key, string? Error)> ReadConsoleKeyAsync(string path, CancellationToken ct)
    {
        const string rule = "a 256-bit key as base64 on one line (head -c 32 /dev/urandom | base64)";
        var text = new char[ConsoleKeyFileCharsMax];
        int read;
        try
        {
            using var reader = new StreamReader(path);
            read = await reader.ReadBlockAsync(text, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (null, $"error: --console-key-file must be a readable file holding {rule}; '{path}': {e.Message}");
        }
        byte[] key = new byte[ConsoleKeyFileCharsMax];
        return read < ConsoleKeyFileCharsMax && Convert.TryFromBase64Chars(text.AsSpan(0, read).Trim(), key, out int written) && written == Web.ConsoleKeyMaterial.KeyBytes
            ? (key[..written], null)
            : (null, $"error: --console-key-file must hold {rule}; '{path}' does not");
    }

    /// <summary>The scheduler: each day at <paramref name="at"/> (UTC), the end of day of the business date. Without a time it only holds the lease.</summary>
    private static async Task ScheduleAsync(Services services, LocalTime? at, TextWriter log, CancellationToken token)
    {
        if (at is not { } time)
        {
            await Task.Delay(Timeout.Infinite, token);
            return;
        }
        var eod = services.Eod();
        while (true)
        {
            Instant now = services.Clock.GetCurrentInstant();
            LocalDate today = now.InUtc().Date;
            Instant next = today.At(time).InUtc().ToInstant();
            if (next <= now)
            {
                next = today.PlusDays(1).At(time).InUtc().ToInstant();
            }
            await Task.Delay((next - now).ToTimeSpan(), token);
            LocalDate date = await eod.BusinessDateAsync(services.Clock.GetCurrentInstant().InUtc().Date, EodService.DefaultCalendar, token);
            EodRun run = await eod.RunAsync(date, "scheduler", 0, EodService.DefaultCalendar, null, token);
            await log.WriteLineAsync(run.Failure is { } failure
                ? $"scheduled end of day {LocalDatePattern.Iso.Format(date)} stopped at {run.FailedStep}: {failure}"
                : $"scheduled end of day {LocalDatePattern.Iso.Format(date)} done");
        }
    }

    /// <summary>Every 10 seconds, the holds past their time are reversed (a new hold on an account also ends that account's first).</summary>
    private static async Task SweepHoldsAsync(Services services, CancellationToken token)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        while (await timer.WaitForNextTickAsync(token))
        {
            await services.Holds.ExpireAsync("holds-sweep", token);
        }
    }

    private static async Task AcceptFixAsync(Services services, int port, string compId, TextWriter log, CancellationToken token)
    {
        await using var acceptor = new FixAcceptor(services.Store, services.Trades, compId, "fix", SystemClock.Instance, log);
        acceptor.Start(IPAddress.Loopback, port);
        await log.WriteLineAsync($"accepting FIX 4.4 sessions for {compId} on port {acceptor.Port}");
        await Task.Delay(Timeout.Infinite, token);
    }
}
