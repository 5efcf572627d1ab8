using System.CommandLine;
using BackOffice.Application.Exports;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Host.Cli;

/// <summary>export hledger: the ledger in a format an independent tool reads.</summary>
internal static class ExportCommands
{
    public static Command Build(CliContext context)
    {
        var export = new Command("export", "Export the books for independent tools");
        export.Subcommands.Add(Hledger(context));
        return export;
    }

    private static Command Hledger(CliContext context)
    {
        var output = new Option<FileInfo?>("--out") { Description = "file to write (default: standard output)" };
        var asOf = new Option<string?>("--as-of") { Description = "only entries effective on or before this date (yyyy-MM-dd)" };
        var command = new Command("hledger", "Write the ledger (cash and stock record) as an hledger journal") { output, asOf };
        command.SetAction(async (parsed, ct) =>
        {
            LocalDate? date = null;
            if (parsed.GetValue(asOf) is { } text)
            {
                ParseResult<LocalDate> d = LocalDatePattern.Iso.Parse(text);
                if (!d.Success)
                {
                    await context.Error.WriteLineAsync("error: --as-of must be a date as yyyy-MM-dd");
                    return ExitCodes.Usage;
                }
                date = d.Value;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            var reference = await services.Store.ReadAllReferenceAsync(ct);
            if (parsed.GetValue(output) is { } file)
            {
                // Written next to the target and moved into place: a reader never sees half a journal.
                string temporary = file.FullName + ".partial";
                await using (var writer = new StreamWriter(temporary, append: false, new System.Text.UTF8Encoding(false)))
                {
                    await HledgerJournal.WriteAsync(writer, reference, services.Store.ReadEntriesAsync(ct), date, ct);
                }
                File.Move(temporary, file.FullName, overwrite: true);
            }
            else
            {
                await HledgerJournal.WriteAsync(context.Output, reference, services.Store.ReadEntriesAsync(ct), date, ct);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
