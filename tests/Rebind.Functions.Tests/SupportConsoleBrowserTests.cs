using Microsoft.Playwright;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

/// <summary>
/// The support console in a real browser: Debian's chromium (<c>/usr/bin/chromium</c>, installed by
/// <c>scripts/common.sh</c>) driven by Microsoft.Playwright. Writes <c>docs/support-queue.png</c> and
/// <c>docs/support-case.png</c> when <c>REBIND_SCREENSHOTS</c> names the repository root.
/// </summary>
public sealed class SupportConsoleBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    private static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        Assert.True(File.Exists(Chromium), "chromium is missing: apt-get install -y chromium (./test.sh installs it as root)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }

    private static async Task ConsoleSignInAsync(IPage page, TestApp app, string name, params string[] roles)
    {
        await page.GotoAsync(new Uri(app.Client.BaseAddress!, "/support").ToString());
        Assert.EndsWith("/support/sign-in", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#name", name);
        foreach (var role in roles)
        {
            await page.CheckAsync("#role-" + role);
        }
        await page.ClickAsync("button[type=submit]");
    }

    [Fact]
    public async Task Agent_OpensQueueAndCase_Approves_SeesTheAudit_RiskyNeedsSupervisor_NoRoleIs403_TextEscaped()
    {
        await using var app = await TestApp.StartAsync();
        var (oldPhone, email, newPhone) = (NewPhone(), NewEmail(), NewPhone());
        await SeedAsync(app, oldPhone, email, a => a with { Profile = new Dictionary<string, string> { ["nickname"] = "Mimi", ["team"] = "Acme Ops" } });
        await SignInAsync(app, oldPhone, deviceName: "Pixel 8");
        var good = await SupportCases.SubmittedAsync(app, new
        {
            phone = oldPhone, email, newPhone, places = new[] { "127.0.0" }, devices = new[] { "Pixel 8" }, nickname = "mimi", team = "acme ops",
            signUpDate = app.Time.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), earlierPasswords = new[] { Password },
        }, newPhone);
        var (riskyPhone, riskyNew) = (NewPhone(), NewPhone());
        await SeedAsync(app, riskyPhone);
        var risky = await SupportCases.SubmittedAsync(app, new { phone = riskyPhone, newPhone = riskyNew, nickname = "<script>alert('x')</script>" }, riskyNew);

        var (playwright, browser) = await LaunchAsync();
        try
        {
            var alerts = 0;
            var agent = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
            agent.Dialog += (_, dialog) => { alerts++; _ = dialog.DismissAsync(); };
            await ConsoleSignInAsync(agent, app, "alice", "agent");

            // The queue, oldest first, with both cases.
            Assert.True(await agent.QuerySelectorAsync("#queue") is not null, agent.Url + "\n" + await agent.ContentAsync());
            var queue = await agent.InnerTextAsync("#queue");
            Assert.Contains(SupportCases.Ref(good), queue, StringComparison.Ordinal);
            Assert.Contains(SupportCases.Ref(risky), queue, StringComparison.Ordinal);
            await Screenshot(agent, "support-queue.png");

            // The case: claims beside the records, then approve.
            await agent.ClickAsync($"a:text('{SupportCases.Ref(good)}')");
            Assert.Contains("80 / 100", await agent.InnerTextAsync("#score"), StringComparison.Ordinal);
            Assert.Contains("match", await agent.InnerTextAsync("#evidence"), StringComparison.Ordinal);
            await Screenshot(agent, "support-case.png");
            await agent.ClickAsync("button:text('Approve')");
            await agent.WaitForSelectorAsync("#state:text('cooling_off')");
            var audit = await agent.InnerTextAsync("#audit");
            Assert.Contains("approve", audit, StringComparison.Ordinal);
            Assert.Contains("view_case", audit, StringComparison.Ordinal);
            Assert.Contains("alice", audit, StringComparison.Ordinal);

            // The risky case: the nickname shows as text (no script ran), and alice's approval is only the first.
            await agent.GotoAsync(new Uri(app.Client.BaseAddress!, "/support/cases/" + SupportCases.Ref(risky)).ToString());
            Assert.Contains("<script>alert('x')</script>", await agent.InnerTextAsync("#evidence"), StringComparison.Ordinal);
            Assert.Contains("risky", await agent.InnerTextAsync("#risk"), StringComparison.Ordinal);
            await agent.ClickAsync("button:text('Approve')");
            await agent.WaitForSelectorAsync("#state:text('awaiting_second_approval')");

            var bob = await browser.NewPageAsync();
            await ConsoleSignInAsync(bob, app, "bob", "agent");
            await bob.GotoAsync(new Uri(app.Client.BaseAddress!, "/support/cases/" + SupportCases.Ref(risky)).ToString());
            var refused = await bob.RunAndWaitForResponseAsync(() => bob.ClickAsync("button:text('Approve')"), r => r.Url.EndsWith("/approve", StringComparison.Ordinal));
            Assert.Equal(403, refused.Status);
            Assert.Contains("supervisor", await bob.InnerTextAsync("#message"), StringComparison.Ordinal);

            var carol = await browser.NewPageAsync();
            await ConsoleSignInAsync(carol, app, "carol", "supervisor");
            await carol.GotoAsync(new Uri(app.Client.BaseAddress!, "/support/cases/" + SupportCases.Ref(risky)).ToString());
            await carol.ClickAsync("button:text('Approve')");
            await carol.WaitForSelectorAsync("#state:text('cooling_off')");

            // Without a role: 403.
            var mallory = await browser.NewPageAsync();
            await ConsoleSignInAsync(mallory, app, "mallory");
            var forbidden = await mallory.GotoAsync(new Uri(app.Client.BaseAddress!, "/support").ToString());
            Assert.Equal(403, forbidden!.Status);
            Assert.Equal(0, alerts);
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }

    private static async Task Screenshot(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("REBIND_SCREENSHOTS") is { Length: > 0 } root)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(root, "docs", name), FullPage = true });
        }
    }
}
