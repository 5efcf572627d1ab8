using System.Collections.Frozen;
using BackOffice.Domain.Primitives;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Domain.ReferenceData.Standards;

/// <summary>Whether a MIC names a whole market operator or a part of one (ISO 10383 "OPRT/SGMT").</summary>
public enum MicKind
{
    /// <summary>An operating MIC: the entity that runs an exchange, platform or reporting facility. Its operating MIC is itself.</summary>
    Operating = 1,

    /// <summary>A segment MIC: a section of an operator, for instance a dark book or a growth market. Its operating MIC is its parent.</summary>
    Segment = 2,
}

/// <summary>The registry status of a MIC, as published by SWIFT.</summary>
public enum MicStatus
{
    /// <summary>In use.</summary>
    Active = 1,

    /// <summary>In use, and changed in the latest publication (name, operator or category).</summary>
    Updated = 2,

    /// <summary>Withdrawn; kept in the registry so old trades still resolve. Not valid for new trades.</summary>
    Expired = 3,
}

/// <summary>
/// One entry of the ISO 10383 registry of market identifier codes: the four-character MIC, the
/// operating MIC above it (itself for an operating MIC), the market name, the ISO 3166 country
/// (<c>ZZ</c> for the registry's country-less codes such as XOFF and XXXX), the status, and the
/// date an expired MIC stopped being valid.
/// </summary>
/// <remarks>
/// For an entry in use, the operating MIC is always an operating entry. Eight expired segments name
/// a parent that is itself a segment (for example EXPA, merged into MTAA in 2009): the registry keeps
/// such history as it was, and so does this list.
/// </remarks>
public sealed record MicEntry(string Mic, MicKind Kind, MicStatus Status, string OperatingMic, string MarketName, string CountryCode, LocalDate? ExpiryDate)
{
    /// <summary>True for Active and Updated entries: a trade may name this venue.</summary>
    public bool IsInUse => Status != MicStatus.Expired;
}

/// <summary>
/// The ISO 10383 market identifier codes, every entry the registration authority (SWIFT) publishes,
/// expired ones included. Loaded once, on first use, from <c>iso10383-mic.csv</c> embedded in this
/// assembly; the source, snapshot date and terms are in the README beside that file and in
/// <c>docs/reference/identifiers.md</c>. Look-up is exact: MICs are upper case.
/// </summary>
public static class MicRegistry
{
    /// <summary>The embedded file the registry is read from.</summary>
    public const string FileName = "iso10383-mic.csv";

    /// <summary>The date of the SWIFT publication the embedded file was taken from.</summary>
    public static LocalDate SnapshotDate { get; } = new(2026, 9, 23);

    private static readonly Lazy<FrozenDictionary<string, MicEntry>> ByMic = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<IReadOnlyList<MicEntry>> Ordered = new(
        () => [.. ByMic.Value.Values.OrderBy(e => e.Mic, StringComparer.Ordinal)], LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Number of entries, expired ones included (2,883 in the shipped snapshot).</summary>
    public static int Count => ByMic.Value.Count;

    /// <summary>Every entry, in alphabetical order of MIC.</summary>
    public static IReadOnlyList<MicEntry> All => Ordered.Value;

    /// <summary>The registry entry of a MIC such as "XNYS"; false for a code not in the registry.</summary>
    public static bool TryGet(string mic, out MicEntry entry)
    {
        if (mic is not null && ByMic.Value.TryGetValue(mic, out MicEntry? found))
        {
            entry = found;
            return true;
        }
        entry = null!;
        return false;
    }

    private static FrozenDictionary<string, MicEntry> Load()
    {
        Dictionary<string, MicEntry> entries = new(StringComparer.Ordinal);
        foreach (string[] row in StandardsCsv.ReadRows(FileName, "mic,mic_type,status,operating_mic,market_name,country,expiry_date"))
        {
            MicEntry entry = ToEntry(row);
            Invariant.That(entries.TryAdd(entry.Mic, entry), $"{FileName}: duplicate MIC {entry.Mic}");
        }
        foreach (MicEntry entry in entries.Values)
        {
            Invariant.That(entries.ContainsKey(entry.OperatingMic), $"{FileName}: {entry.Mic} has unknown operating MIC {entry.OperatingMic}");
        }
        return entries.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static MicEntry ToEntry(string[] row)
    {
        string mic = row[0];
        Invariant.That(mic.Length == 4 && mic.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)), $"{FileName}: bad MIC '{mic}'");
        MicKind kind = row[1] switch
        {
            "OPERATING" => MicKind.Operating,
            "SEGMENT" => MicKind.Segment,
            _ => throw new InvariantViolationException($"{FileName}: {mic} has unknown type '{row[1]}'"),
        };
        MicStatus status = row[2] switch
        {
            "ACTIVE" => MicStatus.Active,
            "UPDATED" => MicStatus.Updated,
            "EXPIRED" => MicStatus.Expired,
            _ => throw new InvariantViolationException($"{FileName}: {mic} has unknown status '{row[2]}'"),
        };
        Invariant.That((kind == MicKind.Operating) == string.Equals(row[3], mic, StringComparison.Ordinal),
            $"{FileName}: {mic} operating MIC must be itself exactly when it is an operating MIC");
        Invariant.That(row[5].Length == 2, $"{FileName}: {mic} has bad country '{row[5]}'");
        LocalDate? expiry = null;
        if (row[6].Length > 0)
        {
            ParseResult<LocalDate> parsed = LocalDatePattern.Iso.Parse(row[6]);
            Invariant.That(parsed.Success, $"{FileName}: {mic} has bad expiry date '{row[6]}'");
            expiry = parsed.Value;
        }
        Invariant.That((status == MicStatus.Expired) == expiry.HasValue, $"{FileName}: {mic} must have an expiry date exactly when expired");
        return new MicEntry(mic, kind, status, row[3], row[4], row[5], expiry);
    }
}
