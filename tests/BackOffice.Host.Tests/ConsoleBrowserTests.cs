using System.Text.RegularExpressions;
using BackOffice.Domain.Access;
using Microsoft.Playwright;

namespace BackOffice.Host.Tests;

/// <summary>
/// The console in a real browser: Debian's Chromium, driven by Playwright (no browser download).
/// A user signs in, searches the blotter and opens a trade; a maker requests a manual entry and a
/// different checker approves it; an administrator's approval of their own request is refused.
/// Screenshots of each step are kept in artifacts/screenshots.
/// </summary>
public sealed class ConsoleBrowserTests
{
    private static readonly string Chromium = Environment.GetEnvironmentVariable("BACKOFFICE_CHROMIUM") ?? "/usr/bin/chromium";

    private static string Screenshots()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "BackOffice.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        string path = Path.Combine(dir ?? AppContext.BaseDirectory, "artifacts", "screenshots");
        Directory.CreateDirectory(path);
        return path;
    }

    private sealed class Browser : IAsyncDisposable
    {
        public required IPlaywright Playwright { get; init; }
        public required IBrowser Instance { get; init; }

        public static async Task<Browser> LaunchAsync()
        {
            Assert.True(File.Exists(Chromium), $"the console's tests need Chromium at {Chromium} (scripts/chromium.sh installs Debian's)");
            IPlaywright playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
            });
            return new Browser { Playwright = playwright, Instance = browser };
        }

        public async Task<IPage> SignInAsync(string baseUrl, string user, string password)
        {
            IBrowserContext context = await Instance.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
            IPage page = await context.NewPageAsync();
            await page.GotoAsync("/console");
            Assert.Contains("/console/login", page.Url, StringComparison.Ordinal);
            await page.GetByLabel("User name").FillAsync(user);
            await page.GetByLabel("Password").FillAsync(password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            // Either the dashboard or the sign-in page again with what went wrong.
            await page.Locator("main h1:text-is('Dashboard'), main [role=alert]").First.WaitForAsync();
            Assert.True(page.Url.EndsWith("/console", StringComparison.Ordinal), $"{user} did not get in: {page.Url}\n{await page.Locator("main").InnerTextAsync()}");
            return page;
        }

        public async ValueTask DisposeAsync()
        {
            await Instance.DisposeAsync();
            Playwright.Dispose();
        }
    }

    private static async Task AddAsync(TestServer server, string name, Role role, string password) =>
        Assert.True((await server.Services.Access.AddUserAsync(new User(name, name, role, null, true), password, "test", CancellationToken.None)).Succeeded);

    [Fact]
    public async Task Sign_in_search_the_blotter_and_open_a_trade()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        await AddAsync(server, "olivia", Role.OperationsMaker, "olivia-password-1");
        await using Browser browser = await Browser.LaunchAsync();
        string shots = Screenshots();

        // A wrong password is refused without saying which part was wrong.
        IBrowserContext stranger = await browser.Instance.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.Client.BaseAddress!.ToString() });
        IPage refused = await stranger.NewPageAsync();
        await refused.GotoAsync("/console/login");
        await refused.GetByLabel("User name").FillAsync("olivia");
        await refused.GetByLabel("Password").FillAsync("not-her-password");
        await refused.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        Assert.Equal("Wrong user name or password.", (await refused.GetByRole(AriaRole.Alert).InnerTextAsync()).Trim());

        IPage page = await browser.SignInAsync(server.Client.BaseAddress!.ToString(), "olivia", "olivia-password-1");
        Assert.Equal("Dashboard", await page.Locator("h1").InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "01-dashboard.png"), FullPage = true });

        // The keyboard: g then b opens the blotter, / focuses its search (once the page's script has run).
        await page.Locator("html[data-keys=ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Keyboard.PressAsync("g");
        await page.Keyboard.PressAsync("b");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/console/trades$"));
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.Locator("html[data-keys=ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Keyboard.PressAsync("/");
        await page.Keyboard.TypeAsync("C-1002");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/console/trades\\?q=C-1002"));
        await page.WaitForLoadStateAsync(LoadState.Load);
        ILocator rows = page.Locator("#blotter tbody tr");
        Assert.True(await rows.CountAsync() >= 1);
        foreach (string account in await page.Locator("#blotter tbody tr td:nth-child(8)").AllInnerTextsAsync())
        {
            Assert.Equal("C-1002", account);
        }
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "02-blotter-search.png"), FullPage = true });

        // Open the trade: its versions, the entry that booked it, its audit record and the message as received.
        string tradeId = await rows.First.Locator("td a").InnerTextAsync();
        await rows.First.Locator("td a").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/console/trades/{tradeId}$"));
        await page.WaitForLoadStateAsync(LoadState.Load);
        Assert.Equal($"Trade {tradeId}", await page.Locator("h1").InnerTextAsync());
        Assert.True(await page.Locator("#versions tbody tr").CountAsync() >= 1);
        Assert.Contains("Audit record", await page.Locator("dl.audit").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("C-1002", await page.Locator("pre").First.InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "03-trade.png"), FullPage = true });

        // A page her role does not grant says so, and the navigation does not offer it.
        Assert.Equal(0, await page.Locator("nav a[href='/console/audit']").CountAsync());
        IResponse? audit = await page.GotoAsync("/console/audit");
        Assert.Equal(403, audit!.Status);
        Assert.Contains("does not grant audit.read", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_maker_requests_a_manual_entry_and_a_different_checker_approves_it()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        await AddAsync(server, "mia", Role.OperationsMaker, "maker-password-1");
        await AddAsync(server, "carl", Role.OperationsChecker, "checker-password-1");
        await AddAsync(server, "ada", Role.Administrator, "admin-password-1");
        await using Browser browser = await Browser.LaunchAsync();
        string shots = Screenshots();
        string baseUrl = server.Client.BaseAddress!.ToString();
        decimal before = (await server.Services.Ledger.BalancesAsync(null, null, CancellationToken.None)).Where(b => b.LedgerAccountCode == "1010" && b.AssetCode == "USD").Sum(b => b.Amount);

        // The maker fills the form and sends it: a pending request, nothing booked.
        IPage maker = await browser.SignInAsync(baseUrl, "mia", "maker-password-1");
        await maker.GotoAsync("/console/entries/new");
        await maker.GetByLabel("Key (unique, names the entry for good)").FillAsync("manual-bank-fee-refund");
        await maker.GetByLabel("Effective date").FillAsync("2026-11-30");
        await maker.GetByLabel("Reason").FillAsync("bank fee charged twice, refunded");
        await maker.GetByLabel("Account, posting 1").FillAsync("1010");
        await maker.GetByLabel("Asset, posting 1").FillAsync("USD");
        await maker.GetByLabel("Amount, posting 1").FillAsync("25.00");
        await maker.GetByLabel("Account, posting 2").FillAsync("3000");
        await maker.GetByLabel("Asset, posting 2").FillAsync("USD");
        await maker.GetByLabel("Direction, posting 2").SelectOptionAsync("credit");
        await maker.GetByLabel("Amount, posting 2").FillAsync("25.00");
        await maker.ScreenshotAsync(new() { Path = Path.Combine(shots, "04-maker-entry.png"), FullPage = true });
        await maker.GetByRole(AriaRole.Button, new() { Name = "Request approval" }).ClickAsync();
        await Assertions.Expect(maker).ToHaveURLAsync(new Regex("/console/approvals/[0-9]+$"));
        await maker.WaitForLoadStateAsync(LoadState.Load);
        string requestUrl = maker.Url;
        Assert.Equal("pending", await maker.Locator("#approval-status").InnerTextAsync());
        // The maker has no approve button: deciding is not theirs.
        Assert.Equal(0, await maker.GetByRole(AriaRole.Button, new() { Name = "Approve" }).CountAsync());

        // The checker finds it in the queue and approves it: the entry books.
        IPage checker = await browser.SignInAsync(baseUrl, "carl", "checker-password-1");
        await checker.GotoAsync("/console/approvals?status=pending");
        await checker.Locator("#approvals tbody tr td a").First.ClickAsync();
        await Assertions.Expect(checker).ToHaveURLAsync(requestUrl);
        await checker.WaitForLoadStateAsync(LoadState.Load);
        Assert.Contains("manual-bank-fee-refund", await checker.Locator("#payload").InnerTextAsync(), StringComparison.Ordinal);
        await checker.ScreenshotAsync(new() { Path = Path.Combine(shots, "05-checker-request.png"), FullPage = true });
        await checker.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await checker.Locator("#approval-status").GetByText("approved").WaitForAsync();
        Assert.Contains("booked manual entry manual-bank-fee-refund", await checker.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        await checker.ScreenshotAsync(new() { Path = Path.Combine(shots, "06-checker-approved.png"), FullPage = true });
        decimal after = (await server.Services.Ledger.BalancesAsync(null, null, CancellationToken.None)).Where(b => b.LedgerAccountCode == "1010" && b.AssetCode == "USD").Sum(b => b.Amount);
        Assert.Equal(before + 25.00m, after);

        // An administrator requests a user and tries to approve it themself: refused, nothing added.
        IPage admin = await browser.SignInAsync(baseUrl, "ada", "admin-password-1");
        await admin.GotoAsync("/console/users");
        await admin.GetByLabel("User name").FillAsync("new.clerk");
        await admin.GetByLabel("Role").SelectOptionAsync("operations-maker");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Request approval" }).ClickAsync();
        await Assertions.Expect(admin).ToHaveURLAsync(new Regex("/console/approvals/[0-9]+$"));
        await admin.WaitForLoadStateAsync(LoadState.Load);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        string alert = await admin.GetByRole(AriaRole.Alert).InnerTextAsync();
        Assert.Contains("approval.self", alert, StringComparison.Ordinal);
        Assert.Equal("pending", await admin.Locator("#approval-status").InnerTextAsync());
        await admin.ScreenshotAsync(new() { Path = Path.Combine(shots, "07-self-approval-refused.png"), FullPage = true });
        Assert.Null(await server.Services.Store.FindUserAsync("new.clerk", CancellationToken.None));
    }

    [Fact]
    public async Task A_maker_repairs_an_exception_a_checker_approves_it_and_an_accountant_runs_the_end_of_day()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        await AddAsync(server, "mia", Role.OperationsMaker, "maker-password-1");
        await AddAsync(server, "carl", Role.OperationsChecker, "checker-password-1");
        await AddAsync(server, "abe", Role.Accountant, "accountant-password-1");
        await using Browser browser = await Browser.LaunchAsync();
        string shots = Screenshots();
        string baseUrl = server.Client.BaseAddress!.ToString();

        // The demo's drop copy named an unknown account (C-9999): the maker opens the exception and repairs the account.
        IPage maker = await browser.SignInAsync(baseUrl, "mia", "maker-password-1");
        await maker.GotoAsync("/console/exceptions");
        await maker.Locator("#exceptions tbody tr td a").First.ClickAsync();
        await Assertions.Expect(maker).ToHaveURLAsync(new Regex("/console/exceptions/[0-9]+$"));
        await maker.WaitForLoadStateAsync(LoadState.Load);
        Assert.Contains("trade.account-unknown", await maker.Locator("main dl").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("C-9999", await maker.GetByLabel("account", new() { Exact = true }).InputValueAsync());
        await maker.GetByLabel("account", new() { Exact = true }).FillAsync("C-1002");
        await maker.ScreenshotAsync(new() { Path = Path.Combine(shots, "08-maker-repairs-exception.png"), FullPage = true });
        await maker.GetByRole(AriaRole.Button, new() { Name = "Request resubmission" }).ClickAsync();
        await Assertions.Expect(maker).ToHaveURLAsync(new Regex("/console/approvals/[0-9]+$"));
        await maker.WaitForLoadStateAsync(LoadState.Load);
        string requestUrl = maker.Url;
        Assert.Equal("pending", await maker.Locator("#approval-status").InnerTextAsync());
        Assert.Contains("account=C-1002", await maker.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Single(await server.Services.Store.ListExceptionsAsync(openOnly: true, CancellationToken.None));

        // The checker approves: the repaired trade books and the exception closes.
        IPage checker = await browser.SignInAsync(baseUrl, "carl", "checker-password-1");
        await checker.GotoAsync(requestUrl);
        await checker.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await checker.Locator("#approval-status").GetByText("approved").WaitForAsync();
        Assert.Empty(await server.Services.Store.ListExceptionsAsync(openOnly: true, CancellationToken.None));
        Assert.Contains(await server.Services.Store.ListTradesAsync(new Application.Ports.TradeQuery(Account: "C-1002"), CancellationToken.None),
            t => t.SourceTradeId == "X-2004");

        // The accountant reads the end of day and runs it; the page says how it went, step by step.
        IPage accountant = await browser.SignInAsync(baseUrl, "abe", "accountant-password-1");
        await accountant.Locator("html[data-keys=ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await accountant.Keyboard.PressAsync("g");
        await accountant.Keyboard.PressAsync("o");
        await Assertions.Expect(accountant).ToHaveURLAsync(new Regex("/console/eod$"));
        await accountant.WaitForLoadStateAsync(LoadState.Load);
        Assert.Equal(Application.EndOfDay.EodService.Steps.Length, await accountant.Locator("#eod-steps tbody tr").CountAsync());
        await accountant.GetByLabel("Business date").Last.FillAsync("2026-11-27");
        await accountant.GetByLabel("business days old").FillAsync("5");
        await accountant.GetByRole(AriaRole.Button, new() { Name = "Run end of day" }).ClickAsync();
        await accountant.Locator("main [role=status], main [role=alert]").First.WaitForAsync();
        IReadOnlyList<Application.EndOfDay.EodStepState> steps = await new Application.EndOfDay.EodService(server.Services.Store, server.Services.Processor)
            .StatusAsync(new NodaTime.LocalDate(2026, 11, 27), CancellationToken.None);
        Assert.Equal(steps.Select(s => s.Done ? "done" : "pending"), await accountant.Locator("#eod-steps tbody tr td:nth-child(2)").AllInnerTextsAsync());
        Assert.Equal(steps.All(s => s.Done), await accountant.GetByRole(AriaRole.Status).CountAsync() == 1);
        await accountant.ScreenshotAsync(new() { Path = Path.Combine(shots, "09-accountant-end-of-day.png"), FullPage = true });

        // Positions at market, with realized P&L below.
        await accountant.GotoAsync("/console/positions?asOf=2026-11-27");
        Assert.True(await accountant.Locator("#valuation tbody tr").CountAsync() >= 1);
        Assert.True(await accountant.Locator("#realized").CountAsync() == 1);
        await accountant.ScreenshotAsync(new() { Path = Path.Combine(shots, "10-positions.png"), FullPage = true });
        // The maker may not run the end of day: the form is not offered.
        await maker.GotoAsync("/console/eod");
        Assert.Equal(0, await maker.GetByRole(AriaRole.Button, new() { Name = "Run end of day" }).CountAsync());
    }
    [Fact]
    public async Task The_reconciliation_page_charts_the_demo_s_breaks_and_a_maker_explains_and_adjusts_one()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        Assert.True((await workspace.RunAsync("demo")).Exit == 0);
        await using TestServer server = await TestServer.StartAsync(workspace, Role.Auditor);
        await AddAsync(server, "mia", Role.OperationsMaker, "maker-password-1");
        await AddAsync(server, "carl", Role.OperationsChecker, "checker-password-1");
        await using Browser browser = await Browser.LaunchAsync();
        string shots = Screenshots();
        string baseUrl = server.Client.BaseAddress!.ToString();

        // g then r: the day's runs, the chart of unresolved breaks by age and source, and the demo's five breaks.
        IPage maker = await browser.SignInAsync(baseUrl, "mia", "maker-password-1");
        await maker.Locator("html[data-keys=ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await maker.Keyboard.PressAsync("g");
        await maker.Keyboard.PressAsync("r");
        await Assertions.Expect(maker).ToHaveURLAsync(new Regex("/console/recon$"));
        await maker.WaitForLoadStateAsync(LoadState.Load);
        Assert.Contains("Unresolved breaks by age", await maker.Locator("#breaks-by-age figcaption").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(2, await maker.Locator("#breaks-by-age svg rect.bar").CountAsync());
        Assert.Equal(5, await maker.Locator("#breaks tbody tr").CountAsync());
        Assert.Equal(2, await maker.Locator("#recon-runs tbody tr").CountAsync());
        await maker.ScreenshotAsync(new() { Path = Path.Combine(shots, "11-reconciliation.png"), FullPage = true });

        // The bank's breaks only, then the fee the bank charged (SB-7004) that is not in the books: explained with a note.
        await maker.GetByLabel("Source", new() { Exact = true }).FillAsync("SETTLEMENT-BANK");
        await maker.GetByLabel("Source", new() { Exact = true }).PressAsync("Enter");
        await Assertions.Expect(maker).ToHaveURLAsync(new Regex("source=SETTLEMENT-BANK"));
        await maker.WaitForLoadStateAsync(LoadState.Load);
        Assert.Equal(3, await maker.Locator("#breaks tbody tr").CountAsync());
        await maker.Locator("#breaks tbody tr", new() { HasText = "missing-in-books" }).Locator("td a").ClickAsync();
        await Assertions.Expect(maker).ToHaveURLAsync(new Regex("/console/recon/breaks/[0-9]+$"));
        await maker.WaitForLoadStateAsync(LoadState.Load);
        long breakId = long.Parse(maker.Url[(maker.Url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("SB-7004", await maker.Locator("main dl").InnerTextAsync(), StringComparison.Ordinal);
        await maker.GetByLabel("Note (to explain").FillAsync("bank fee for the month, not yet booked");
        await maker.GetByRole(AriaRole.Button, new() { Name = "Explain" }).ClickAsync();
        await maker.Locator("main [role=status], main [role=alert]").First.WaitForAsync();
        Assert.Equal("explained", (await maker.Locator("#break-status").InnerTextAsync()).Trim());
        Assert.Equal("bank fee for the month, not yet booked", (await maker.Locator("#break-note").InnerTextAsync()).Trim());
        Assert.Contains("explained", await maker.Locator("#break-events").InnerTextAsync(), StringComparison.Ordinal);

        // The adjusting entry books the fee; it waits for a checker.
        await maker.GetByLabel("Account, posting 1").FillAsync("5010");
        await maker.GetByLabel("Asset, posting 1").FillAsync("USD");
        await maker.GetByLabel("Amount, posting 1").FillAsync("25.00");
        await maker.GetByLabel("Account, posting 2").FillAsync("1010");
        await maker.GetByLabel("Asset, posting 2").FillAsync("USD");
        await maker.GetByLabel("Direction, posting 2").SelectOptionAsync("credit");
        await maker.GetByLabel("Amount, posting 2").FillAsync("25.00");
        await maker.ScreenshotAsync(new() { Path = Path.Combine(shots, "12-break-adjustment.png"), FullPage = true });
        await maker.GetByRole(AriaRole.Button, new() { Name = "Request approval" }).ClickAsync();
        await Assertions.Expect(maker).ToHaveURLAsync(new Regex("/console/approvals/[0-9]+$"));
        await maker.WaitForLoadStateAsync(LoadState.Load);
        Assert.Equal("pending", await maker.Locator("#approval-status").InnerTextAsync());
        Assert.Contains($"\"break_id\": {breakId}", await maker.Locator("#payload").InnerTextAsync(), StringComparison.Ordinal);

        // The checker approves: the entry books and the break is resolved.
        IPage checker = await browser.SignInAsync(baseUrl, "carl", "checker-password-1");
        await checker.GotoAsync(maker.Url);
        await checker.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await checker.Locator("#approval-status").GetByText("approved").WaitForAsync();
        await checker.GotoAsync($"/console/recon/breaks/{breakId}");
        Assert.Equal("resolved", (await checker.Locator("#break-status").InnerTextAsync()).Trim());
        Assert.Equal(0, await checker.GetByRole(AriaRole.Button, new() { Name = "Request approval" }).CountAsync());
        await checker.ScreenshotAsync(new() { Path = Path.Combine(shots, "13-break-resolved.png"), FullPage = true });
    }
}
