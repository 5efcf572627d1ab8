using System.Text.Json;
using BackOffice.Domain.Primitives;
using Microsoft.AspNetCore.Http;

namespace BackOffice.Host.Api;

/// <summary>
/// What every write endpoint does before its command: it takes the caller's
/// <c>Idempotency-Key</c> (required: a retry with it replays the first answer, the same key with
/// another body is a 409), reads a JSON body of bounded size, and parses it strictly (bounded
/// depth, valid UTF-8). Each failure is a 4xx problem naming the rule, and nothing is written.
/// </summary>
internal static class Writes
{
    /// <summary>The request header that makes a write idempotent.</summary>
    public const string KeyHeader = "Idempotency-Key";

    /// <summary>The response header set when an answer is the replay of an earlier request's.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>Longest idempotency key a caller may send.</summary>
    public const int KeyLengthMax = 128;

    /// <summary>Largest body of a small command (a decision, a note).</summary>
    public const int SmallBytesMax = 4 * 1024;

    /// <summary>Binding of small bodies: snake_case names, unknown fields refused.</summary>
    public static readonly JsonSerializerOptions Strict = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Deepest JSON nesting a write body may have.</summary>
    public const int DepthMax = 8;

    /// <summary>A write request read: the caller's key (scoped to the caller), the body's bytes, their hash and the parsed JSON.</summary>
    public sealed record Body(IdempotencyKey Key, byte[] Bytes, Sha256Hash Hash, JsonElement Json);

    /// <summary>Reads the key and body of a write, or the problem that refuses it.</summary>
    public static async Task<(Body? Body, IResult? Problem)> ReadAsync(HttpContext http, string actor, int bytesMax, CancellationToken cancellationToken)
    {
        string? key = http.Request.Headers[KeyHeader];
        if (string.IsNullOrEmpty(key))
        {
            return (null, ApiServer.BadRequest("header.idempotency-key", $"every write needs an {KeyHeader} header: a unique value per intended change, sent again unchanged on a retry", KeyHeader));
        }
        if (key.Length > KeyLengthMax || key.Any(c => c is < '!' or > '~'))
        {
            return (null, ApiServer.BadRequest("header.idempotency-key", $"{KeyHeader} must be 1 to {KeyLengthMax} visible ASCII characters", KeyHeader));
        }
        if (http.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, "body.media-type", "the body must be JSON (Content-Type: application/json)"));
        }
        if (http.Request.ContentLength > bytesMax)
        {
            return (null, TooLarge(bytesMax));
        }
        byte[]? bytes = await ReadBoundedAsync(http.Request.Body, bytesMax, cancellationToken);
        if (bytes is null)
        {
            return (null, TooLarge(bytesMax));
        }
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return (null, ApiServer.BadRequest("body.encoding", "the body is not valid UTF-8", "body"));
        }
        JsonElement json;
        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = DepthMax });
            json = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            // The parser's message names the line and byte; nothing of the server's insides.
            return (null, ApiServer.BadRequest("json.syntax", $"the body is not valid JSON (UTF-8, nested at most {DepthMax} deep): {e.Message}", "body"));
        }
        return (new Body(IdempotencyKey.From($"api/{actor}/{key}"), bytes, Sha256Hash.Of(bytes), json), null);
    }

    /// <summary>
    /// Reads the key and an XML body (a message as a custodian sends it), or the problem that
    /// refuses it: the same key rules, a size limit, UTF-8. The XML itself is read by the
    /// message's reader, which refuses a DTD.
    /// </summary>
    public static async Task<(IdempotencyKey Key, string? Text, IResult? Problem)> ReadXmlAsync(HttpContext http, string actor, int bytesMax, CancellationToken cancellationToken)
    {
        string? key = http.Request.Headers[KeyHeader];
        if (string.IsNullOrEmpty(key) || key.Length > KeyLengthMax || key.Any(c => c is < '!' or > '~'))
        {
            return (default, null, ApiServer.BadRequest("header.idempotency-key", $"every write needs an {KeyHeader} header of 1 to {KeyLengthMax} visible ASCII characters", KeyHeader));
        }
        if (http.Request.ContentType is not { } type || !(type.StartsWith("application/xml", StringComparison.OrdinalIgnoreCase) || type.StartsWith("text/xml", StringComparison.OrdinalIgnoreCase)))
        {
            return (default, null, Problem(StatusCodes.Status415UnsupportedMediaType, "body.media-type", "the body must be XML (Content-Type: application/xml)"));
        }
        byte[]? bytes = http.Request.ContentLength > bytesMax ? null : await ReadBoundedAsync(http.Request.Body, bytesMax, cancellationToken);
        if (bytes is null)
        {
            return (default, null, TooLarge(bytesMax));
        }
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return (default, null, ApiServer.BadRequest("body.encoding", "the body is not valid UTF-8", "body"));
        }
        return (IdempotencyKey.From($"api/{actor}/{key}"), System.Text.Encoding.UTF8.GetString(bytes), null);
    }

    /// <summary>
    /// Reads the key and a file's raw bytes (a statement as a custodian or bank sends it: XML, or
    /// CSV), or the problem that refuses it: the same key rules, the media type, a size limit. The
    /// bytes are kept exactly as sent; their reader checks the encoding and refuses a DTD.
    /// </summary>
    public static async Task<(IdempotencyKey Key, byte[]? Bytes, IResult? Problem)> ReadFileAsync(HttpContext http, string actor, int bytesMax, CancellationToken cancellationToken)
    {
        string? key = http.Request.Headers[KeyHeader];
        if (string.IsNullOrEmpty(key) || key.Length > KeyLengthMax || key.Any(c => c is < '!' or > '~'))
        {
            return (default, null, ApiServer.BadRequest("header.idempotency-key", $"every write needs an {KeyHeader} header of 1 to {KeyLengthMax} visible ASCII characters", KeyHeader));
        }
        string[] types = ["application/xml", "text/xml", "text/csv"];
        if (http.Request.ContentType is not { } type || !types.Any(t => type.StartsWith(t, StringComparison.OrdinalIgnoreCase)))
        {
            return (default, null, Problem(StatusCodes.Status415UnsupportedMediaType, "body.media-type", "the body must be the file: XML (Content-Type: application/xml) or CSV (text/csv)"));
        }
        byte[]? bytes = http.Request.ContentLength > bytesMax ? null : await ReadBoundedAsync(http.Request.Body, bytesMax, cancellationToken);
        return bytes is null ? (default, null, TooLarge(bytesMax)) : (IdempotencyKey.From($"api/{actor}/{key}"), bytes, null);
    }

    /// <summary>The body bound to <typeparamref name="T"/> by the strict rules (unknown fields refused), or null when it does not fit.</summary>
    public static T? Bind<T>(Body body) where T : class
    {
        try
        {
            return body.Json.Deserialize<T>(Strict);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A problem with the given status naming its rule.</summary>
    public static IResult Problem(int status, string rule, string detail, string? parameter = null)
    {
        var extensions = new Dictionary<string, object?> { ["rule"] = rule };
        if (parameter is not null)
        {
            extensions["parameter"] = parameter;
        }
        return Results.Problem(detail: detail, statusCode: status, title: rule, extensions: extensions);
    }

    private static IResult TooLarge(int bytesMax) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "body.too-large", $"the body is larger than {bytesMax} bytes");

    private static async Task<byte[]?> ReadBoundedAsync(Stream body, int bytesMax, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > bytesMax)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
