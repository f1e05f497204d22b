using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;
using Rebind.Core.Messaging;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.AccountFlows;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

/// <summary>
/// New-device verification (issue 15, item 1) and the sign-in alert with its "this wasn't me" link (item 2), over HTTP
/// with the check on, as in production.
/// </summary>
public sealed partial class DeviceSignInTests
{
    /// <summary>Settings of an app with the new-device check on (its default; test apps turn it off).</summary>
    public static Dictionary<string, string?> CheckOn(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["SignIn:VerifyNewDevices"] = "true" };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }

    public static Task<HttpResponseMessage> VerifyAsync(TestApp app, string flowId, string code, string? deviceName = null) =>
        app.Client.PostAsJsonAsync("/api/auth/sign-in/verify", new { flowId, code, deviceName });

    /// <summary>Signs in from a new device and passes its code; returns the token, the session id and the flow id.</summary>
    public static async Task<(string Token, string SessionId, string FlowId)> SignInNewDeviceAsync(TestApp app, string identifier, string to, string deviceId, string deviceName = "New phone")
    {
        var started = await PostSignInAsync(app, identifier, deviceName: deviceName, deviceId: deviceId);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var flowId = (await JsonAsync(started)).GetProperty("flowId").GetString()!;
        var signedIn = await JsonAsync(await VerifyAsync(app, flowId, await CodeAsync(app, to, MessageKinds.DeviceSignInCode)));
        return (signedIn.GetProperty("token").GetString()!, signedIn.GetProperty("sessionId").GetString()!, flowId);
    }

    /// <summary>The "this wasn't me" code in the newest sign-in alert to <paramref name="to"/>.</summary>
    public static async Task<string> ReportCodeAsync(TestApp app, string to)
    {
        var alert = (await MessagesAsync(app, to, MessageKinds.SignInAlertNotice)).First();
        return ReportCode().Match(alert.GetProperty("text").GetString()!).Groups[1].Value;
    }

    [Fact]
    public async Task NewDevice_RightPassword_CodeToPhoneThenSession_DeviceKnownAfter_AlertToBothContacts()
    {
        await using var app = await TestApp.StartAsync(CheckOn());
        var (phone, email) = (NewPhone(), NewEmail());
        var account = await SeedAsync(app, phone, email, change: KnowsTestDevice);
        var device = NewDeviceId();

        var started = await PostSignInAsync(app, phone, deviceName: "Pixel 9", deviceId: device);

        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var flow = await JsonAsync(started);
        Assert.Equal("verify_device", flow.GetProperty("kind").GetString());
        Assert.Equal("code", flow.GetProperty("next").GetString());
        Assert.False(flow.TryGetProperty("token", out _));
        Assert.Equal($"/api/flows/{flow.GetProperty("flowId").GetString()}", started.Headers.Location?.ToString());
        Assert.DoesNotContain(phone, flow.GetProperty("destination").GetString());
        var flowId = flow.GetProperty("flowId").GetString()!;
        Assert.Empty(await app.Services.GetRequiredService<Rebind.Core.Sessions.ISessionService>().ListAsync(account.Id));

        var code = await CodeAsync(app, phone, MessageKinds.DeviceSignInCode);
        var wrong = await ProblemAssert.IsProblem(await VerifyAsync(app, flowId, code == "000000" ? "111111" : "000000"), HttpStatusCode.BadRequest, FlowErrorCodes.InvalidCode);
        Assert.Equal(4, wrong.GetProperty("attemptsLeft").GetInt32());
        var signedIn = await JsonAsync(await VerifyAsync(app, flowId, code));
        var token = signedIn.GetProperty("token").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Get, "/api/me", token)).StatusCode);
        // One code, one session: a second submit finds the flow finished (or still applying: code_used).
        var again = await VerifyAsync(app, flowId, code);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains(JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString(), new[] { FlowErrorCodes.CodeUsed, FlowErrorCodes.FlowCompleted });
        var settled = await new FlowClient(app.Client).SettledAsync(await app.Client.GetAsync($"/api/flows/{flowId}"), TimeSpan.FromSeconds(30));
        Assert.Equal("completed", settled.GetProperty("state").GetString());
        var stored = await AccountAsync(app, account.Id);
        var known = Assert.Single(stored.KnownDevices, d => d.Hash == KnownDevice.HashOf(device));
        Assert.Equal("Pixel 9", known.Name);
        Assert.Equal(app.Time.GetUtcNow(), known.FirstSeenAt);
        var sessions = await app.Services.GetRequiredService<Rebind.Core.Sessions.ISessionService>().ListAsync(account.Id);
        Assert.Equal(KnownDevice.HashOf(device), Assert.Single(sessions).DeviceHash);

        // The alert: one per contact, with the device, the place and a "this wasn't me" link.
        foreach (var to in new[] { phone, email })
        {
            var alert = Assert.Single(await MessagesAsync(app, to, MessageKinds.SignInAlertNotice));
            var text = alert.GetProperty("text").GetString()!;
            Assert.Contains("Pixel 9", text, StringComparison.Ordinal);
            Assert.Contains("127.0.0.1", text, StringComparison.Ordinal);
            Assert.Matches(ReportCode(), text);
        }

        // Next time from that device: no code.
        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(app, phone, deviceId: device)).StatusCode);
        var history = await ActivityAsync(app, token);
        Assert.Contains(history, e => e.Type == ActivityTypes.DeviceVerified);
        Assert.Contains(history, e => e is { Type: ActivityTypes.SignIn, Outcome: "success", Detail: "new_device" });
        Assert.Contains(history, e => e is { Type: "verify_device", Outcome: "failure", Detail: FlowErrorCodes.InvalidCode });
    }

    [Fact]
    public async Task SignUp_WithADeviceId_ThatDeviceIsKnown_AnotherIsNew()
    {
        await using var app = await TestApp.StartAsync(CheckOn());
        var client = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var device = NewDeviceId();
        var flowId = (await JsonAsync(await app.Client.PostAsJsonAsync("/api/signup", new { phone, deviceId = device, deviceName = "Pixel 9" }))).GetProperty("flowId").GetString()!;
        await JsonAsync(await client.SubmitCodeAsync(flowId, await client.LatestCodeAsync(phone)));
        Assert.Equal("completed", (await client.SettledAsync(await client.SetPasswordAsync(flowId, FlowClient.StrongPassword), TimeSpan.FromSeconds(30))).GetProperty("state").GetString());

        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(app, phone, FlowClient.StrongPassword, deviceId: device)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostSignInAsync(app, phone, FlowClient.StrongPassword, deviceId: NewDeviceId())).StatusCode);
        await ProblemAssert.IsProblem(await app.Client.PostAsJsonAsync("/api/signup", new { phone = FlowClient.NewPhone(), deviceId = "1" }), HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task NewDevice_NoPhoneBound_CodeGoesByEmail()
    {
        await using var app = await TestApp.StartAsync(CheckOn());
        var email = NewEmail();
        await SeedAsync(app, email: email);

        var (token, _, _) = await SignInNewDeviceAsync(app, email, email, NewDeviceId());

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Get, "/api/me", token)).StatusCode);
        Assert.Single(await MessagesAsync(app, email, MessageKinds.DeviceSignInCode));
    }

    [Fact]
    public async Task NoDeviceId_CodeEveryTime_NothingRemembered()
    {
        await using var app = await TestApp.StartAsync(CheckOn());
        var phone = NewPhone();
        var account = await SeedAsync(app, phone, change: KnowsTestDevice);

        Assert.Equal(HttpStatusCode.Created, (await PostSignInAsync(app, phone)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostSignInAsync(app, phone, ip: null, deviceId: null)).StatusCode);

        Assert.Single((await AccountAsync(app, account.Id)).KnownDevices);
    }

    [Fact]
    public async Task KnownDevice_OrTheHeader_SessionAtOnce_AndCheckOff_SessionForAnyDevice()
    {
        await using var on = await TestApp.StartAsync(CheckOn());
        var phone = NewPhone();
        await SeedAsync(on, phone, change: KnowsTestDevice);
        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(on, phone, deviceId: TestDeviceId)).StatusCode);
        using var byHeader = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sign-in") { Content = JsonContent.Create(new { identifier = phone, password = Password }) };
        byHeader.Headers.Add("X-Device-Id", TestDeviceId);
        Assert.Equal(HttpStatusCode.OK, (await on.Client.SendAsync(byHeader)).StatusCode);
        Assert.Empty(await MessagesAsync(on, phone, MessageKinds.DeviceSignInCode));

        await using var off = await TestApp.StartAsync(new Dictionary<string, string?> { ["SignIn:VerifyNewDevices"] = "false" });
        var other = NewPhone();
        var account = await SeedAsync(off, other);
        var device = NewDeviceId();
        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(off, other, deviceId: device)).StatusCode);
        Assert.True(KnownDevice.IsKnown((await AccountAsync(off, account.Id)).KnownDevices, device));
        Assert.Empty(await MessagesAsync(off, other, MessageKinds.DeviceSignInCode));
    }

    [Fact]
    public async Task Code_TheRulesOfEveryCode_FiveTries_Cooldown_TenMinutes_NotThroughTheFlowsCodeEndpoint()
    {
        await using var app = await TestApp.StartAsync(CheckOn());
        var phone = NewPhone();
        await SeedAsync(app, phone);
        var flowId = (await JsonAsync(await PostSignInAsync(app, phone, deviceId: NewDeviceId()))).GetProperty("flowId").GetString()!;
        var code = await CodeAsync(app, phone, MessageKinds.DeviceSignInCode);
        var wrongCode = code == "000000" ? "111111" : "000000";

        // The generic code endpoint would confirm without a session: refused, and it costs no attempt.
        await ProblemAssert.IsProblem(await PostAsync(app, flowId, "code", null, new { code }), HttpStatusCode.Conflict, FlowErrorCodes.InvalidState);
        // Cooldown on resend (60 s).
        await ProblemAssert.IsProblem(await PostAsync(app, flowId, "resend", null), (HttpStatusCode)429, FlowErrorCodes.ResendCooldown);
        // Five wrong codes kill the challenge.
        for (var i = 4; i >= 1; i--)
        {
            var wrong = await ProblemAssert.IsProblem(await VerifyAsync(app, flowId, wrongCode), HttpStatusCode.BadRequest, FlowErrorCodes.InvalidCode);
            Assert.Equal(i, wrong.GetProperty("attemptsLeft").GetInt32());
        }
        await ProblemAssert.IsProblem(await VerifyAsync(app, flowId, wrongCode), (HttpStatusCode)429, FlowErrorCodes.TooManyAttempts);
        await ProblemAssert.IsProblem(await VerifyAsync(app, flowId, code), (HttpStatusCode)429, FlowErrorCodes.TooManyAttempts);

        // A fresh sign-in: its code expires after 10 minutes.
        var second = (await JsonAsync(await PostSignInAsync(app, phone, deviceId: NewDeviceId()))).GetProperty("flowId").GetString()!;
        var secondCode = await CodeAsync(app, phone, MessageKinds.DeviceSignInCode);
        app.Time.Advance(TimeSpan.FromMinutes(10));
        await ProblemAssert.IsProblem(await VerifyAsync(app, second, secondCode), HttpStatusCode.Gone, FlowErrorCodes.CodeExpired);
        // Another kind's flow id is no verify flow.
        await ProblemAssert.IsProblem(await VerifyAsync(app, "f" + Guid.NewGuid().ToString("N"), secondCode), HttpStatusCode.NotFound, FlowErrorCodes.FlowNotFound);
    }

    [Fact]
    public async Task NotMe_FromTheAlert_EndsThatSession_RequiresAReset_Recorded_OnceOnly()
    {
        await using var app = await TestApp.StartAsync(CheckOn());
        var (phone, email) = (NewPhone(), NewEmail());
        var account = await SeedAsync(app, phone, email, change: KnowsTestDevice);
        var (owner, _) = await SignInAsync(app, phone);
        var (intruder, _, flowId) = await SignInNewDeviceAsync(app, phone, phone, NewDeviceId(), "Unknown tablet");
        await new FlowClient(app.Client).SettledAsync(await app.Client.GetAsync($"/api/flows/{flowId}"), TimeSpan.FromSeconds(30));
        var code = await ReportCodeAsync(app, email);

        var reported = await JsonAsync(await app.Client.PostAsJsonAsync("/api/auth/not-me", new { code }));

        Assert.True(reported.GetProperty("sessionEnded").GetBoolean());
        Assert.True(reported.GetProperty("passwordResetRequired").GetBoolean());
        Assert.Equal(app.Time.GetUtcNow().AddHours(72), reported.GetProperty("changesHeldUntil").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, HttpMethod.Get, "/api/me", intruder)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Get, "/api/me", owner)).StatusCode);
        // The right password, even from the owner's known device, now needs a reset first.
        await ProblemAssert.IsProblem(await PostSignInAsync(app, phone, deviceId: TestDeviceId), HttpStatusCode.Forbidden, AccountErrors.PasswordResetRequiredCode);
        await ProblemAssert.IsProblem(await PostSignInAsync(app, phone, "wrong-password-1", deviceId: TestDeviceId), HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
        Assert.Contains(await ActivityAsync(app, owner), e => e is { Type: ActivityTypes.SignInReported, Detail: "session_ended" });
        Assert.Single(await MessagesAsync(app, phone, MessageKinds.SecurityNotice));
        await ProblemAssert.IsProblem(await app.Client.PostAsJsonAsync("/api/auth/not-me", new { code }), HttpStatusCode.BadRequest, FlowErrorCodes.InvalidReportCode);
        await ProblemAssert.IsProblem(await app.Client.PostAsJsonAsync("/api/auth/not-me", new { code = "nope" }), HttpStatusCode.BadRequest, FlowErrorCodes.InvalidReportCode);

        // The reset clears it: the new password signs in (from the known device, at once).
        var client = new FlowClient(app.Client);
        var reset = (await JsonAsync(await app.Client.PostAsJsonAsync("/api/password/reset", new { identifier = phone }))).GetProperty("flowId").GetString()!;
        await JsonAsync(await client.SubmitCodeAsync(reset, await CodeAsync(app, phone, MessageKinds.PasswordResetCode)));
        await client.SettledAsync(await client.SetPasswordAsync(reset, "lantern9-harbor-Z"), TimeSpan.FromSeconds(30));
        Assert.Null((await AccountAsync(app, account.Id)).PasswordResetRequiredAt);
        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(app, phone, "lantern9-harbor-Z", deviceId: TestDeviceId)).StatusCode);
    }

    [Fact]
    public async Task NotMe_AfterItsValidity_Refused()
    {
        await using var app = await TestApp.StartAsync(CheckOn(("SignIn:ReportValidHours", "1")));
        var phone = NewPhone();
        await SeedAsync(app, phone);
        var (_, _, flowId) = await SignInNewDeviceAsync(app, phone, phone, NewDeviceId());
        await new FlowClient(app.Client).SettledAsync(await app.Client.GetAsync($"/api/flows/{flowId}"), TimeSpan.FromSeconds(30));
        var code = await ReportCodeAsync(app, phone);

        app.Time.Advance(TimeSpan.FromHours(1));

        await ProblemAssert.IsProblem(await app.Client.PostAsJsonAsync("/api/auth/not-me", new { code }), HttpStatusCode.BadRequest, FlowErrorCodes.InvalidReportCode);
    }

    [GeneratedRegex(@"code=([0-9A-Z]{26})")]
    private static partial Regex ReportCode();
}
