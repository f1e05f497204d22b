using System.Net;
using System.Text.Json;
using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

/// <summary>
/// Strangers' failures count per account and client: they throttle the client that made them (and, past a count
/// for all of them together, other unknown clients), never the account's known devices nor its sessions'
/// re-authentication, never lock the account, and tell the owner once.
/// </summary>
public sealed class SignInLockoutTests
{
    private const string OwnerIp = "198.51.100.7";
    private const string StrangerIp = "203.0.113.66";

    [Fact]
    public async Task SignIn_StrangerThrottled_OwnersKnownDeviceAndOtherIpWithRightPassword_Succeed()
    {
        await using var app = await TestApp.StartAsync(TestApp.BehindFrontEnd());
        var phone = NewPhone();
        var account = await SeedAsync(app, phone: phone);
        var device = NewDeviceId();
        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(app, phone, ip: OwnerIp, deviceId: device)).StatusCode);
        for (var i = 0; i < 5; i++)
        {
            await ProblemAssert.IsProblem(await PostSignInAsync(app, phone, "wrong-password-1", ip: StrangerIp), HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
        }
        await ProblemAssert.IsProblem(await PostSignInAsync(app, phone, ip: StrangerIp), (HttpStatusCode)429, AccountErrors.SignInThrottledCode);

        // The owner's device, even behind the stranger's address (one NAT), and the owner's own address without a device id.
        var fromDevice = await PostSignInAsync(app, phone, ip: StrangerIp, deviceId: device);
        var fromOwnerIp = await PostSignInAsync(app, phone, ip: OwnerIp);
        var strangerAgain = await PostSignInAsync(app, phone, ip: StrangerIp);

        Assert.Equal(HttpStatusCode.OK, fromDevice.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromOwnerIp.StatusCode);
        await ProblemAssert.IsProblem(strangerAgain, (HttpStatusCode)429, AccountErrors.SignInThrottledCode);
        var stored = (await app.Services.GetRequiredService<IAccountStore>().GetAsync(account.Id))!.Value;
        Assert.Equal(KnownDevice.HashOf(device), Assert.Single(stored.KnownDevices).Hash);
        Assert.Equal(0, stored.ConsecutiveFailedSignIns);
    }

    [Fact]
    public async Task SignIn_StrangerFailures_ThrottleThatClientWithRetryAfter_NotOthers_WhateverDeviceIdItSends()
    {
        await using var app = await TestApp.StartAsync(TestApp.BehindFrontEnd());
        var phone = NewPhone();
        await SeedAsync(app, phone: phone);
        for (var i = 0; i < 5; i++)
        {
            // A new device id each time: ids that never signed in are no client key, the address is.
            await ProblemAssert.IsProblem(await PostSignInAsync(app, phone, "wrong-password-1", ip: StrangerIp, deviceId: NewDeviceId()),
                HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
        }

        var throttled = await PostSignInAsync(app, phone, "wrong-password-1", ip: StrangerIp, deviceId: NewDeviceId());
        var otherClient = await PostSignInAsync(app, phone, "wrong-password-1", ip: OwnerIp);

        var json = await ProblemAssert.IsProblem(throttled, (HttpStatusCode)429, AccountErrors.SignInThrottledCode);
        Assert.Equal(30, json.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal(TimeSpan.FromSeconds(30), throttled.Headers.RetryAfter?.Delta);
        await ProblemAssert.IsProblem(otherClient, HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
    }

    [Fact]
    public async Task SignIn_StrangerFailuresPastTheCeiling_NeverRequireAPasswordReset()
    {
        await using var app = await TestApp.StartAsync(TestApp.BehindFrontEnd(new Dictionary<string, string?> { ["SignIn:FailureCeiling"] = "12" }));
        var phone = NewPhone();
        var account = await SeedAsync(app, phone: phone);
        var device = NewDeviceId();
        var token = (await JsonAsync(await PostSignInAsync(app, phone, ip: OwnerIp, deviceId: device))).GetProperty("token").GetString()!;
        for (var i = 0; i < 12; i++)
        {
            // Each one after the longest delay: never throttled, every one a checked, wrong guess.
            app.Time.Advance(TimeSpan.FromMinutes(15));
            await ProblemAssert.IsProblem(await PostSignInAsync(app, phone, "wrong-password-1", ip: StrangerIp), HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
        }
        app.Time.Advance(TimeSpan.FromMinutes(15));

        var fromDevice = await PostSignInAsync(app, phone, deviceId: device, ip: OwnerIp);
        var fromNewAddress = await PostSignInAsync(app, phone, ip: "192.0.2.44");
        var fromStrangersAddress = await PostSignInAsync(app, phone, ip: StrangerIp);

        Assert.Equal(HttpStatusCode.OK, fromDevice.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromNewAddress.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromStrangersAddress.StatusCode);
        Assert.Equal(0, (await app.Services.GetRequiredService<IAccountStore>().GetAsync(account.Id))!.Value.ConsecutiveFailedSignIns);
        // Every failure is in the owner's history, as before.
        var history = await AccountFlows.ActivityAsync(app, token);
        Assert.Equal(12, history.Count(e => e == (ActivityTypes.SignIn, ActivityOutcomes.Failure, AccountErrors.InvalidCredentialsCode)));
    }

    [Fact]
    public async Task Reauthenticate_AfterStrangerFailures_NotThrottled_AndCountsOnItsOwn()
    {
        await using var app = await TestApp.StartAsync(TestApp.BehindFrontEnd());
        var phone = NewPhone();
        var account = await SeedAsync(app, phone: phone);
        var token = (await JsonAsync(await PostSignInAsync(app, phone, ip: OwnerIp))).GetProperty("token").GetString()!;
        foreach (var ip in new[] { StrangerIp, OwnerIp })
        {
            for (var i = 0; i < 6; i++)
            {
                await PostSignInAsync(app, phone, "wrong-password-1", ip: ip);
            }
            await ProblemAssert.IsProblem(await PostSignInAsync(app, phone, ip: ip), (HttpStatusCode)429, AccountErrors.SignInThrottledCode);
        }

        var wrong = await SendAsync(app, HttpMethod.Post, "/api/auth/reauthenticate", token, new { password = "wrong-password-1" });
        var ownCounted = (await app.Services.GetRequiredService<IAccountStore>().GetAsync(account.Id))!.Value.ConsecutiveFailedSignIns;
        var right = await SendAsync(app, HttpMethod.Post, "/api/auth/reauthenticate", token, new { password = Password });

        await ProblemAssert.IsProblem(wrong, HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        var strangers = await ClientFailuresAsync(app, AccountSubject(account), StrangerIp);
        // Five counted from each address (the sixth was throttled, not checked); none on the account's own counter.
        Assert.Equal((5, 10), (strangers.Client.Count, strangers.All.Count));
        Assert.Equal(1, ownCounted);
    }

    [Fact]
    public async Task SignIn_StrangersAcrossManyClients_SlowNewClientsTogether_NeverTheKnownDevice()
    {
        await using var app = await TestApp.StartAsync(TestApp.BehindFrontEnd(new Dictionary<string, string?> { ["SignIn:AccountFreeFailures"] = "10" }));
        var phone = NewPhone();
        await SeedAsync(app, phone: phone);
        var device = NewDeviceId();
        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(app, phone, ip: OwnerIp, deviceId: device)).StatusCode);
        for (var i = 0; i < 10; i++)
        {
            await ProblemAssert.IsProblem(await PostSignInAsync(app, phone, "wrong-password-1", ip: $"203.0.113.{i + 1}"), HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
        }

        var newClient = await PostSignInAsync(app, phone, "wrong-password-1", ip: "203.0.113.100");
        var knownDevice = await PostSignInAsync(app, phone, ip: "203.0.113.100", deviceId: device);
        var stillSlowed = await PostSignInAsync(app, phone, ip: "203.0.113.101");
        app.Time.Advance(TimeSpan.FromSeconds(30));
        var afterTheWait = await PostSignInAsync(app, phone, "wrong-password-1", ip: "203.0.113.101");

        var json = await ProblemAssert.IsProblem(newClient, (HttpStatusCode)429, AccountErrors.SignInThrottledCode);
        Assert.Equal(30, json.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal(HttpStatusCode.OK, knownDevice.StatusCode);
        await ProblemAssert.IsProblem(stillSlowed, (HttpStatusCode)429, AccountErrors.SignInThrottledCode);
        await ProblemAssert.IsProblem(afterTheWait, HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
    }

    [Fact]
    public async Task SignIn_StrangerFailuresCrossTheNoticeCount_OwnerToldOncePerInterval()
    {
        await using var app = await TestApp.StartAsync(TestApp.BehindFrontEnd());
        var (phone, email) = (NewPhone(), NewEmail());
        await SeedAsync(app, phone: phone, email: email);
        var (otherPhone, otherEmail) = (NewPhone(), NewEmail());
        await SeedAsync(app, phone: otherPhone, email: otherEmail);

        async Task FailTenTimesAsync(string identifier, int wave)
        {
            for (var i = 0; i < 10; i++)
            {
                await ProblemAssert.IsProblem(await PostSignInAsync(app, identifier, "wrong-password-1", ip: $"203.0.{wave}.{i % 2}"),
                    HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
            }
        }

        await FailTenTimesAsync(phone, 1);
        var first = await NoticesAsync(app, email, atLeast: 1);
        // The owner signs in from somewhere new (the strangers' count starts again); a second wave within the day.
        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(app, phone, ip: OwnerIp)).StatusCode);
        await FailTenTimesAsync(email, 2);
        // Notices go out one after another: once the other account's has, this account's second wave was handled.
        await FailTenTimesAsync(otherPhone, 3);
        await NoticesAsync(app, otherEmail, atLeast: 1);

        var notice = Assert.Single(first);
        Assert.Contains("wrong password", notice.GetProperty("text").GetString());
        Assert.Single(await AccountFlows.MessagesAsync(app, email, "security_notice"));
        Assert.Single(await AccountFlows.MessagesAsync(app, phone, "security_notice"));
        Assert.Single(await AccountFlows.MessagesAsync(app, otherPhone, "security_notice"));
    }

    [Fact]
    public async Task SignIn_DeviceIdThatCouldBeGuessed_ValidationFailedBeforeAnything()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var account = await SeedAsync(app, phone: phone);

        var named = await PostSignInAsync(app, phone, "wrong-password-1", deviceId: "Xiaomi 14");
        var tooLong = await PostSignInAsync(app, phone, "wrong-password-1", deviceId: new string('a', 80) + Guid.NewGuid().ToString("N"));

        var json = await ProblemAssert.IsProblem(named, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(("deviceId", "entropy"), (json.GetProperty("field").GetString(), json.GetProperty("rule").GetString()));
        await ProblemAssert.IsProblem(tooLong, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(0, (await ClientFailuresAsync(app, AccountSubject(account))).Client.Count);
    }

    /// <summary>The security notices sent to <paramref name="to"/>, once there are <paramref name="atLeast"/> (they are sent after the answer).</summary>
    private static async Task<List<JsonElement>> NoticesAsync(TestApp app, string to, int atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var notices = await AccountFlows.MessagesAsync(app, to, "security_notice");
            if (notices.Count >= atLeast || DateTime.UtcNow > deadline)
            {
                Assert.True(notices.Count >= atLeast, $"{notices.Count} notices to {to}, expected at least {atLeast}");
                return notices;
            }
            await Task.Delay(50);
        }
    }
}
