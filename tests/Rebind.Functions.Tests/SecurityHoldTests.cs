using System.Net;
using Rebind.Core.Accounts;
using Rebind.Core.Messaging;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.AccountFlows;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

/// <summary>
/// The anomaly holds on security changes (issue 15, item 3): each rule refuses phone, email, password and security
/// question changes with <c>403 security_change_held</c>, its reason and the time it opens; each opens on time and is
/// off at 0 (<c>Holds__*</c>).
/// </summary>
public sealed class SecurityHoldTests
{
    private static Task<HttpResponseMessage> BindEmailAsync(TestApp app, string token) =>
        SendAsync(app, HttpMethod.Post, "/api/me/email/bind", token, new { email = NewEmail() });

    private static async Task AssertHeldAsync(HttpResponseMessage response, string reason, DateTimeOffset opensAt)
    {
        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.Forbidden, AccountErrors.SecurityChangeHeldCode);
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        Assert.Equal(opensAt, problem.GetProperty("opensAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task AfterSignInReport_EveryKindOfChangeHeld_For72Hours()
    {
        await using var app = await TestApp.StartAsync();
        var reportedAt = app.Time.GetUtcNow().AddHours(-1);
        var phone = NewPhone();
        await SeedAsync(app, phone, change: a => a with { SignInReportedAt = reportedAt });
        var (token, _) = await SignInAsync(app, phone);
        var opensAt = reportedAt.AddHours(72);

        await AssertHeldAsync(await BindEmailAsync(app, token), "sign_in_reported", opensAt);
        await AssertHeldAsync(await SendAsync(app, HttpMethod.Post, "/api/me/phone/change", token, new { }), "sign_in_reported", opensAt);
        await AssertHeldAsync(await SendAsync(app, HttpMethod.Delete, "/api/me/phone", token), "sign_in_reported", opensAt);
        await AssertHeldAsync(await SendAsync(app, HttpMethod.Post, "/api/me/password", token, new { currentPassword = Password, newPassword = "lantern9-harbor-Z" }), "sign_in_reported", opensAt);
        await AssertHeldAsync(await SendAsync(app, HttpMethod.Put, "/api/me/security-questions", token, new { questions = Array.Empty<object>() }), "sign_in_reported", opensAt);
        Assert.Empty(await MessagesAsync(app, phone, MessageKinds.EmailCode));
        // The old channel stays open: a password reset by code starts.
        Assert.Equal(HttpStatusCode.Created, (await SignInPage.StartAsync(app, "/api/password/reset", phone)).StatusCode);

        app.Time.Advance(opensAt - app.Time.GetUtcNow());
        var (fresh, _) = await SignInAsync(app, phone);
        Assert.Equal(HttpStatusCode.Created, (await BindEmailAsync(app, fresh)).StatusCode);
    }

    [Fact]
    public async Task TenWrongCodesInAnHour_ChangesHeldUntilTheOldestIsAnHourOld()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        await SeedAsync(app, phone);
        var (token, _) = await SignInAsync(app, phone);
        var first = app.Time.GetUtcNow();
        for (var flow = 0; flow < 2; flow++)
        {
            var email = NewEmail();
            var flowId = (await StartAsync(app, HttpMethod.Post, "/api/me/email/bind", token, new { email })).GetProperty("flowId").GetString()!;
            var wrong = await CodeAsync(app, email) == "000000" ? "111111" : "000000";
            for (var i = 0; i < 5; i++)
            {
                await PostAsync(app, flowId, "code", token, new { code = wrong });
                app.Time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        // The tenth-newest failure is the first one: the hold opens an hour after it.
        await AssertHeldAsync(await BindEmailAsync(app, token), "failed_codes", first + TimeSpan.FromHours(1));

        app.Time.Advance(first + TimeSpan.FromHours(1) - app.Time.GetUtcNow());
        var (fresh, _) = await SignInAsync(app, phone);
        Assert.Equal(HttpStatusCode.Created, (await BindEmailAsync(app, fresh)).StatusCode);
    }

    [Fact]
    public async Task NewDevice_OnAnAccountOlderThanIt_HeldFor24Hours_TheOldDeviceIsNot()
    {
        await using var app = await TestApp.StartAsync(DeviceSignInTests.CheckOn());
        var phone = NewPhone();
        var now = app.Time.GetUtcNow();
        await SeedAsync(app, phone, change: a => a with { CreatedAt = now.AddDays(-60) });
        var device = NewDeviceId();
        var (fromNew, _, flowId) = await DeviceSignInTests.SignInNewDeviceAsync(app, phone, phone, device);
        await new FlowClient(app.Client).SettledAsync(await app.Client.GetAsync($"/api/flows/{flowId}"), TimeSpan.FromSeconds(30));
        var (fromKnown, _) = await SignInAsync(app, phone);

        await AssertHeldAsync(await BindEmailAsync(app, fromNew), "new_device", now.AddHours(24));
        Assert.Equal(HttpStatusCode.Created, (await BindEmailAsync(app, fromKnown)).StatusCode);

        app.Time.Advance(TimeSpan.FromHours(24));
        var again = await JsonAsync(await PostSignInAsync(app, phone, deviceId: device));
        Assert.Equal(HttpStatusCode.Created, (await BindEmailAsync(app, again.GetProperty("token").GetString()!)).StatusCode);
    }

    [Fact]
    public async Task NewDevice_TheAccountsFirstDay_NotHeld()
    {
        await using var app = await TestApp.StartAsync(DeviceSignInTests.CheckOn());
        var phone = NewPhone();
        await SeedAsync(app, phone);
        var (token, _, _) = await DeviceSignInTests.SignInNewDeviceAsync(app, phone, phone, NewDeviceId());

        Assert.Equal(HttpStatusCode.Created, (await BindEmailAsync(app, token)).StatusCode);
    }

    [Fact]
    public async Task EveryRuleOff_NothingHeld()
    {
        await using var app = await TestApp.StartAsync(DeviceSignInTests.CheckOn(
            ("Holds:AfterSignInReportHours", "0"), ("Holds:FailedCodesPerHour", "0"), ("Holds:NewDeviceHours", "0")));
        var phone = NewPhone();
        var now = app.Time.GetUtcNow();
        await SeedAsync(app, phone, change: a => a with { CreatedAt = now.AddDays(-60), SignInReportedAt = now.AddMinutes(-5) });
        var (token, _, _) = await DeviceSignInTests.SignInNewDeviceAsync(app, phone, phone, NewDeviceId());

        Assert.Equal(HttpStatusCode.Created, (await BindEmailAsync(app, token)).StatusCode);
    }
}
