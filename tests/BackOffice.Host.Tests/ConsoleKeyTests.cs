using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using BackOffice.Application.Ports;
using BackOffice.Domain.Access;
using BackOffice.Host.Api;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Host.Tests;

/// <summary>
/// The console's data protection keys encrypted at rest (<c>serve --console-key-file</c>): after a
/// sign-in the database holds no key material in the clear; a second server with the same console
/// key takes the first one's session cookie, one with another key does not; keys written before
/// encryption was turned on still work; a bad key file is a usage error.
/// </summary>
public sealed partial class ConsoleKeyTests
{
    private const string Password = "olivia-password-1";

    /// <summary>A server of its own over the workspace's database, with or without a console key.</summary>
    private sealed class Server : IAsyncDisposable
    {
        public required Services Services { get; init; }
        public required WebApplication App { get; init; }
        public Uri BaseAddress => new(App.Urls.First());

        public static async Task<Server> StartAsync(Workspace workspace, byte[]? consoleKey)
        {
            IBackOfficeStore store = Storage.Sqlite.SqliteStore.Open(workspace.StoreArgs[1]);
            var services = new Services(store, NodaTime.SystemClock.Instance, "test");
            WebApplication app = ApiServer.Build(services, "http://127.0.0.1:0", consoleKey: consoleKey);
            await app.StartAsync();
            return new Server { Services = services, App = app };
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Services.DisposeAsync();
        }
    }

    [GeneratedRegex("name=\"__token\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private static byte[] NewKey() => RandomNumberGenerator.GetBytes(32);

    private static async Task AddUserAsync(Server server, string name) =>
        Assert.True((await server.Services.Access.AddUserAsync(new User(name, name, Role.OperationsMaker, null, true), Password, "test", CancellationToken.None)).Succeeded);

    /// <summary>Signs in through the login form (antiforgery cookie and field first) and returns the session cookie.</summary>
    private static async Task<Cookie> SignInAsync(Server server, string name)
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        string page = await client.GetStringAsync("/console/login");
        Match token = TokenField().Match(page);
        Assert.True(token.Success, page);
        HttpResponseMessage response = await client.PostAsync("/console/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__token"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["username"] = name,
            ["password"] = Password,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        Assert.Equal("/console", response.Headers.Location?.OriginalString);
        Cookie? session = cookies.GetCookies(new Uri(server.BaseAddress, "/console"))["backoffice.session"];
        Assert.NotNull(session);
        return session;
    }

    /// <summary>GET /console with only <paramref name="session"/>: the status, and where a redirect points.</summary>
    private static async Task<(HttpStatusCode Status, string? Location)> DashboardAsync(Server server, Cookie session)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/console");
        request.Headers.Add("Cookie", $"{session.Name}={session.Value}");
        using HttpResponseMessage response = await client.SendAsync(request);
        return (response.StatusCode, response.Headers.Location?.OriginalString);
    }

    /// <summary>The base64 secrets of every data protection key <paramref name="server"/> holds, as the framework reads them.</summary>
    private static List<string> MasterKeyValues(Server server) =>
        [.. server.App.Services.GetRequiredService<IKeyManager>().GetAllKeys()
            .SelectMany(key => key.Descriptor.ExportToXml().SerializedDescriptorElement.Descendants().Where(e => e.Name.LocalName == "masterKey"))
            .Select(masterKey => masterKey.Elements().Single(e => e.Name.LocalName == "value").Value)];

    [Fact]
    public async Task With_a_console_key_the_database_holds_no_key_in_the_clear_and_another_server_with_the_key_takes_the_session()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        byte[] consoleKey = NewKey();
        await using Server first = await Server.StartAsync(workspace, consoleKey);
        await AddUserAsync(first, "olivia");
        Cookie session = await SignInAsync(first, "olivia");
        Assert.Equal(HttpStatusCode.OK, (await DashboardAsync(first, session)).Status);

        // The framework's own view of its keys has the secrets; the rows it wrote have none of them.
        List<string> secrets = MasterKeyValues(first);
        Assert.NotEmpty(secrets);
        IReadOnlyList<string> rows = await first.Services.Store.ReadDataProtectionKeysAsync(CancellationToken.None);
        Assert.NotEmpty(rows);
        foreach (string row in rows)
        {
            XElement key = XElement.Parse(row);
            Assert.DoesNotContain(key.Descendants(), e => e.Name.LocalName is "masterKey" or "value");
            XElement encrypted = Assert.Single(key.Descendants(), e => e.Name.LocalName == "encryptedSecret");
            Assert.Contains("ConsoleKeyDecryptor", (string?)encrypted.Attribute("decryptorType"), StringComparison.Ordinal);
            foreach (string secret in secrets)
            {
                Assert.DoesNotContain(secret, row, StringComparison.Ordinal);
            }
        }

        await using Server second = await Server.StartAsync(workspace, consoleKey);
        Assert.Equal(HttpStatusCode.OK, (await DashboardAsync(second, session)).Status);
        Assert.Equal(secrets.Order(), MasterKeyValues(second).Order());
    }

