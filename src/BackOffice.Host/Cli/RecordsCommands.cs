using System.CommandLine;
using System.Globalization;
using BackOffice.Application.Records;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Records;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Host.Cli;

/// <summary>records: books-and-records bundles exported and verified, and the retention policy.</summary>
internal static class RecordsCommands
{
    public static Command Build(CliContext context) => new("records", "Books and records: export a date range as a bundle an auditor can verify, and the retention policy")
    {
        Export(context), Verify(context), Retention(context), Purge(context),
    };

    private static Command Export(CliContext context)
    {
        var from = new Option<string>("--from") { Description = "the first date of the range (yyyy-MM-dd)", Required = true };
        var to = new Option<string>("--to") { Description = "the last date of the range (yyyy-MM-dd)", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "the folder to write the bundle into (new or empty)", Required = true };
        var command = new Command("export", "Write the journal, the audit records, every message as received or sent, the trial balance, a README and a manifest for a date range")
        {
            from, to, output,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var (validFrom, first) = await context.DateOptionAsync(parsed.GetValue(from), "--from");
            var (validTo, last) = await context.DateOptionAsync(parsed.GetValue(to), "--to");
            if (!validFrom || !validTo || first is null || last is null)
            {
                return ExitCodes.Usage;
            }
            DirectoryInfo folder = parsed.GetValue(output)!;
            if (folder.Exists && folder.EnumerateFileSystemInfos().Any())
            {
                await context.RejectAsync(new Rejection("records.out-not-empty", "the bundle folder must be new or empty, so the bundle holds only what the manifest lists", "--out " + folder.Name));
                return ExitCodes.Refused;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            // The documents sent to clients are rendered as they were sent: without the fonts they cannot be, and the bundle would be short.
            try
            {
                Documents.DocumentFonts.Ensure();
            }
            catch (Documents.DocumentFontsMissingException missing)
            {
                await context.Error.WriteLineAsync($"error: {Documents.DocumentFontsMissingException.Rule}: {missing.Message}");
                return ExitCodes.Refused;
            }
            var exporter = new RecordsExporter(services.Store, services.Clock, Intake.Iso20022.Sese023.Bytes,
                (from, to, token) => DocumentCommands.ClientDocumentsAsync(services, from, to, token));
            Result<BundleManifest> exported = await exporter.ExportAsync(first.Value, last.Value, new DirectoryBundle(folder.FullName), ct);
            if (exported.Rejection is { } refused)
            {
                await context.RejectAsync(refused);
                return ExitCodes.Refused;
            }
            BundleManifest m = exported.Value;
            await context.Output.WriteLineAsync("from,to,files,audit_records,journal_entries,head_sequence,head_hash");
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{Iso(m.From)},{Iso(m.To)},{m.Files.Count + 2},{m.Chain.Records},{m.Chain.JournalEntries},{m.Chain.HeadSequence},{m.Chain.HeadHash}"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify(CliContext context)
    {
        var folder = new Argument<DirectoryInfo>("DIR") { Description = "the bundle folder" };
        var command = new Command("verify", "Check a bundle with no database: every file against the manifest, the audit chain recomputed, every journal entry balanced") { folder };
        command.SetAction(async (parsed, ct) =>
        {
            DirectoryInfo dir = parsed.GetValue(folder)!;
            if (!dir.Exists)
            {
                await context.Error.WriteLineAsync($"error: {dir.Name}: no such folder");
                return ExitCodes.Refused;
            }
            BundleVerification result = await BundleVerifier.VerifyAsync(new DirectoryBundle(dir.FullName), ct);
            foreach (string line in result.Checked)
            {
                await context.Output.WriteLineAsync("checked " + line);
            }
            foreach (BundleProblem problem in result.Problems)
            {
                await context.Error.WriteLineAsync("problem: " + problem);
            }
            if (!result.IsVerified)
            {
                await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"bundle NOT verified: {result.Problems.Count} problems"));
                return ExitCodes.Refused;
            }
            await context.Output.WriteLineAsync("bundle verified");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Retention(CliContext context)
    {
        var years = new Option<int?>("--set-years") { Description = $"keep records this many years (at least {RetentionPolicy.YearsMin}); an audited command" };
        var command = new Command("retention", "Print the retention policy in force as CSV: years,years_min,purge_before_latest,set_by_sequence; --set-years changes it") { years };
        command.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            var records = new RecordsService(services.Store, services.Processor);
            if (parsed.GetValue(years) is { } wanted)
            {
                CommandOutcome outcome = await records.SetRetentionAsync(wanted, services.Actor, ct);
                if (outcome.Rejection is { } refused)
                {
                    await context.RejectAsync(refused);
                    return ExitCodes.Refused;
                }
                await context.Error.WriteLineAsync(outcome.Result);
            }
            (RetentionPolicy policy, AuditSequence? setBy) = await records.RetentionAsync(ct);
            await context.Output.WriteLineAsync("years,years_min,purge_before_latest,set_by_sequence");
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{policy.Years},{RetentionPolicy.YearsMin},{Iso(policy.PurgeBeforeLatest(Today(services)))},{(setBy is { } s ? s.Value.ToString(CultureInfo.InvariantCulture) : "")}"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Purge(CliContext context)
    {
        var before = new Option<string>("--before") { Description = "records dated before this date (yyyy-MM-dd)", Required = true };
        var command = new Command("purge", "Check a purge of records dated before a date against the retention policy and report what is eligible (a dry run: nothing is removed)")
        {
            before,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var (valid, date) = await context.DateOptionAsync(parsed.GetValue(before), "--before");
            if (!valid || date is null)
            {
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            Result<PurgeReport> report = await new RecordsService(services.Store, services.Processor).CheckPurgeAsync(date.Value, Today(services), ct);
            if (report.Rejection is { } refused)
            {
                await context.RejectAsync(refused);
                return ExitCodes.Refused;
            }
            PurgeReport r = report.Value;
            await context.Output.WriteLineAsync("before,journal_entries,audit_records,trade_messages,files,removed");
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{Iso(r.Before)},{r.Eligible.JournalEntries},{r.Eligible.AuditRecords},{r.Eligible.TradeMessages},{r.Eligible.Files},0"));
            await context.Error.WriteLineAsync("dry run: these records are past retention; nothing was removed (docs/reference/records.md)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static LocalDate Today(Services services) => services.Clock.GetCurrentInstant().InUtc().Date;

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);
}

/// <summary>A bundle in a folder on disk.</summary>
internal sealed class DirectoryBundle(string root) : IBundleFiles
{
    public IReadOnlyList<string> List() =>
        Directory.Exists(root)
            ? [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
                .Order(StringComparer.Ordinal)]
            : [];

    public bool Exists(string path) => RecordsBundle.IsSafePath(path) && File.Exists(Full(path));

    public Stream OpenRead(string path) => File.OpenRead(Full(path));

    public Stream Create(string path)
    {
        string full = Full(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return File.Create(full);
    }

    private string Full(string path)
    {
        if (!RecordsBundle.IsSafePath(path))
        {
            throw new ArgumentException($"'{path}' is not a path inside the bundle", nameof(path));
        }
        return Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar));
    }
}
