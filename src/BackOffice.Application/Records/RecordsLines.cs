using System.Collections.Immutable;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Primitives;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Application.Records;

/// <summary>A posting's codes and scale as written beside its ids (read by people; the hash covers the ids and units).</summary>
public readonly record struct PostingLabel(string LedgerAccount, string Asset, int Scale);

/// <summary>A journal entry read back from a bundle line, with the hash the line states and each posting's printed amount.</summary>
public sealed record EntryLine(JournalEntry Entry, Sha256Hash Hash, ImmutableArray<(string Amount, int Scale)> Amounts);

/// <summary>
/// The JSON Lines forms of journal entries and audit records in a bundle: every field the hash
/// covers, exactly (ids, units, times to the tick, texts as stored), plus labels for people
/// (account and asset codes, amounts). Reading a line back gives the same domain value the server
/// hashed, so <see cref="AuditChain"/> recomputes the same hash.
/// </summary>
public static class RecordsLines
{
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>Options for every JSON file of a bundle (non-ASCII text kept readable; JSON escaping still exact).</summary>
    public static JsonWriterOptions WriterOptions => s_writerOptions;

    /// <summary>Writes one journal entry as one line (no newline).</summary>
    public static void WriteEntry(Utf8JsonWriter w, JournalEntry entry, Sha256Hash hash, Func<Posting, PostingLabel> label)
    {
        w.WriteStartObject();
        w.WriteNumber("id", entry.Id.Value);
        w.WriteNumber("audit_sequence", entry.AuditSequence.Value);
        w.WriteString("effective_date", LocalDatePattern.Iso.Format(entry.EffectiveDate));
        w.WriteString("recorded_at", InstantPattern.ExtendedIso.Format(entry.RecordedAt));
        w.WriteString("reason", entry.Reason);
        w.WriteString("source_reference", entry.SourceReference);
        if (entry.Reverses is { } reverses)
        {
            w.WriteNumber("reverses", reverses.Value);
        }
        else
        {
            w.WriteNull("reverses");
        }
        w.WriteString("key", entry.Key.Value);
        w.WriteString("payload_hash", entry.PayloadHash.ToString());
        w.WriteStartArray("postings");
        foreach (Posting p in entry.Postings)
        {
            PostingLabel l = label(p);
            w.WriteStartObject();
            w.WriteNumber("ledger_account_id", p.LedgerAccount.Value);
            w.WriteString("ledger_account", l.LedgerAccount);
            w.WriteNumber("asset_id", p.Asset.Value);
            w.WriteString("asset", l.Asset);
            w.WriteNumber("units", p.Units);
            w.WriteNumber("scale", l.Scale);
            w.WriteString("amount", Amount(p.Units, l.Scale));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("hash", hash.ToString());
        w.WriteEndObject();
    }

    /// <summary>Writes one audit record as one line (no newline).</summary>
    public static void WriteRecord(Utf8JsonWriter w, AuditRecord record)
    {
        w.WriteStartObject();
        w.WriteNumber("sequence", record.Sequence.Value);
        w.WriteString("recorded_at", InstantPattern.ExtendedIso.Format(record.RecordedAt));
        w.WriteString("actor", record.Actor);
        w.WriteString("command_type", record.CommandType);
        w.WriteString("key", record.Key.Value);
        w.WriteString("payload_hash", record.PayloadHash.ToString());
        if (record.Payload is null)
        {
            w.WriteNull("payload");
        }
        else
        {
            w.WriteString("payload", record.Payload);
        }
        w.WriteString("result", record.Result);
        w.WriteNumber("entry_count", record.EntryCount);
        w.WriteString("entries_digest", record.EntriesDigest.ToString());
        w.WriteString("previous_hash", record.PreviousHash.ToString());
        w.WriteString("hash", record.Hash.ToString());
        w.WriteEndObject();
    }

    /// <summary>An amount written from units at a scale, exactly (units 12345 at scale 2 is 123.45).</summary>
    public static string Amount(long units, int scale) =>
        new Asset(new AssetId(0), "", AssetKind.Currency, scale).Format(units);

    /// <summary>Reads a journal line back; the reason names the field when it is not a well-formed entry.</summary>
    public static Result<EntryLine> ReadEntry(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            JsonElement e = document.RootElement;
            var postings = ImmutableArray.CreateBuilder<Posting>();
            var amounts = ImmutableArray.CreateBuilder<(string, int)>();
            foreach (JsonElement p in Array(e, "postings"))
            {
                postings.Add(new Posting(new LedgerAccountId(Int64(p, "ledger_account_id")), new AssetId(Int64(p, "asset_id")), Int64(p, "units")));
                amounts.Add((Text(p, "amount"), (int)Int64(p, "scale")));
            }
            JsonElement reverses = Property(e, "reverses");
            var entry = new JournalEntry
            {
                Id = new JournalEntryId(Int64(e, "id")),
                AuditSequence = new AuditSequence(Int64(e, "audit_sequence")),
                EffectiveDate = Date(e, "effective_date"),
                RecordedAt = Time(e, "recorded_at"),
                Reason = Text(e, "reason"),
                SourceReference = Text(e, "source_reference"),
                Reverses = reverses.ValueKind == JsonValueKind.Null ? null : new JournalEntryId(reverses.GetInt64()),
                Key = Key(e, "key"),
                PayloadHash = Hash(e, "payload_hash"),
                Postings = postings.ToImmutable(),
            };
            return new EntryLine(entry, Hash(e, "hash"), amounts.ToImmutable());
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or LineFieldException or OverflowException)
        {
            return new Rejection("bundle.line-malformed", ex.Message);
        }
    }

