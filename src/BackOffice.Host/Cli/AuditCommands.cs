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
        return new Command("audit", "The hash-chained audit trail") { verify };
    }

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
