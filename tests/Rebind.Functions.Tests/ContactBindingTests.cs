using System.Net;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.Accounts;
using static Rebind.Functions.Tests.Infrastructure.AccountFlows;

namespace Rebind.Functions.Tests;

/// <summary>
/// A stolen session is not enough to take an account over by adding a contact: binding needs a recent sign-in,
/// existing contacts are told, and the new contact cannot recover the account during its holding period.
/// </summary>
public sealed class ContactBindingTests
{
    [Fact]
    public async Task BindEmail_OldSession_ReauthenticationRequired()
    {
        await using var app = await TestApp.StartAsync();
        var account = await SeedAsync(app, NewPhone());
        var (token, _) = await SessionAsync(app, account);
        app.Time.Advance(TimeSpan.FromMinutes(16));

        var email = NewEmail();
        var response = await SendAsync(app, HttpMethod.Post, "/api/me/email/bind", token, new { email });

        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized, "reauthentication_required");
        Assert.Empty(await new FlowClient(app.Client).InboxAsync(email));
    }

    [Fact]
    public async Task BindPhone_OldSession_ReauthenticationRequired()
    {
        await using var app = await TestApp.StartAsync();
        var account = await SeedAsync(app, email: NewEmail());
        var (token, _) = await SessionAsync(app, account);
        app.Time.Advance(TimeSpan.FromMinutes(16));

        var response = await SendAsync(app, HttpMethod.Post, "/api/me/phone/bind", token, new { phone = NewPhone() });

        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized, "reauthentication_required");
    }

    [Fact]
    public async Task BindEmail_ThenResetAndRecoverThroughIt_HeldForSevenDaysAndPhoneNotified()
    {
        await using var app = await TestApp.StartAsync();
        var client = new FlowClient(app.Client);
        var (phone, email) = (NewPhone(), NewEmail());
        var account = await SeedAsync(app, phone);
        var (token, _) = await SessionAsync(app, account);

        var flow = (await StartAsync(app, HttpMethod.Post, "/api/me/email/bind", token, new { email })).GetProperty("flowId").GetString()!;
        var bound = await ConfirmedAsync(app, flow, email, token);
        Assert.Equal("completed", bound.GetProperty("state").GetString());

        var notice = Assert.Single(await MessagesAsync(app, phone, "contact_added_notice"));
        Assert.Contains(app.Time.GetUtcNow().AddDays(7).UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), notice.GetProperty("text").GetString());
        Assert.DoesNotContain(email, notice.GetProperty("text").GetString());

        // Within the hold the new email recovers nothing, and answers as if no account had it.
        var reset = await SignInPage.StartAsync(app, "/api/password/reset", email);
        var recovery = await SignInPage.StartAsync(app, "/api/recovery/phone/email", phone);
        var unknown = await SignInPage.StartAsync(app, "/api/password/reset", NewEmail());
        Assert.Equal(HttpStatusCode.Created, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Created, recovery.StatusCode);
        Assert.Equal(SignInPage.Shape(unknown), SignInPage.Shape(reset));
        Assert.DoesNotContain(await client.InboxAsync(email), m => m.GetProperty("kind").GetString() != "email_code");

        // After the hold it works like any contact.
        app.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await SignInPage.StartedAsync(app, "/api/password/reset", email);
        Assert.Single(await MessagesAsync(app, email, "password_reset_code"));
    }

    [Fact]
    public async Task BindPhone_EmailOnlyAccount_EmailNotifiedAndPhoneHeld()
    {
        await using var app = await TestApp.StartAsync();
        var (phone, email) = (NewPhone(), NewEmail());
        var account = await SeedAsync(app, email: email);
        var (token, _) = await SessionAsync(app, account);

        var flow = (await StartAsync(app, HttpMethod.Post, "/api/me/phone/bind", token, new { phone })).GetProperty("flowId").GetString()!;
        await ConfirmedAsync(app, flow, phone, token);
        await SignInPage.StartedAsync(app, "/api/password/reset", phone);

        Assert.Single(await MessagesAsync(app, email, "contact_added_notice"));
        Assert.Empty(await MessagesAsync(app, phone, "password_reset_code"));
    }
}
