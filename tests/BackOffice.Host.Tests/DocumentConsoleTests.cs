using System.Net;
using System.Net.Http.Headers;
using BackOffice.Domain.Access;

namespace BackOffice.Host.Tests;

/// <summary>
/// The console's documents page: the form, and each document downloaded byte for byte as the CLI
/// writes it from the same books; a bad month names its rule; a branch-scoped user cannot fetch
/// another branch's client's statement.
/// </summary>
public sealed class DocumentConsoleTests
{
    [Fact]
    public async Task Documents_download_as_the_cli_writes_them_and_only_for_accounts_the_user_sees()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        string folder = Path.Combine(workspace.Directory, "documents");
        Assert.Equal(0, (await workspace.RunAsync("documents", "confirmations", "--date", "2026-11-25", "--out", folder)).Exit);
        Assert.Equal(0, (await workspace.RunAsync("documents", "statements", "--month", "2026-11", "--max-price-age", "1", "--out", folder)).Exit);
        Assert.Equal(0, (await workspace.RunAsync("documents", "gains", "--year", "2026", "--out", folder)).Exit);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.ComplianceOfficer);

        string page = await server.Client.GetStringAsync("/console/documents");
        Assert.Contains("action=\"/console/documents/statement\"", page, StringComparison.Ordinal);

        async Task SameAsync(string path, string file, string type)
        {
            HttpResponseMessage response = await server.Client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, path + ": " + response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(file, response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(folder, file)), await response.Content.ReadAsByteArrayAsync());
        }
        // Trade 2 was corrected: its latest version by default, the first on request.
        await SameAsync("/console/documents/confirmation?trade=2", "confirm-2026-11-25-2-v2.pdf", "application/pdf");
        await SameAsync("/console/documents/confirmation?trade=2&version=1", "confirm-2026-11-25-2.pdf", "application/pdf");
        await SameAsync("/console/documents/statement?account=C-1001&month=2026-11&maxPriceAge=1", "statement-C-1001-2026-11.pdf", "application/pdf");
        await SameAsync("/console/documents/gains?account=C-1001&year=2026", "gains-C-1001-2026.pdf", "application/pdf");
        await SameAsync("/console/documents/gains?account=C-1001&year=2026&format=csv", "gains-C-1001-2026.csv", "text/csv");

        HttpResponseMessage badMonth = await server.Client.GetAsync("/console/documents/statement?account=C-1001&month=2026-13");
        Assert.Equal(HttpStatusCode.BadRequest, badMonth.StatusCode);
        Assert.Contains("documents.month-format", await badMonth.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/console/documents/confirmation?trade=999")).StatusCode);

        // C-1001 is a New York account: a Boston user sees neither it nor its trades.
        using var boston = new HttpClient { BaseAddress = server.Client.BaseAddress };
        boston.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", await server.KeyAsync(Role.ComplianceOfficer, "BOS"));
        Assert.Equal(HttpStatusCode.NotFound, (await boston.GetAsync("/console/documents/statement?account=C-1001&month=2026-11&maxPriceAge=1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await boston.GetAsync("/console/documents/confirmation?trade=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await boston.GetAsync("/console/documents/statement?account=C-1002&month=2026-11&maxPriceAge=1")).StatusCode);
    }
}
