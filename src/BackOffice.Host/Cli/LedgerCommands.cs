using System.CommandLine;
using System.Globalization;
using BackOffice.Application.Ledger;
using BackOffice.Application.Ports;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.ReferenceData.Standards;
using BackOffice.Intake.Csv;
using BackOffice.Intake.Json;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Host.Cli;

/// <summary>init, post, reverse and balances.</summary>
internal static class LedgerCommands
{
    public static Command Init(CliContext context)
    {
        var command = new Command("init", "Create the database (or bring its schema up to date) and load the ISO 4217 currencies");
        command.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: true, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            var currencies = new ReferenceChanges { Currencies = CurrencyRegistry.All };
            CommandOutcome outcome = await services.ReferenceData.ImportAsync(currencies, null, services.Actor, null, ct);
            if (outcome.Rejection is { } rejection)
            {
                await context.RejectAsync(rejection);
                return ExitCodes.Refused;
            }
            await context.Output.WriteLineAsync($"initialised {services.Store.Kind} store; ISO 4217 currencies: {outcome.Result} ({outcome.Status.ToString().ToLowerInvariant()})");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Post(CliContext context)
    {
        var file = new Option<FileInfo>("--file") { Description = "journal entry file (JSON, docs/reference/formats.md)", Required = true };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = $"entries per database transaction (1 to {LedgerService.BatchSizeMax})",
            DefaultValueFactory = _ => LedgerService.BatchSizeDefault,
        };
        batchSize.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > LedgerService.BatchSizeMax)
            {
                r.AddError($"--batch-size must be 1 to {LedgerService.BatchSizeMax}");
            }
        });
        var dryRun = new Option<bool>("--dry-run") { Description = "validate and show what would be booked; write nothing" };
        var command = new Command("post", "Post journal entries from a file: validated whole, then booked in batches; a retry books nothing twice")
        {
            file, batchSize, dryRun,
        };
        command.SetAction(async (parsed, ct) =>
        {
            FileInfo input = parsed.GetValue(file)!;
            if (!input.Exists)
            {
                await context.Error.WriteLineAsync($"error: {input.Name}: file not found");
                return ExitCodes.Refused;
            }
            if (input.Length > JournalEntryFile.BytesMax)
            {
                await context.Error.WriteLineAsync($"error: {input.Name}: post.file-too-large: {input.Length} bytes; the limit is {JournalEntryFile.BytesMax} (split the file)");
                return ExitCodes.Refused;
            }
            Result<ParsedEntryFile> requests = JournalEntryFile.Parse(input.Name, await File.ReadAllBytesAsync(input.FullName, ct));
            if (requests.Rejection is { } parseError)
            {
                await context.RejectAsync(parseError);
                return ExitCodes.Refused;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            var options = new PostOptions(parsed.GetValue(batchSize), parsed.GetValue(dryRun), requests.Value.Locations);
            PostReport report = await services.Ledger.PostAsync(requests.Value.Entries, services.Actor, options,
                (batch, entries) => context.Error.WriteLine($"committed batch {batch} ({entries} entries so far)"), ct);
            if (report.Rejection is { } rejection)
            {
                await context.RejectAsync(rejection);
                await context.Error.WriteLineAsync(report.BatchesCommitted == 0 ? "nothing was booked" : $"{report.BatchesCommitted} batches were committed before the failure");
                return ExitCodes.Refused;
            }
            await context.Output.WriteLineAsync("key,entry_id,status");
            foreach (EntryOutcome entry in report.Entries)
            {
                await context.Output.WriteLineAsync(CsvText.Row(entry.Key, entry.EntryId.ToString(), Status(entry.Status)));
            }
            await context.Error.WriteLineAsync($"booked {report.BookedCount}, replayed {report.ReplayedCount}, in {report.BatchesCommitted} batches");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Reverse(CliContext context)
    {
        var entry = new Option<long>("--entry") { Description = "id of the journal entry to reverse", Required = true };
        var key = new Option<string>("--key") { Description = "idempotency key of the reversal", Required = true };
        var date = new Option<string>("--date") { Description = "effective date of the reversal (yyyy-MM-dd)", Required = true };
        var reason = new Option<string>("--reason") { Description = "why the entry is reversed", Required = true };
        var command = new Command("reverse", "Book the reversal of a journal entry (the only way to correct the books)") { entry, key, date, reason };
        command.SetAction(async (parsed, ct) =>
        {
            if (!TryDate(parsed.GetValue(date)!, out LocalDate effective))
            {
                await context.Error.WriteLineAsync("error: --date must be a date as yyyy-MM-dd");
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            var request = new ReversalRequest(parsed.GetValue(key)!, new JournalEntryId(parsed.GetValue(entry)), effective, parsed.GetValue(reason)!);
            CommandOutcome outcome = await services.Ledger.ReverseAsync(request, services.Actor, ct);
            if (outcome.Rejection is { } rejection)
            {
                await context.RejectAsync(rejection);
                return ExitCodes.Refused;
            }
            string id = outcome.Entries.IsEmpty ? "" : outcome.Entries[0].Id.ToString();
            await context.Output.WriteLineAsync($"{outcome.Status.ToString().ToLowerInvariant()}: {outcome.Result}{(id.Length > 0 ? " as entry " + id : "")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Balances(CliContext context)
    {
        var asOf = new Option<string?>("--as-of") { Description = "effective date (yyyy-MM-dd): entries effective on or before it" };
        var knownAt = new Option<string?>("--known-at") { Description = "recorded time (ISO 8601, e.g. 2026-11-27T18:00:00Z): what the books knew then" };
        var command = new Command("balances", "Print balances per ledger account and asset as CSV: ledger_account,asset,amount") { asOf, knownAt };
        command.SetAction(async (parsed, ct) =>
        {
            LocalDate? date = null;
            Instant? instant = null;
            if (parsed.GetValue(asOf) is { } a)
            {
                if (!TryDate(a, out LocalDate d))
                {
                    await context.Error.WriteLineAsync("error: --as-of must be a date as yyyy-MM-dd");
                    return ExitCodes.Usage;
                }
                date = d;
            }
            if (parsed.GetValue(knownAt) is { } k)
            {
                ParseResult<Instant> p = InstantPattern.ExtendedIso.Parse(k);
                if (!p.Success)
                {
                    await context.Error.WriteLineAsync("error: --known-at must be an instant such as 2026-11-27T18:00:00Z");
                    return ExitCodes.Usage;
                }
                instant = p.Value;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            await WriteBalancesAsync(context.Output, await services.Ledger.BalancesAsync(date, instant, ct));
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(Rebuild(context));
        return command;
    }

    private static Command Rebuild(CliContext context)
    {
        var check = new Option<bool>("--check") { Description = "only compare; exit 1 when the projection differs from the journal" };
        var command = new Command("rebuild", "Recompute balances from the journal and compare them with the maintained projection") { check };
        command.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            BalanceRebuild result = await services.Ledger.RebuildAsync(!parsed.GetValue(check), ct);
            foreach (string difference in result.Differences)
            {
                await context.Error.WriteLineAsync("difference: " + difference);
            }
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"rebuilt {result.RowCount} balances from the journal; {(result.Differences.Count == 0 ? "identical to the projection" : $"{result.Differences.Count} differences")}{(result.Replaced ? "; projection replaced" : "")}"));
            return result.Differences.Count == 0 || result.Replaced ? ExitCodes.Ok : ExitCodes.Refused;
        });
        return command;
    }

    public static async Task WriteBalancesAsync(TextWriter output, IReadOnlyList<BalanceLine> lines)
    {
        await output.WriteLineAsync("ledger_account,asset,amount");
        foreach (BalanceLine line in lines)
        {
            await output.WriteLineAsync(CsvText.Row(line.LedgerAccountCode, line.AssetCode, line.Amount.ToString(CultureInfo.InvariantCulture)));
        }
    }

    public static bool TryDate(string text, out LocalDate date)
    {
        ParseResult<LocalDate> result = LocalDatePattern.Iso.Parse(text);
        date = result.Success ? result.Value : default;
        return result.Success;
    }

    private static string Status(EntryStatus status) => status switch
    {
        EntryStatus.Booked => "booked",
        EntryStatus.Replayed => "replayed",
        _ => "would-book",
    };
}
