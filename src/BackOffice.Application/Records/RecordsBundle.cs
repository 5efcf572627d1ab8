using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Application.Records;

/// <summary>
/// Where everything sits in a records bundle (docs/reference/records.md), and the limits a
/// verifier holds a bundle to. Paths inside a bundle use '/' whatever the machine.
/// </summary>
public static class RecordsBundle
{
    /// <summary>The bundle format named in the manifest; a verifier refuses any other.</summary>
    public const string FormatName = "backoffice-records-bundle/1";

    /// <summary>Every file with its size and SHA-256, the range, the chain, the retention policy.</summary>
    public const string ManifestPath = "manifest.json";

    /// <summary>The SHA-256 of the manifest in <c>sha256sum</c> form, so the manifest itself cannot change unseen.</summary>
    public const string ManifestSealPath = "manifest.sha256";

    /// <summary>What the bundle is and how to check it, for an auditor.</summary>
    public const string ReadmePath = "README.md";

    /// <summary>The journal entries (JSON Lines, one entry with its postings per line).</summary>
    public const string JournalPath = "journal/entries.jsonl";

    /// <summary>The audit records (JSON Lines, one record per line, with its hash and the hash it links to).</summary>
    public const string AuditPath = "audit/records.jsonl";

    /// <summary>Each trade version's message exactly as it came in (JSON Lines).</summary>
    public const string TradeMessagesPath = "messages/trades.jsonl";

    /// <summary>Each message refused or parked in the exceptions queue, exactly as it came in (JSON Lines).</summary>
    public const string ExceptionsPath = "messages/exceptions.jsonl";

    /// <summary>One row per whole file under <c>messages/</c>: direction, kind, name, when, audit record, SHA-256.</summary>
    public const string MessageIndexPath = "messages/index.csv";

    /// <summary>The header of <see cref="MessageIndexPath"/>.</summary>
    public const string MessageIndexHeader = "path,direction,kind,name,at,audit_sequence,sha256";

    /// <summary>Most problems a verification lists before it stops counting.</summary>
    public const int ProblemsMax = 200;

    /// <summary>The trial balance as of the end of the range.</summary>
    public static string TrialBalancePath(LocalDate to) => "reports/trial-balance-" + Iso(to) + ".csv";

    /// <summary>Where a whole file kept byte for byte goes: <c>messages/{direction}/{kind}/{number}-{name}</c>, its name made safe for any file system.</summary>
    public static string MessageFilePath(string direction, string kind, long number, string name)
    {
        var safe = new System.Text.StringBuilder(name.Length);
        foreach (char c in name)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }
        string file = safe.Length == 0 || safe.ToString().Trim('.').Length == 0 ? "file" : safe.ToString();
        return string.Create(CultureInfo.InvariantCulture, $"messages/{direction}/{kind}/{number:D6}-{file}");
    }

    /// <summary>True when <paramref name="path"/> is a plain relative path inside the bundle (no '..', no root, no backslash, no empty part).</summary>
    public static bool IsSafePath(string path) =>
        path.Length is > 0 and <= 1024 && !path.StartsWith('/') && !path.Contains('\\', StringComparison.Ordinal) && !path.Contains(':', StringComparison.Ordinal)
        && path.Split('/').All(part => part.Length > 0 && part != "." && part != "..");

    internal static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    internal static string Iso(Instant instant) => InstantPattern.ExtendedIso.Format(instant);
}
