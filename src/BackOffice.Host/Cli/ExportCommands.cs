using System.CommandLine;
using BackOffice.Application.Exports;

namespace BackOffice.Host.Cli;

/// <summary>export hledger and export beancount: the books in formats independent tools read.</summary>
internal static class ExportCommands
{
    public static Command Build(CliContext context)
    {
        var export = new Command("export", "Export the books for independent tools");
        export.Subcommands.Add(Hledger(context));
        export.Subcommands.Add(Beancount(context));
        return export;
    }

    private static Command Beancount(CliContext context)
    {
        var output = new Option<FileInfo?>("--out") { Description = "file to write (default: standard output)" };
        var asOf = new Option<string?>("--as-of") { Description = "only trades with a trade date on or before this date (yyyy-MM-dd)" };
        var method = new Option<string>("--method") { Description = "the booking method beancount relieves lots by: fifo or lifo", DefaultValueFactory = _ => "fifo" };
        var command = new Command("beancount", "Write the client accounts' stock record at cost (one lot per fill) as a beancount file") { output, asOf, method };
        command.SetAction(async (parsed, ct) =>
        {
            string? booking = parsed.GetValue(method)?.ToLowerInvariant() switch { "fifo" => "FIFO", "lifo" => "LIFO", _ => null };
            if (booking is null)
            {
                await context.Error.WriteLineAsync("error: --method must be fifo or lifo (the booking methods beancount has)");
                return ExitCodes.Usage;
            }
            var (valid, date) = await context.DateOptionAsync(parsed.GetValue(asOf), "--as-of");
            if (!valid)
            {
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            var clients = (await services.Store.ReadTradeReferenceAsync(ct)).ClientAccounts.Keys;
            await WriteAsync(context, parsed.GetValue(output), writer => BeancountFile.WriteAsync(writer, services.Store.ReadActiveTradesInExecutionOrderAsync(date, ct),
                clients, BeancountFile.OpenedOn, booking, ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Writes to the file (whole or not at all: written beside it and moved into place) or to standard output.</summary>
    private static async Task WriteAsync(CliContext context, FileInfo? file, Func<TextWriter, Task> write)
    {
        if (file is null)
        {
            await write(context.Output);
            return;
        }
        string temporary = file.FullName + ".partial";
        await using (var writer = new StreamWriter(temporary, append: false, new System.Text.UTF8Encoding(false)))
        {
            await write(writer);
        }
        File.Move(temporary, file.FullName, overwrite: true);
    }

    private static Command Hledger(CliContext context)
    {
        var output = new Option<FileInfo?>("--out") { Description = "file to write (default: standard output)" };
        var asOf = new Option<string?>("--as-of") { Description = "only entries effective on or before this date (yyyy-MM-dd)" };
        var command = new Command("hledger", "Write the ledger (cash and stock record) as an hledger journal") { output, asOf };
        command.SetAction(async (parsed, ct) =>
        {
            var (valid, date) = await context.DateOptionAsync(parsed.GetValue(asOf), "--as-of");
            if (!valid)
            {
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            var reference = await services.Store.ReadAllReferenceAsync(ct);
            await WriteAsync(context, parsed.GetValue(output), writer => HledgerJournal.WriteAsync(writer, reference, services.Store.ReadEntriesAsync(ct), date, ct));
            return ExitCodes.Ok;
        });
        return command;
    }
}
