using System.Security.Cryptography;
using System.Text.Json;
using BackOffice.Application.Trading;
using BackOffice.Domain.Primitives;
using BackOffice.Intake.Csv;

namespace BackOffice.Intake.Trades;

/// <summary>
/// Trade files (docs/reference/formats.md, "Trades"): CSV with a header row naming
/// <see cref="TradeFields"/> columns, or JSON, an array of objects with the same names. CSV is
/// streamed row by row; JSON is read whole (up to <see cref="JsonBytesMax"/>), so large files
/// should be CSV.
/// </summary>
public static class TradeFile
{
    /// <summary>Largest JSON trade file.</summary>
    public const long JsonBytesMax = 256L * 1024 * 1024;

    /// <summary>The SHA-256 of the file's bytes: the same file imported twice is the same import.</summary>
    public static Sha256Hash ContentHash(string path) => ContentHash(File.OpenRead(path));

    /// <summary>The SHA-256 of a stream's bytes (the stream is read to its end and closed).</summary>
    public static Sha256Hash ContentHash(Stream stream)
    {
        using (stream)
        {
            return Sha256Hash.FromBytes(SHA256.HashData(stream));
        }
    }

    /// <summary>Reads a CSV trade file as messages, one per row; a broken row or header is a message with a read failure.</summary>
    public static IEnumerable<TradeMessage> ReadCsv(string path, string? defaultSource) => ReadCsv(() => File.OpenRead(path), Path.GetFileName(path), defaultSource);

    /// <summary>Reads CSV trades from a stream opened by <paramref name="open"/>; <paramref name="name"/> names it in messages.</summary>
    public static IEnumerable<TradeMessage> ReadCsv(Func<Stream> open, string name, string? defaultSource)
    {
        using var csv = new CsvStream(open());
        Dictionary<string, int>? columns = null;
        string fallbackSource = defaultSource ?? "";
        // One lookup for the whole file, reading the current row's fields (not a closure per row).
        string[] fields = [];
        Func<string, string> field = column => columns!.TryGetValue(column, out int i) ? fields[i] : "";
        foreach (CsvRecord record in csv.Records())
        {
            string location = $"{name}:{record.Line}";
            if (record.Error is { } error)
            {
                yield return Failure(new Rejection("csv.syntax", error), fallbackSource, record.Raw, location);
                yield break;
            }
            if (columns is null)
            {
                columns = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int i = 0; i < record.Fields.Length; i++)
                {
                    string column = record.Fields[i].Trim();
                    if (!TradeFields.All.Contains(column))
                    {
                        yield return Failure(new Rejection("csv.header", $"'{column}' is not a trade column; columns are {string.Join(",", TradeFields.All)}"), fallbackSource, record.Raw, location);
                        yield break;
                    }
                    if (!columns.TryAdd(column, i))
                    {
                        yield return Failure(new Rejection("csv.header", $"column '{column}' appears twice"), fallbackSource, record.Raw, location);
                        yield break;
                    }
                }
                string[] missing = [.. TradeFields.Required.Where(c => !columns.ContainsKey(c))];
                if (missing.Length > 0)
                {
                    yield return Failure(new Rejection("csv.header", $"missing required columns: {string.Join(", ", missing)}"), fallbackSource, record.Raw, location);
                    yield break;
                }
                continue;
            }
            if (record.Fields is [""])
            {
                continue; // a blank line
            }
            if (record.Fields.Length != columns.Count)
            {
                yield return Failure(new Rejection("csv.field-count", $"{record.Fields.Length} fields where the header has {columns.Count}"), fallbackSource, record.Raw, location);
                yield break;
            }
            fields = record.Fields;
            Result<Domain.Trading.TradeRequest> request = TradeFields.Read(field, defaultSource, location, record.Raw);
            yield return request.Rejection is { } rejection
                ? Failure(rejection, fallbackSource, record.Raw, location)
                : TradeMessage.Of(request.Value);
        }
        if (columns is null)
        {
            yield return Failure(new Rejection("csv.header", "the file is empty: it needs a header row"), fallbackSource, "", name);
        }
    }

    /// <summary>Reads a JSON trade file (an array of trade objects) as messages.</summary>
    public static IEnumerable<TradeMessage> ReadJson(string path, string? defaultSource)
    {
        string name = Path.GetFileName(path);
        string fallbackSource = defaultSource ?? "";
        if (new FileInfo(path).Length > JsonBytesMax)
        {
            return [Failure(new Rejection("json.too-large", $"JSON trade files are limited to {JsonBytesMax / (1024 * 1024)} MiB; use CSV for larger files"), fallbackSource, "", name)];
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            return [Failure(new Rejection("json.syntax", e.Message), fallbackSource, "", name)];
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return [Failure(new Rejection("json.shape", "a JSON trade file is an array of trade objects"), fallbackSource, "", name)];
            }
            var messages = new List<TradeMessage>();
            int index = 0;
            foreach (JsonElement item in document.RootElement.EnumerateArray())
            {
                string location = $"{name}: trade {++index}";
                string raw = item.GetRawText();
                Result<Dictionary<string, string>> fields = TradeJson.Fields(item, "");
                if (fields.Rejection is { } bad)
                {
                    messages.Add(Failure(bad, fallbackSource, raw, location));
                    break;
                }
                Dictionary<string, string> map = fields.Value;
                Result<Domain.Trading.TradeRequest> request = TradeFields.Read(c => map.GetValueOrDefault(c, ""), defaultSource, location, raw);
                messages.Add(request.Rejection is { } rejection ? Failure(rejection, fallbackSource, raw, location) : TradeMessage.Of(request.Value));
            }
            return messages;
        }
    }

    private static TradeMessage Failure(Rejection rejection, string source, string raw, string location) => new(null, rejection, source, raw, location);
}
