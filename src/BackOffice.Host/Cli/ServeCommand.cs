using System.CommandLine;
using BackOffice.Host.Api;
using Microsoft.AspNetCore.Builder;

namespace BackOffice.Host.Cli;

/// <summary>serve: the HTTP API over the embedded database or PostgreSQL, until stopped.</summary>
internal static class ServeCommand
{
    public static Command Build(CliContext context)
    {
        var urls = new Option<string>("--urls") { Description = "where to listen", DefaultValueFactory = _ => ApiServer.DefaultUrls };
        var rateLimit = new Option<int>("--rate-limit") { Description = "requests per second one caller may send (more get 429)", DefaultValueFactory = _ => ApiServer.RateLimitDefault };
        var command = new Command("serve", "Serve the HTTP API (health, balances, trades and trade submission, settlement instructions; OpenAPI at /openapi/v1.json) until stopped") { urls, rateLimit };
        command.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            if (parsed.GetValue(rateLimit) < 1)
            {
                await context.Error.WriteLineAsync("--rate-limit must be at least 1 request a second");
                return ExitCodes.Usage;
            }
            await using WebApplication app = ApiServer.Build(services, parsed.GetValue(urls)!, parsed.GetValue(rateLimit));
            await app.StartAsync(ct);
            await context.Output.WriteLineAsync($"serving {services.Store.Kind} on {string.Join(", ", app.Urls)}; stop with Ctrl+C");
            // The host turns SIGTERM and Ctrl+C into "stopping"; the command line's token is the other way to stop.
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct, app.Lifetime.ApplicationStopping);
            try
            {
                await Task.Delay(Timeout.Infinite, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: stop taking requests, finish those in flight.
            }
            await app.StopAsync(CancellationToken.None);
            return ExitCodes.Ok;
        });
        return command;
    }
}
