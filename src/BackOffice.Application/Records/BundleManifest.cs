using System.Text.Json;
using BackOffice.Domain.Primitives;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Application.Records;

/// <summary>One file of a bundle as the manifest lists it.</summary>
/// <param name="Kind">readme, journal, audit, trade-messages, exceptions, message-index, message (a whole file kept byte for byte), report.</param>
public sealed record BundleFile(string Path, long Size, Sha256Hash Sha256, string Kind);

/// <summary>
/// The run of audit records in the bundle: the first record's sequence and the hash it links to
/// (the record before it, outside the bundle; zeros from the first record ever), and the last
/// record (the head the bundle states). An empty run has head sequence one less than the first,
/// and head hash equal to the previous hash.
/// </summary>
public sealed record BundleChain(long FirstSequence, Sha256Hash PreviousHash, long HeadSequence, Sha256Hash HeadHash, long Records, long JournalEntries);

/// <summary>The retention policy in force when the bundle was made.</summary>
public sealed record BundleRetention(int Years, int YearsMin, LocalDate PurgeBeforeLatest, long? SetBySequence);

/// <summary>What <c>manifest.json</c> says (docs/reference/records.md lists every field).</summary>
public sealed record BundleManifest(string Format, LocalDate From, LocalDate To, Instant ExportedAt, string Store, BundleChain Chain, long DatabaseHeadSequence,
    Sha256Hash DatabaseHeadHash, BundleRetention Retention, IReadOnlyList<BundleFile> Files)
{
    /// <summary>The manifest as written: indented JSON, fields in a fixed order, files by path.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, RecordsLines.WriterOptions with { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteStartObject("range");
            w.WriteString("from", LocalDatePattern.Iso.Format(From));
            w.WriteString("to", LocalDatePattern.Iso.Format(To));
            w.WriteEndObject();
            w.WriteString("exported_at", InstantPattern.ExtendedIso.Format(ExportedAt));
            w.WriteString("store", Store);
            w.WriteStartObject("chain");
            w.WriteNumber("first_sequence", Chain.FirstSequence);
            w.WriteString("previous_hash", Chain.PreviousHash.ToString());
            w.WriteNumber("head_sequence", Chain.HeadSequence);
            w.WriteString("head_hash", Chain.HeadHash.ToString());
            w.WriteNumber("records", Chain.Records);
            w.WriteNumber("journal_entries", Chain.JournalEntries);
            w.WriteEndObject();
            w.WriteStartObject("database_head");
            w.WriteNumber("sequence", DatabaseHeadSequence);
            w.WriteString("hash", DatabaseHeadHash.ToString());
            w.WriteEndObject();
            w.WriteStartObject("retention");
            w.WriteNumber("years", Retention.Years);
            w.WriteNumber("years_min", Retention.YearsMin);
            w.WriteString("purge_before_latest", LocalDatePattern.Iso.Format(Retention.PurgeBeforeLatest));
            if (Retention.SetBySequence is { } setBy)
            {
                w.WriteNumber("set_by_sequence", setBy);
            }
            else
            {
                w.WriteNull("set_by_sequence");
            }
            w.WriteEndObject();
            w.WriteStartArray("files");
            foreach (BundleFile f in Files.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("path", f.Path);
                w.WriteNumber("size", f.Size);
                w.WriteString("sha256", f.Sha256.ToString());
                w.WriteString("kind", f.Kind);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>The seal file's one line: the manifest's SHA-256 as <c>sha256sum</c> prints it.</summary>
    public static string Seal(Sha256Hash manifestHash) => manifestHash + "  " + RecordsBundle.ManifestPath + "\n";

    /// <summary>Reads a manifest; the rejection names the field that is missing or wrong.</summary>
    public static Result<BundleManifest> Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            JsonElement root = document.RootElement;
            JsonElement range = Get(root, "range"), chain = Get(root, "chain"), head = Get(root, "database_head"), retention = Get(root, "retention");
            var files = new List<BundleFile>();
            JsonElement list = Get(root, "files");
            if (list.ValueKind != JsonValueKind.Array)
            {
                return new Rejection("bundle.manifest-malformed", "'files' is not a list", RecordsBundle.ManifestPath);
            }
            foreach (JsonElement f in list.EnumerateArray())
            {
                files.Add(new BundleFile(Text(f, "path"), Int64(f, "size"), Hash(f, "sha256"), Text(f, "kind")));
            }
            JsonElement setBy = Get(retention, "set_by_sequence");
            return new BundleManifest(Text(root, "format"), Date(range, "from"), Date(range, "to"),
                InstantPattern.ExtendedIso.Parse(Text(root, "exported_at")).GetValueOrThrow(), Text(root, "store"),
                new BundleChain(Int64(chain, "first_sequence"), Hash(chain, "previous_hash"), Int64(chain, "head_sequence"), Hash(chain, "head_hash"),
                    Int64(chain, "records"), Int64(chain, "journal_entries")),
                Int64(head, "sequence"), Hash(head, "hash"),
                new BundleRetention(checked((int)Int64(retention, "years")), checked((int)Int64(retention, "years_min")), Date(retention, "purge_before_latest"),
                    setBy.ValueKind == JsonValueKind.Null ? null : setBy.GetInt64()),
                files);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException or OverflowException
                                   or UnparsableValueException)
        {
            return new Rejection("bundle.manifest-malformed", e.Message, RecordsBundle.ManifestPath);
        }
    }

    private static JsonElement Get(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out JsonElement v) ? v : throw new KeyNotFoundException($"field '{name}' is missing");

    private static string Text(JsonElement e, string name) =>
        Get(e, name) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw new FormatException($"field '{name}' is not text");

    private static long Int64(JsonElement e, string name) => Get(e, name).GetInt64();

    private static LocalDate Date(JsonElement e, string name) => LocalDatePattern.Iso.Parse(Text(e, name)).GetValueOrThrow();

    private static Sha256Hash Hash(JsonElement e, string name) =>
        Sha256Hash.TryParseHex(Text(e, name), out Sha256Hash h) ? h : throw new FormatException($"field '{name}' is not a SHA-256 in hex");
}
