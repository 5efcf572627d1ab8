using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace BackOffice.Host.Tests;

/// <summary>How the API tests call the server: as a caller with a key, a write with its idempotency key, an answer read as JSON.</summary>
internal static class ApiCalls
{
    /// <summary>A client of <paramref name="server"/> that authenticates with API key <paramref name="key"/>.</summary>
    public static HttpClient As(TestServer server, string key)
    {
        var client = new HttpClient { BaseAddress = server.Client.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        return client;
    }

    /// <summary>A write: <paramref name="body"/> posted to <paramref name="path"/> under <paramref name="idempotencyKey"/>.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string idempotencyKey, string body, string mediaType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return client.SendAsync(request);
    }

    /// <summary>The answer's body as JSON.</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
