using System.CommandLine;
using System.Globalization;
using BackOffice.Application.Audit;
using BackOffice.Domain.Primitives;

namespace BackOffice.Host.Cli;

/// <summary>audit verify.</summary>
internal static class AuditCommands
{
    public static Command Build(CliContext context)
    {
        var anchor = new Option<string?>("--anchor")
        {
            Description = "SEQUENCE:HASH of a head printed earlier and kept elsewhere; verification fails if the trail no longer has it",
        };
        var verify = new Command("verify", "Re-walk the audit chain and the journal, recomputing every hash; exit 1 naming the first bad record") { anchor };
        verify.SetAction(async (parsed, ct) =>
        {
            AuditAnchor? expected = null;
            if (parsed.GetValue(anchor) is { } text)
            {
                if (!TryParseAnchor(text, out AuditAnchor value))
                {
                    await context.Error.WriteLineAsync("error: --anchor must be SEQUENCE:HASH, e.g. 42:3f1c...(64 hex digits)");
                    return ExitCodes.Usage;
                }
                expected = value;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            AuditVerification result = await services.Audit.VerifyAsync(expected, ct);
            if (!result.IsIntact)
            {
                await context.Error.WriteLineAsync("audit verify FAILED: " + result.Problem);
                await context.Output.WriteLineAsync($"last good record: {result.HeadSequence} {result.HeadHash}");
                return ExitCodes.Refused;
            }
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"audit trail intact: {result.RecordCount} audit records, {result.EntryCount} journal entries"));
            await context.Output.WriteLineAsync($"head: {result.HeadSequence}:{result.HeadHash}");
            return ExitCodes.Ok;
        });
        return new Command("audit", "The hash-chained audit trail") { verify, Log(context) };
    }

    private static Command Log(CliContext context)
    {
        var from = new Option<long>("--from") { Description = "first audit sequence to print", DefaultValueFactory = _ => 1 };
        var limit = new Option<int>("--limit") { Description = $"most records to print (1 to {LogLimitMax})", DefaultValueFactory = _ => 1000 };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > LogLimitMax)
            {
                r.AddError($"--limit must be 1 to {LogLimitMax}");
            }
        });
        var log = new Command("log", "Print audit records as CSV: sequence,recorded_at,actor,command_type,idempotency_key,payload_hash,result,entry_count,hash")
        {
            from, limit,
        };
        log.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            long first = parsed.GetValue(from);
            int count = 0, max = parsed.GetValue(limit);
            await context.Output.WriteLineAsync("sequence,recorded_at,actor,command_type,idempotency_key,payload_hash,result,entry_count,hash");
            await foreach (Domain.Audit.AuditRecord record in services.Store.ReadAuditRecordsAsync(ct))
            {
                if (record.Sequence.Value < first)
                {
                    continue;
                }
                if (count++ == max)
                {
                    break;
                }
                await context.Output.WriteLineAsync(Intake.Csv.CsvText.Row(record.Sequence.ToString(),
                    NodaTime.Text.InstantPattern.ExtendedIso.Format(record.RecordedAt), record.Actor, record.CommandType, record.Key.Value,
                    record.PayloadHash.ToString(), record.Result, record.EntryCount.ToString(CultureInfo.InvariantCulture), record.Hash.ToString()));
            }
            return ExitCodes.Ok;
        });
        return log;
    }

    /// <summary>Most audit records one <c>audit log</c> prints.</summary>
    private const int LogLimitMax = 100_000;

    private static bool TryParseAnchor(string text, out AuditAnchor anchor)
    {
        anchor = default;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out long sequence)
            || !Sha256Hash.TryParseHex(text[(colon + 1)..], out Sha256Hash hash))
        {
            return false;
        }
        anchor = new AuditAnchor(new AuditSequence(sequence), hash);
        return true;
    }
}
