using System.Net;
using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;
using Rebind.Core.Messaging;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.AccountFlows;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

/// <summary>Bind and change email over HTTP against Azurite.</summary>
public sealed class EmailFlowsApiTests
{
    [Fact]
    public async Task BindEmail_CodeConfirmed_BindsAndSignsInByEmail()
    {
        await using var app = await TestApp.StartAsync();
        var (phone, email) = (NewPhone(), NewEmail());
        var account = await SeedAsync(app, phone: phone);
        var (token, _) = await SessionAsync(app, account);

        var started = await StartAsync(app, HttpMethod.Post, "/api/me/email/bind", token, new { email = email.ToUpperInvariant() });
        var done = await ConfirmedAsync(app, started.GetProperty("flowId").GetString()!, email, token);

        Assert.Equal(FlowStates.Completed, done.GetProperty("state").GetString());
        Assert.Equal(email, (await AccountAsync(app, account.Id)).Email);
        Assert.Equal(account.Id, await Store(app).FindAccountIdAsync(IdentifierKind.Email, email));
        var (byEmail, _) = await SignInAsync(app, email);
        Assert.Equal(account.Id, (await JsonAsync(await SendAsync(app, HttpMethod.Get, "/api/me", byEmail))).GetProperty("id").GetString());
        Assert.Single(await ActivityAsync(app, token), h => h.Type == ActivityTypes.EmailBound);
    }

    [Fact]
    public async Task BindEmail_HeldByAnotherAccount_EmailAlreadyBoundAfterCode()
    {
        await using var app = await TestApp.StartAsync();
        var email = NewEmail();
        var holder = await SeedAsync(app, phone: NewPhone(), email: email);
        var account = await SeedAsync(app, phone: NewPhone());
        var (token, _) = await SessionAsync(app, account);

        var started = await StartAsync(app, HttpMethod.Post, "/api/me/email/bind", token, new { email });
        var answer = await ConfirmAsync(app, started.GetProperty("flowId").GetString()!, email, token);

        await ProblemAssert.IsProblem(answer, HttpStatusCode.Conflict, FlowErrorCodes.EmailAlreadyBound);
        Assert.Equal(holder.Id, await Store(app).FindAccountIdAsync(IdentifierKind.Email, email));
        Assert.Null((await AccountAsync(app, account.Id)).Email);
    }

    [Theory]
    [InlineData("email")]
    [InlineData("phone")]
    public async Task ChangeEmail_VerifiedByOldEmailOrPhone_ChangesAndNotifiesOldAddress(string verifyBy)
    {
        await using var app = await TestApp.StartAsync();
        var (phone, oldEmail, newEmail) = (NewPhone(), NewEmail(), NewEmail());
        var account = await SeedAsync(app, phone: phone, email: oldEmail);
        var (token, _) = await SessionAsync(app, account);
        var (other, _) = await SessionAsync(app, account, "Laptop");

        var started = await StartAsync(app, HttpMethod.Post, "/api/me/email/change", token, new { verifyBy });
        var flowId = started.GetProperty("flowId").GetString()!;
        var verifiedAt = verifyBy == "email" ? oldEmail : phone;
        var verified = await ConfirmedAsync(app, flowId, verifiedAt, token);
        await JsonAsync(await PostAsync(app, flowId, "email", token, new { email = newEmail }));
        var done = await ConfirmedAsync(app, flowId, newEmail, token);

        Assert.Equal(Mask.Address(verifyBy == "email" ? Channel.Email : Channel.Sms, verifiedAt), started.GetProperty("destination").GetString());
        Assert.Equal("email", verified.GetProperty("next").GetString());
        Assert.Equal(FlowStates.Completed, done.GetProperty("state").GetString());
        Assert.Equal(newEmail, (await AccountAsync(app, account.Id)).Email);
        Assert.Equal(account.Id, await Store(app).FindAccountIdAsync(IdentifierKind.Email, newEmail));
        Assert.Null(await Store(app).FindAccountIdAsync(IdentifierKind.Email, oldEmail));
        var notice = Assert.Single(await MessagesAsync(app, oldEmail, MessageKinds.EmailChangedNotice));
        Assert.Contains(Mask.Email(newEmail), notice.GetProperty("text").GetString());
        Assert.Empty(await MessagesAsync(app, newEmail, MessageKinds.EmailChangedNotice));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Get, "/api/me", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, HttpMethod.Get, "/api/me", other)).StatusCode);
        var history = await ActivityAsync(app, token);
        Assert.Single(history, h => h.Type == ActivityTypes.EmailChanged);
        Assert.Contains(("change_email", ActivityOutcomes.Success, "awaiting_new_email"), history);
    }

    [Fact]
    public async Task ChangeEmail_BadVerifyBy_Returns400()
    {
        await using var app = await TestApp.StartAsync();
        var account = await SeedAsync(app, phone: NewPhone(), email: NewEmail());
        var (token, _) = await SessionAsync(app, account);

        await ProblemAssert.IsProblem(await SendAsync(app, HttpMethod.Post, "/api/me/email/change", token, new { verifyBy = "pigeon" }), HttpStatusCode.BadRequest, "validation_failed");
        await ProblemAssert.IsProblem(await SendAsync(app, HttpMethod.Post, "/api/me/email/change", token, new { }), HttpStatusCode.BadRequest, "validation_failed");
    }
}
