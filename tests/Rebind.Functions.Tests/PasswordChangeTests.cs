using System.Net;
using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Messaging;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.AccountFlows;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

/// <summary><c>POST /api/me/password</c>: changing the password while signed in (issue 15, item 4).</summary>
public sealed class PasswordChangeTests
{
    private const string NewPassword = "lantern9-harbor-Z";

    [Fact]
    public async Task ChangePassword_RightCurrentAndNewOne_OtherSessionsEnd_CallerStays_ContactsTold_HistoryRecords()
    {
        await using var app = await TestApp.StartAsync();
        var (phone, email) = (NewPhone(), NewEmail());
        var account = await SeedAsync(app, phone, email);
        var (token, _) = await SessionAsync(app, account);
        var (other, _) = await SessionAsync(app, account, "Laptop");

        var changed = await JsonAsync(await ChangeAsync(app, token, Password, NewPassword));

        Assert.Equal(app.Time.GetUtcNow(), changed.GetProperty("changedAt").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Get, "/api/me", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, HttpMethod.Get, "/api/me", other)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostSignInAsync(app, phone, Password)).StatusCode);
        await JsonAsync(await PostSignInAsync(app, phone, NewPassword));
        Assert.Single(await MessagesAsync(app, phone, MessageKinds.SecurityNotice));
        Assert.Single(await MessagesAsync(app, email, MessageKinds.SecurityNotice));
        Assert.Contains(await ActivityAsync(app, token), e => e.Type == ActivityTypes.PasswordChanged && e.Outcome == "success");
        var stored = await AccountAsync(app, account.Id);
        Assert.Equal([account.PasswordHash], stored.PreviousPasswordHashes);
        Assert.Equal(app.Time.GetUtcNow(), stored.PasswordChangedAt);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrent_400AndNothingChanges()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var account = await SeedAsync(app, phone);
        var (token, _) = await SessionAsync(app, account);
        var (other, _) = await SessionAsync(app, account, "Laptop");

        await ProblemAssert.IsProblem(await ChangeAsync(app, token, "not-the-password-1", NewPassword), HttpStatusCode.BadRequest, AccountErrors.CurrentPasswordIncorrectCode);

        Assert.Equal(account.PasswordHash, (await AccountAsync(app, account.Id)).PasswordHash);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Get, "/api/me", other)).StatusCode);
        Assert.Empty(await MessagesAsync(app, phone, MessageKinds.SecurityNotice));
    }

    [Fact]
    public async Task ChangePassword_CurrentOrAnyOfTheLastFive_Refused_TheSixthBackIsAllowed()
    {
        await using var app = await TestApp.StartAsync();
        var account = await SeedAsync(app, NewPhone());

        // Each attempt an hour after the last (5 an hour are allowed), from a fresh session (the change ends the others'
        // stamp, and a change needs a sign-in within 15 minutes).
        async Task<HttpResponseMessage> Attempt(string current, string replacement)
        {
            app.Time.Advance(TimeSpan.FromHours(1));
            var (token, _) = await SessionAsync(app, await AccountAsync(app, account.Id));
            return await ChangeAsync(app, token, current, replacement);
        }

        // The same as the current one.
        var reused = await ProblemAssert.IsProblem(await Attempt(Password, Password), HttpStatusCode.BadRequest, AccountErrors.PasswordReusedCode);
        Assert.Equal(PasswordHistory.Remembered, reused.GetProperty("remembered").GetInt32());

        // Five changes in a row, then every one of the last five is refused.
        var passwords = new[] { Password, "second-pass-2A", "third-pass-3B", "fourth-pass-4C", "fifth-pass-5D", "sixth-pass-6E" };
        for (var i = 1; i < passwords.Length; i++)
        {
            await JsonAsync(await Attempt(passwords[i - 1], passwords[i]));
        }
        for (var back = 1; back < PasswordHistory.Remembered; back++)
        {
            await ProblemAssert.IsProblem(await Attempt(passwords[^1], passwords[^(back + 1)]), HttpStatusCode.BadRequest, AccountErrors.PasswordReusedCode);
        }
        Assert.Equal(PasswordHistory.Remembered - 1, (await AccountAsync(app, account.Id)).PreviousPasswordHashes.Count);
        // The first one is six back now: allowed again.
        await JsonAsync(await Attempt(passwords[^1], Password));
    }

    [Fact]
    public async Task ChangePassword_WeakOrMissing_400BeforeAnyHashing()
    {
        await using var app = await TestApp.StartAsync();
        var account = await SeedAsync(app, NewPhone());
        var (token, _) = await SessionAsync(app, account);

        await ProblemAssert.IsProblem(await ChangeAsync(app, token, Password, "short1"), HttpStatusCode.BadRequest, Core.Flows.FlowErrorCodes.WeakPassword);
        await ProblemAssert.IsProblem(await SendAsync(app, HttpMethod.Post, "/api/me/password", token, new { currentPassword = Password }), HttpStatusCode.BadRequest, "validation_failed");
        await ProblemAssert.IsProblem(await SendAsync(app, HttpMethod.Post, "/api/me/password", token, new { newPassword = NewPassword }), HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(account.PasswordHash, (await AccountAsync(app, account.Id)).PasswordHash);
    }

    [Fact]
    public async Task ChangePassword_OldSessionOrNone_401()
    {
        await using var app = await TestApp.StartAsync();
        var account = await SeedAsync(app, NewPhone());
        var (token, _) = await SessionAsync(app, account);
        app.Time.Advance(TimeSpan.FromMinutes(16));

        await ProblemAssert.IsProblem(await ChangeAsync(app, token, Password, NewPassword), HttpStatusCode.Unauthorized, "reauthentication_required");
        Assert.Equal(HttpStatusCode.Unauthorized, (await ChangeAsync(app, null, Password, NewPassword)).StatusCode);
        Assert.Equal(account.PasswordHash, (await AccountAsync(app, account.Id)).PasswordHash);
    }

    [Fact]
    public async Task ChangePassword_SixthAttemptInAnHour_429()
    {
        await using var app = await TestApp.StartAsync();
        var account = await SeedAsync(app, NewPhone());
        var (token, _) = await SessionAsync(app, account);

        for (var i = 0; i < 5; i++)
        {
            await ProblemAssert.IsProblem(await ChangeAsync(app, token, "wrong-password-" + i, NewPassword), HttpStatusCode.BadRequest, AccountErrors.CurrentPasswordIncorrectCode);
        }

        await ProblemAssert.IsProblem(await ChangeAsync(app, token, Password, NewPassword), HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(account.PasswordHash, (await AccountAsync(app, account.Id)).PasswordHash);
    }

    private static Task<HttpResponseMessage> ChangeAsync(TestApp app, string? token, string current, string replacement) =>
        SendAsync(app, HttpMethod.Post, "/api/me/password", token, new { currentPassword = current, newPassword = replacement });
}