    /// <summary>Reads an audit line back (its <see cref="AuditRecord.Hash"/> is the hash the line states).</summary>
    public static Result<AuditRecord> ReadRecord(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            JsonElement e = document.RootElement;
            JsonElement payload = Property(e, "payload");
            return new AuditRecord
            {
                Sequence = new AuditSequence(Int64(e, "sequence")),
                RecordedAt = Time(e, "recorded_at"),
                Actor = Text(e, "actor"),
                CommandType = Text(e, "command_type"),
                Key = Key(e, "key"),
                PayloadHash = Hash(e, "payload_hash"),
                Payload = payload.ValueKind == JsonValueKind.Null ? null : payload.GetString(),
                Result = Text(e, "result"),
                EntryCount = checked((int)Int64(e, "entry_count")),
                EntriesDigest = Hash(e, "entries_digest"),
                PreviousHash = Hash(e, "previous_hash"),
                Hash = Hash(e, "hash"),
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or LineFieldException or OverflowException)
        {
            return new Rejection("bundle.line-malformed", ex.Message);
        }
    }

    private static JsonElement Property(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out JsonElement value) ? value : throw new LineFieldException($"field '{name}' is missing");

    private static long Int64(JsonElement e, string name) =>
        Property(e, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out long n) ? n : throw new LineFieldException($"field '{name}' is not a whole number");

    private static string Text(JsonElement e, string name) =>
        Property(e, name) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw new LineFieldException($"field '{name}' is not text");

    private static JsonElement.ArrayEnumerator Array(JsonElement e, string name) =>
        Property(e, name) is { ValueKind: JsonValueKind.Array } v ? v.EnumerateArray() : throw new LineFieldException($"field '{name}' is not a list");

    private static LocalDate Date(JsonElement e, string name) =>
        LocalDatePattern.Iso.Parse(Text(e, name)) is { Success: true } r ? r.Value : throw new LineFieldException($"field '{name}' is not a date (yyyy-MM-dd)");

    private static Instant Time(JsonElement e, string name) =>
        InstantPattern.ExtendedIso.Parse(Text(e, name)) is { Success: true } r ? r.Value : throw new LineFieldException($"field '{name}' is not an ISO 8601 instant");

    private static Sha256Hash Hash(JsonElement e, string name) =>
        Sha256Hash.TryParseHex(Text(e, name), out Sha256Hash h) ? h : throw new LineFieldException($"field '{name}' is not a SHA-256 in hex");

    private static IdempotencyKey Key(JsonElement e, string name) =>
        IdempotencyKey.TryCreate(Text(e, name), out IdempotencyKey key, out string reason) ? key : throw new LineFieldException($"field '{name}': {reason}");

    /// <summary>A field of a bundle line that is missing or of the wrong kind (caught where the line is read).</summary>
    private sealed class LineFieldException(string message) : Exception(message);

    internal static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
