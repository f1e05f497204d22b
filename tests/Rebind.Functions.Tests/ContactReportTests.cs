using System.Net;
using System.Text.RegularExpressions;
using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Messaging;
using Rebind.Core.Security;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.Accounts;
using static Rebind.Functions.Tests.Infrastructure.AccountFlows;

namespace Rebind.Functions.Tests;

/// <summary>
/// "This wasn't me" (issue 18): the notice of a newly bound contact carries a single-use link; posting its code within
/// the holding period removes that contact and ends every session, so a stolen session loses the account it took.
/// </summary>
public sealed partial class ContactReportTests
{
    private const string NotMe = "/api/contacts/not-me";

    [Fact]
    public async Task NotMe_StolenSessionBoundEmail_EmailRemovedSessionsEndedAndPhoneNotified()
    {
        await using var app = await TestApp.StartAsync();
        var (account, phone, email, stolen, code) = await AttackerBoundEmailAsync(app);
        var response = await SendAsync(app, HttpMethod.Post, NotMe, null, new { code });

        var view = await JsonAsync(response);
        Assert.Equal("email", view.GetProperty("contact").GetString());
        Assert.True(view.GetProperty("removed").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, HttpMethod.Get, "/api/me", stolen)).StatusCode);
        var after = await AccountAsync(app, account.Id);
        Assert.Null(after.Email);
        Assert.Null(after.EmailRecoveryHeldUntil);
        Assert.Equal(phone, after.Phone);
        Assert.NotEqual(account.SecurityStamp, after.SecurityStamp);
        Assert.Null(await Store(app).FindAccountIdAsync(IdentifierKind.Email, email));
        var (owner, _) = await SessionAsync(app, after, "Owner");
        Assert.Contains((ActivityTypes.ContactReported, ActivityOutcomes.Success, "email_removed"), await ActivityAsync(app, owner));
        var notice = Assert.Single(await MessagesAsync(app, phone, MessageKinds.SecurityNotice));
        Assert.Contains(Mask.Email(email), notice.GetProperty("text").GetString());
        Assert.Empty(await MessagesAsync(app, email, MessageKinds.SecurityNotice));
    }

    [Fact]
    public async Task NotMe_CodeUsedTwice_SecondIsInvalidReportCode()
    {
        await using var app = await TestApp.StartAsync();
        var (account, phone, email, stolen, code) = await AttackerBoundEmailAsync(app);

        await JsonAsync(await SendAsync(app, HttpMethod.Post, NotMe, null, new { code }));
        var stampAfterFirst = (await AccountAsync(app, account.Id)).SecurityStamp;
        var second = await SendAsync(app, HttpMethod.Post, NotMe, null, new { code = code.ToLowerInvariant() });

        await ProblemAssert.IsProblem(second, HttpStatusCode.BadRequest, "invalid_report_code");
        Assert.Equal(stampAfterFirst, (await AccountAsync(app, account.Id)).SecurityStamp);
        Assert.Single(await MessagesAsync(app, phone, MessageKinds.SecurityNotice));
    }

    [Fact]
    public async Task NotMe_AfterHoldingPeriod_InvalidReportCodeAndEmailKept()
    {
        await using var app = await TestApp.StartAsync();
        var (account, phone, email, stolen, code) = await AttackerBoundEmailAsync(app);
        var stamp = (await AccountAsync(app, account.Id)).SecurityStamp;

        app.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var response = await SendAsync(app, HttpMethod.Post, NotMe, null, new { code });

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "invalid_report_code");
        var after = await AccountAsync(app, account.Id);
        Assert.Equal(email, after.Email);
        Assert.Equal(stamp, after.SecurityStamp);
    }

    [Fact]
    public async Task NotMe_GarbageCode_InvalidReportCodeWithNoStorageBeyondRateLimiter()
    {
        await using var app = await TestApp.StartAsync();
        app.StorageRequests.Reset();

        var garbage = await SendAsync(app, HttpMethod.Post, NotMe, null, new { code = "' or 1=1 --<script>x</script>" });
        var garbageRequests = app.StorageRequests.Count;
        var reportsTableAfterGarbage = await ReportsTableExistsAsync(app);
        var unknown = await SendAsync(app, HttpMethod.Post, NotMe, null, new { code = ReportCodes.New().Code });

        await ProblemAssert.IsProblem(garbage, HttpStatusCode.BadRequest, "invalid_report_code");
        await ProblemAssert.IsProblem(unknown, HttpStatusCode.BadRequest, "invalid_report_code");
        // The report table is created on first use: after the garbage it does not exist (nothing read or written
        // there), after a well-formed unknown code it does. The limiter alone did count (its table is separate).
        Assert.False(reportsTableAfterGarbage);
        Assert.True(await ReportsTableExistsAsync(app));
        Assert.True(garbageRequests > 0, "the per-IP limiter counts before the code is looked at");
    }

    /// <summary>An account on a phone; a stolen session binds the attacker's email; the code of the phone's link.</summary>
    private static async Task<(Account Account, string Phone, string Email, string Stolen, string Code)> AttackerBoundEmailAsync(TestApp app)
    {
        var (phone, email) = (NewPhone(), NewEmail());
        var account = await SeedAsync(app, phone);
        var (stolen, _) = await SessionAsync(app, account, "Attacker");
        await BindAsync(app, stolen, "/api/me/email/bind", new { email }, email);
        return (account, phone, email, stolen, await ReportCodeAsync(app, phone));
    }

    private static async Task<bool> ReportsTableExistsAsync(TestApp app)
    {
        var tables = app.Services.GetRequiredService<Rebind.Azure.Stores.RebindTables>();
        var name = tables.Prefix + Rebind.Azure.Stores.TableContactReports.Table;
        await foreach (var _ in tables.Service.QueryAsync(t => t.Name == name))
        {
            return true;
        }
        return false;
    }

    [Fact]
    public async Task NotMe_AttackerAlreadyRemovedPhone_StampStillRotated()
    {
        await using var app = await TestApp.StartAsync();
        var (phone, email) = (NewPhone(), NewEmail());
        var account = await SeedAsync(app, email: email);
        var (stolen, _) = await SessionAsync(app, account, "Attacker");
        await BindAsync(app, stolen, "/api/me/phone/bind", new { phone }, phone);
        var code = await ReportCodeAsync(app, email);
        var unbind = (await StartAsync(app, HttpMethod.Delete, "/api/me/phone", stolen)).GetProperty("flowId").GetString()!;
        // The phone got two codes at one instant of the manual clock: ask for the unbind's by kind.
        await JsonAsync(await PostAsync(app, unbind, "code", stolen, new { code = await CodeAsync(app, phone, MessageKinds.VerifyOldPhoneCode) }));
        Assert.Null((await AccountAsync(app, account.Id)).Phone);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Get, "/api/me", stolen)).StatusCode);

        var view = await JsonAsync(await SendAsync(app, HttpMethod.Post, NotMe, null, new { code }));

        Assert.Equal("phone", view.GetProperty("contact").GetString());
        Assert.False(view.GetProperty("removed").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, HttpMethod.Get, "/api/me", stolen)).StatusCode);
        var after = await AccountAsync(app, account.Id);
        Assert.Equal(email, after.Email);
        var (owner, _) = await SessionAsync(app, after, "Owner");
        Assert.Contains((ActivityTypes.ContactReported, ActivityOutcomes.Success, "phone_not_bound"), await ActivityAsync(app, owner));
        Assert.Single(await MessagesAsync(app, email, MessageKinds.SecurityNotice));
    }

    [Fact]
    public async Task NotMe_ReportUrlFormatSet_NoticeLinksThereAndCodeWorks()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Recovery:ReportUrlFormat"] = "rebind://security/not-me/{code}" });
        var (phone, email) = (NewPhone(), NewEmail());
        var account = await SeedAsync(app, phone);
        var (stolen, _) = await SessionAsync(app, account, "Attacker");
        await BindAsync(app, stolen, "/api/me/email/bind", new { email }, email);

        var notice = Assert.Single(await MessagesAsync(app, phone, MessageKinds.ContactAddedNotice));
        var code = CustomLink().Match(notice.GetProperty("text").GetString()!).Groups[1].Value;

        Assert.Equal(26, code.Length);
        Assert.True((await JsonAsync(await SendAsync(app, HttpMethod.Post, NotMe, null, new { code }))).GetProperty("removed").GetBoolean());
    }

    /// <summary>Binds through the signed-in flow with the code sent to <paramref name="to"/>.</summary>
    private static async Task BindAsync(TestApp app, string token, string path, object body, string to)
    {
        var flow = (await StartAsync(app, HttpMethod.Post, path, token, body)).GetProperty("flowId").GetString()!;
        Assert.Equal("completed", (await ConfirmedAsync(app, flow, to, token)).GetProperty("state").GetString());
    }

    /// <summary>The report code in the link of the single contact-added notice to <paramref name="to"/>.</summary>
    private static async Task<string> ReportCodeAsync(TestApp app, string to)
    {
        var notice = Assert.Single(await MessagesAsync(app, to, MessageKinds.ContactAddedNotice));
        var match = ReportLink().Match(notice.GetProperty("text").GetString()!);
        Assert.True(match.Success, notice.GetProperty("text").GetString());
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"https://app\.example/not-me\?code=([0-9A-Z]{26})")]
    private static partial Regex ReportLink();

    [GeneratedRegex(@"rebind://security/not-me/([0-9A-Z]{26})")]
    private static partial Regex CustomLink();
}
