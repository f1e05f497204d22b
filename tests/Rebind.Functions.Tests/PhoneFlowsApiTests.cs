using System.Net;
using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;
using Rebind.Core.Flows.PhoneChange;
using Rebind.Core.Messaging;
using Rebind.Functions.Http;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.AccountFlows;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

/// <summary>Bind, change and unbind phone over HTTP against Azurite, codes read from the development inbox.</summary>
public sealed class PhoneFlowsApiTests
{
    [Fact]
    public async Task BindPhone_CodeConfirmed_BindsAndRecordsEverySteps()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var account = await SeedAsync(app, email: NewEmail());
        var (token, _) = await SessionAsync(app, account);

        var started = await StartAsync(app, HttpMethod.Post, "/api/me/phone/bind", token, new { phone });
        var done = await ConfirmedAsync(app, started.GetProperty("flowId").GetString()!, phone, token);

        Assert.Equal("code", started.GetProperty("next").GetString());
        Assert.Equal(Mask.Phone(phone), started.GetProperty("destination").GetString());
        Assert.Equal(FlowStates.Completed, done.GetProperty("state").GetString());
        Assert.Equal(phone, (await AccountAsync(app, account.Id)).Phone);
        Assert.Equal(account.Id, await Store(app).FindAccountIdAsync(IdentifierKind.Phone, phone));
        var history = await ActivityAsync(app, token);
        Assert.Contains(("bind_phone", ActivityOutcomes.Success, "awaiting_code"), history);
        Assert.Contains(("bind_phone", ActivityOutcomes.Success, "applying_change"), history);
        Assert.Contains(("bind_phone", ActivityOutcomes.Success, FlowStates.Completed), history);
        Assert.Single(history, h => h.Type == ActivityTypes.PhoneBound);
    }

    [Fact]
    public async Task ChangePhone_EndToEnd_RebindsNotifiesEndsOtherSessionsAndFreesOldNumber()
    {
        await using var app = await TestApp.StartAsync();
        var (oldPhone, newPhone, email) = (NewPhone(), NewPhone(), NewEmail());
        var account = await SeedAsync(app, phone: oldPhone, email: email, change: a => a with { Profile = new Dictionary<string, string> { ["nickname"] = "Li" } });
        var (other, _) = await SignInAsync(app, oldPhone, "Laptop");
        var (token, _) = await SignInAsync(app, oldPhone, "Phone");

        var started = await StartAsync(app, HttpMethod.Post, "/api/me/phone/change", token);
        var flowId = started.GetProperty("flowId").GetString()!;
        var oldConfirmed = await ConfirmedAsync(app, flowId, oldPhone, token);
        var submitted = await JsonAsync(await PostAsync(app, flowId, "phone", token, new { phone = newPhone }));
        var done = await ConfirmedAsync(app, flowId, newPhone, token);

        Assert.Equal(Mask.Phone(oldPhone), started.GetProperty("destination").GetString());
        Assert.Equal("phone", oldConfirmed.GetProperty("next").GetString());
        Assert.Equal(Mask.Phone(newPhone), submitted.GetProperty("destination").GetString());
        Assert.Equal(FlowStates.Completed, done.GetProperty("state").GetString());

        // The account: same id and profile, new phone; the index agrees.
        var after = await AccountAsync(app, account.Id);
        Assert.Equal(newPhone, after.Phone);
        Assert.Equal("Li", after.Profile["nickname"]);
        Assert.Equal(account.Id, await Store(app).FindAccountIdAsync(IdentifierKind.Phone, newPhone));
        Assert.Null(await Store(app).FindAccountIdAsync(IdentifierKind.Phone, oldPhone));

        // Notices: the old number learns it was unbound (masked new number), the email gets a notice.
        var unbound = Assert.Single(await MessagesAsync(app, oldPhone, MessageKinds.PhoneUnboundNotice));
        Assert.Contains(Mask.Phone(newPhone), unbound.GetProperty("text").GetString());
        Assert.DoesNotContain(newPhone, unbound.GetProperty("text").GetString());
        Assert.Single(await MessagesAsync(app, email, MessageKinds.PhoneChangedNotice));

        // Sessions: the other one ended, the current one stays.
        await ProblemAssert.IsProblem(await SendAsync(app, HttpMethod.Get, "/api/me", other), HttpStatusCode.Unauthorized, ProblemCodes.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Get, "/api/me", token)).StatusCode);

        // The old number no longer signs in; the new one does.
        await ProblemAssert.IsProblem(await PostSignInAsync(app, oldPhone), HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(app, newPhone)).StatusCode);

        // The old number is free for a new sign-up, which creates a different account.
        var flows = new FlowClient(app.Client);
        var signUp = await flows.StartedSignUpAsync(oldPhone);
        await FlowClient.OkJson(await flows.SubmitCodeAsync(signUp, await CodeAsync(app, oldPhone, MessageKinds.SignupCode)));
        await FlowClient.OkJson(await flows.SetPasswordAsync(signUp, FlowClient.StrongPassword));
        var newOwner = await Store(app).FindAccountIdAsync(IdentifierKind.Phone, oldPhone);
        Assert.NotNull(newOwner);
        Assert.NotEqual(account.Id, newOwner);
        Assert.Equal(newPhone, (await AccountAsync(app, account.Id)).Phone);

        var history = await ActivityAsync(app, token);
        foreach (var state in new[] { "awaiting_old_phone_code", "awaiting_new_phone", "awaiting_new_phone_code", "applying_change", FlowStates.Completed })
        {
            Assert.Contains(("change_phone", ActivityOutcomes.Success, state), history);
        }
        Assert.Single(history, h => h.Type == ActivityTypes.PhoneChanged);
    }

    [Fact]
    public async Task UnbindPhone_WithEmail_UnbindsAndNotifiesEmail()
    {
        await using var app = await TestApp.StartAsync();
        var (phone, email) = (NewPhone(), NewEmail());
        var account = await SeedAsync(app, phone: phone, email: email);
        var (token, _) = await SessionAsync(app, account);
        var (other, _) = await SessionAsync(app, account, "Laptop");

        var started = await StartAsync(app, HttpMethod.Delete, "/api/me/phone", token);
        var done = await ConfirmedAsync(app, started.GetProperty("flowId").GetString()!, phone, token);

        Assert.Equal(FlowStates.Completed, done.GetProperty("state").GetString());
        Assert.Null((await AccountAsync(app, account.Id)).Phone);
        Assert.Null(await Store(app).FindAccountIdAsync(IdentifierKind.Phone, phone));
        Assert.Single(await MessagesAsync(app, email, MessageKinds.PhoneRemovedNotice));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Get, "/api/me", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, HttpMethod.Get, "/api/me", other)).StatusCode);
        var history = await ActivityAsync(app, token);
        Assert.Single(history, h => h.Type == ActivityTypes.PhoneUnbound);
        Assert.Contains(("unbind_phone", ActivityOutcomes.Success, FlowStates.Completed), history);
    }

    [Fact]
    public async Task UnbindPhone_NoEmailBound_RefusedAsLastRecoveryChannel()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var account = await SeedAsync(app, phone: phone);
        var (token, _) = await SessionAsync(app, account);

        var response = await SendAsync(app, HttpMethod.Delete, "/api/me/phone", token);

        await ProblemAssert.IsProblem(response, HttpStatusCode.Conflict, FlowErrorCodes.LastRecoveryChannel);
        Assert.Equal(phone, (await AccountAsync(app, account.Id)).Phone);
        Assert.Empty(await new FlowClient(app.Client).InboxAsync(phone));
    }

    [Fact]
    public async Task Start_NotSignedIn_Returns401()
    {
        await using var app = await TestApp.StartAsync();

        foreach (var (method, path) in new[] { (HttpMethod.Post, "/api/me/phone/bind"), (HttpMethod.Post, "/api/me/phone/change"), (HttpMethod.Delete, "/api/me/phone"), (HttpMethod.Post, "/api/me/email/bind"), (HttpMethod.Post, "/api/me/email/change") })
        {
            var response = await SendAsync(app, method, path, null, new { phone = NewPhone(), email = NewEmail(), verifyBy = "email" });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task ChangeAndUnbind_StaleSignIn_ReturnReauthenticationRequired()
    {
        await using var app = await TestApp.StartAsync();
        var account = await SeedAsync(app, phone: NewPhone(), email: NewEmail());
        var (token, _) = await SessionAsync(app, account);
        app.Time.Advance(TimeSpan.FromMinutes(16));

        await ProblemAssert.IsProblem(await SendAsync(app, HttpMethod.Post, "/api/me/phone/change", token), HttpStatusCode.Unauthorized, AccountErrors.ReauthenticationRequiredCode);
        await ProblemAssert.IsProblem(await SendAsync(app, HttpMethod.Delete, "/api/me/phone", token), HttpStatusCode.Unauthorized, AccountErrors.ReauthenticationRequiredCode);
        await ProblemAssert.IsProblem(await SendAsync(app, HttpMethod.Post, "/api/me/email/change", token, new { verifyBy = "email" }), HttpStatusCode.Unauthorized, AccountErrors.ReauthenticationRequiredCode);
        // Binding adds a contact that could recover the account: it needs a fresh password proof too.
        await ProblemAssert.IsProblem(await SendAsync(app, HttpMethod.Post, "/api/me/phone/bind", token, new { phone = NewPhone() }), HttpStatusCode.Unauthorized, AccountErrors.ReauthenticationRequiredCode);
    }

    [Fact]
    public async Task Flow_OfAnotherAccount_IsNotFound()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var owner = await SeedAsync(app, phone: phone, email: NewEmail());
        var stranger = await SeedAsync(app, phone: NewPhone());
        var (ownerToken, _) = await SessionAsync(app, owner);
        var (strangerToken, _) = await SessionAsync(app, stranger);
        var flowId = (await StartAsync(app, HttpMethod.Post, "/api/me/phone/change", ownerToken)).GetProperty("flowId").GetString()!;

        await ProblemAssert.IsProblem(await SendAsync(app, HttpMethod.Get, $"/api/flows/{flowId}", strangerToken), HttpStatusCode.NotFound, FlowErrorCodes.FlowNotFound);
        await ProblemAssert.IsProblem(await PostAsync(app, flowId, "code", strangerToken, new { code = await CodeAsync(app, phone) }), HttpStatusCode.NotFound, FlowErrorCodes.FlowNotFound);
        await ProblemAssert.IsProblem(await PostAsync(app, flowId, "code", null, new { code = "123456" }), HttpStatusCode.NotFound, FlowErrorCodes.FlowNotFound);
        await ProblemAssert.IsProblem(await Accounts.SendAsync(app, HttpMethod.Delete, $"/api/flows/{flowId}", strangerToken), HttpStatusCode.NotFound, FlowErrorCodes.FlowNotFound);
        Assert.Equal(ChangePhoneStates.AwaitingOldPhoneCode, (await JsonAsync(await SendAsync(app, HttpMethod.Get, $"/api/flows/{flowId}", ownerToken))).GetProperty("state").GetString());
    }

    [Fact]
    public async Task BindPhone_NumberOfAnotherAccount_RevealedOnlyAfterTheRightCode()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var holder = await SeedAsync(app, phone: phone);
        var account = await SeedAsync(app, email: NewEmail());
        var (token, _) = await SessionAsync(app, account);

        var started = await StartAsync(app, HttpMethod.Post, "/api/me/phone/bind", token, new { phone });
        var flowId = started.GetProperty("flowId").GetString()!;
        var code = await CodeAsync(app, phone);
        var wrong = code == "000000" ? "111111" : "000000";
        var wrongAnswer = await PostAsync(app, flowId, "code", token, new { code = wrong });
        var rightAnswer = await PostAsync(app, flowId, "code", token, new { code });

        await ProblemAssert.IsProblem(wrongAnswer, HttpStatusCode.BadRequest, FlowErrorCodes.InvalidCode);
        var problem = await ProblemAssert.IsProblem(rightAnswer, HttpStatusCode.Conflict, FlowErrorCodes.PhoneAlreadyBound);
        Assert.Contains("Unbind it there first", problem.GetProperty("detail").GetString());
        Assert.Equal(holder.Id, await Store(app).FindAccountIdAsync(IdentifierKind.Phone, phone));
        Assert.Null((await AccountAsync(app, account.Id)).Phone);
        var flow = await JsonAsync(await SendAsync(app, HttpMethod.Get, $"/api/flows/{flowId}", token));
        Assert.Equal(FlowStates.Failed, flow.GetProperty("state").GetString());
        Assert.Equal(FlowErrorCodes.PhoneAlreadyBound, flow.GetProperty("outcome").GetString());
        Assert.Contains(("bind_phone", ActivityOutcomes.Failure, FlowErrorCodes.PhoneAlreadyBound), await ActivityAsync(app, token));
        Assert.Contains(("bind_phone", ActivityOutcomes.Failure, FlowErrorCodes.InvalidCode), await ActivityAsync(app, token));
    }

    [Fact]
    public async Task ChangePhone_SameNumber_ReturnsPhoneUnchanged()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var account = await SeedAsync(app, phone: phone);
        var (token, _) = await SessionAsync(app, account);
        var flowId = (await StartAsync(app, HttpMethod.Post, "/api/me/phone/change", token)).GetProperty("flowId").GetString()!;
        await ConfirmedAsync(app, flowId, phone, token);

        var response = await PostAsync(app, flowId, "phone", token, new { phone });

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, FlowErrorCodes.PhoneUnchanged);
    }

    [Fact]
    public async Task BindPhone_AccountHasPhone_ReturnsAccountHasPhone()
    {
        await using var app = await TestApp.StartAsync();
        var account = await SeedAsync(app, phone: NewPhone());
        var (token, _) = await SessionAsync(app, account);

        var response = await SendAsync(app, HttpMethod.Post, "/api/me/phone/bind", token, new { phone = NewPhone() });

        await ProblemAssert.IsProblem(response, HttpStatusCode.Conflict, FlowErrorCodes.AccountHasPhone);
    }

    [Fact]
    public async Task BindPhone_IdempotencyKeyRepeated_StartsOneFlow()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var account = await SeedAsync(app, email: NewEmail());
        var (token, _) = await SessionAsync(app, account);

        async Task<string> StartWithKeyAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/me/phone/bind") { Content = System.Net.Http.Json.JsonContent.Create(new { phone }) };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("Idempotency-Key", "bind-1");
            var response = await app.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await JsonAsync(response)).GetProperty("flowId").GetString()!;
        }

        Assert.Equal(await StartWithKeyAsync(), await StartWithKeyAsync());
        Assert.Single(await new FlowClient(app.Client).InboxAsync(phone));
    }

    [Fact]
    public async Task OpenApi_ListsThePhoneAndEmailEndpoints()
    {
        await using var app = await TestApp.StartAsync();

        var doc = await JsonAsync(await app.Client.GetAsync("/api/openapi.json"));

        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/api/me/phone/bind", "/api/me/phone/change", "/api/me/phone", "/api/me/email/bind", "/api/me/email/change", "/api/flows/{id}/phone", "/api/flows/{id}/email" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }
        Assert.True(paths.GetProperty("/api/me/phone/change").GetProperty("post").GetProperty("responses").TryGetProperty("201", out _));
    }
}