    [Fact]
    public async Task A_server_with_another_console_key_cannot_read_the_keys_and_sends_the_session_to_sign_in()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using Server first = await Server.StartAsync(workspace, NewKey());
        await AddUserAsync(first, "olivia");
        Cookie session = await SignInAsync(first, "olivia");
        Guid written = Assert.Single(first.App.Services.GetRequiredService<IKeyManager>().GetAllKeys()).KeyId;

        await using Server other = await Server.StartAsync(workspace, NewKey());
        (HttpStatusCode status, string? location) = await DashboardAsync(other, session);
        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.StartsWith("/console/login", new Uri(other.BaseAddress, location).PathAndQuery, StringComparison.Ordinal);

        // The first server's key is there but does not decrypt, and says why.
        IKey unreadable = Assert.Single(other.App.Services.GetRequiredService<IKeyManager>().GetAllKeys(), key => key.KeyId == written);
        CryptographicException refused = Assert.ThrowsAny<CryptographicException>(() => unreadable.Descriptor);
        Assert.Contains("--console-key-file", refused.ToString(), StringComparison.Ordinal);

        // The first server still takes its own session.
        Assert.Equal(HttpStatusCode.OK, (await DashboardAsync(first, session)).Status);
    }

    [Fact]
    public async Task Keys_written_before_the_console_key_was_given_still_read()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using Server unencrypted = await Server.StartAsync(workspace, null);
        await AddUserAsync(unencrypted, "olivia");
        Cookie session = await SignInAsync(unencrypted, "olivia");
        Assert.Contains(await unencrypted.Services.Store.ReadDataProtectionKeysAsync(CancellationToken.None), row => row.Contains("<masterKey", StringComparison.Ordinal));

        await using Server encrypted = await Server.StartAsync(workspace, NewKey());
        Assert.Equal(HttpStatusCode.OK, (await DashboardAsync(encrypted, session)).Status);
    }

    [Fact]
    public async Task A_console_key_file_that_is_missing_or_not_32_bytes_of_base64_is_a_usage_error()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        string missing = Path.Combine(workspace.Directory, "missing.key");
        string[] files =
        [
            missing,
            workspace.Directory,
            workspace.File("short.key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)) + "\n"),
            workspace.File("long.key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)) + "\n"),
            workspace.File("text.key", "not a key at all\n"),
            workspace.File("empty.key", ""),
        ];
        foreach (string file in files)
        {
            CliResult result = await workspace.RunAsync("serve", "--console-key-file", file);
            Assert.True(result.Exit == ExitCodes.Usage, $"{file}: {result.Exit} {result.Output} {result.Error}");
            Assert.Contains("--console-key-file", result.Error, StringComparison.Ordinal);
            Assert.Contains("256-bit key as base64", result.Error, StringComparison.Ordinal);
        }
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public async Task Serve_refuses_to_start_with_a_console_key_that_does_not_read_the_keys_in_the_database()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using (Server first = await Server.StartAsync(workspace, NewKey()))
        {
            await AddUserAsync(first, "olivia");
            await SignInAsync(first, "olivia");
        }

        // Another key, or none, would not read the others' sessions and would make keys of its own: refused before it listens.
        CliResult other = await workspace.RunAsync("serve", "--urls", "http://127.0.0.1:0", "--console-key-file", workspace.File("other.key", Convert.ToBase64String(NewKey()) + "\n"));
        Assert.True(other.Exit == ExitCodes.Refused, other.Error);
        Assert.Contains("does not decrypt the console keys in the database", other.Error, StringComparison.Ordinal);
        CliResult none = await workspace.RunAsync("serve", "--urls", "http://127.0.0.1:0");
        Assert.True(none.Exit == ExitCodes.Refused, none.Error);
        Assert.Contains("encrypted with a console key", none.Error, StringComparison.Ordinal);
    }
}
