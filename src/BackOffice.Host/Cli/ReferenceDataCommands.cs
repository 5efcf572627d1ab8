using System.CommandLine;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using BackOffice.Intake.ReferenceData;

namespace BackOffice.Host.Cli;

/// <summary>refdata import: currencies, markets, instruments, parties, client accounts, books, ledger accounts.</summary>
internal static class ReferenceDataCommands
{
    public static Command Build(CliContext context)
    {
        var kind = new Option<string>("--kind")
        {
            Description = "what the file holds: " + string.Join("|", ReferenceDataFile.KindNames.Keys),
            Required = true,
        };
        kind.AcceptOnlyFromAmong([.. ReferenceDataFile.KindNames.Keys]);
        var file = new Option<FileInfo>("--file") { Description = "CSV (header row) or JSON (array of objects) file; chosen by extension", Required = true };
        var key = new Option<string?>("--key") { Description = "idempotency key (default: derived from the content, so the same file loads once)" };
        var import = new Command("import", "Validate a reference-data file whole and load it in one audited command") { kind, file, key };
        import.SetAction(async (parsed, ct) =>
        {
            FileInfo input = parsed.GetValue(file)!;
            if (!input.Exists)
            {
                await context.Error.WriteLineAsync($"error: {input.Name}: file not found");
                return ExitCodes.Refused;
            }
            ReferenceKind referenceKind = ReferenceDataFile.KindNames[parsed.GetValue(kind)!];
            bool isJson = input.Extension.Equals(".json", StringComparison.OrdinalIgnoreCase);
            Result<ParsedReferenceFile> changes = ReferenceDataFile.Parse(referenceKind, input.Name, await File.ReadAllTextAsync(input.FullName, ct), isJson);
            if (changes.Rejection is { } parseError)
            {
                await context.RejectAsync(parseError);
                return ExitCodes.Refused;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            CommandOutcome outcome = await services.ReferenceData.ImportAsync(changes.Value.Changes, changes.Value.Locations, services.Actor, parsed.GetValue(key), ct);
            if (outcome.Rejection is { } rejection)
            {
                await context.RejectAsync(rejection);
                await context.Error.WriteLineAsync("nothing was loaded");
                return ExitCodes.Refused;
            }
            await context.Output.WriteLineAsync($"{outcome.Status.ToString().ToLowerInvariant()}: {outcome.Result} (audit record {outcome.Sequence})");
            // Onboarding: new or renamed account holders and parties are screened at once when a sanctions list is loaded.
            if (outcome.Status == CommandStatus.Accepted && (changes.Value.Changes.ClientAccounts.Count > 0 || changes.Value.Changes.Parties.Count > 0)
                && await services.Compliance.LatestVersionAsync(ct) is not null)
            {
                Application.Compliance.ScreeningRun screened = await services.Compliance.ScreenAsync(services.Actor, ct);
                await context.Output.WriteLineAsync("screening: " + screened.Outcome.Result);
            }
            return ExitCodes.Ok;
        });
        return new Command("refdata", "Reference data: currencies, markets, instruments, parties, client accounts, books, chart of accounts, marks, interest rates, splits, settlement parameters") { import };
    }
}
