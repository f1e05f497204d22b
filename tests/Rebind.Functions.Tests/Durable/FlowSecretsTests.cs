using Microsoft.DurableTask.Client;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.AccountFlows;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests.Durable;

/// <summary>
/// Every flow kind that runs on Durable (sign-up and the five signed-in account changes; the sign-in-page recoveries and
/// the password reset are still the flow engine's) run to its end, then the task hub read back: no code, password or
/// token typed on the way is in any orchestration's input, output, event or custom status (the History and Instances
/// tables, and large-message blobs).
/// </summary>
public sealed class FlowSecretsTests
{
    [Fact]
    public async Task EveryOrchestratedKind_RunToItsEnd_NoSecretTypedIsInTheTaskHub()
    {
        await using var app = await TestApp.StartAsync();
        var typed = new List<string>();
        var flows = new List<string>();
        var client = new FlowClient(app.Client);

        async Task<string> Code(string to, string? kind = null)
        {
            var code = await CodeAsync(app, to, kind);
            typed.Add(code);
            return code;
        }

        async Task<string> Start(HttpMethod method, string path, string token, object? body = null)
        {
            var id = (await StartAsync(app, method, path, token, body)).GetProperty("flowId").GetString()!;
            flows.Add(id);
            return id;
        }

        async Task Post(string flowId, string input, string? token, object body) => await JsonAsync(await PostAsync(app, flowId, input, token, body));

        // sign-up: code, password
        var signUpPhone = FlowClient.NewPhone();
        var signUp = await client.StartedSignUpAsync(signUpPhone);
        flows.Add(signUp);
        await Post(signUp, "code", null, new { code = await Code(signUpPhone) });
        typed.Add(FlowClient.StrongPassword);
        await Post(signUp, "password", null, new { password = FlowClient.StrongPassword });

        // An account with a phone and an email; a session (its token is typed too).
        var (phone, email) = (NewPhone(), NewEmail());
        var account = await SeedAsync(app, phone, email);
        var (token, _) = await SessionAsync(app, account);
        typed.Add(token);

        // change_phone: old code, new number, its code
        var newPhone = NewPhone();
        var changePhone = await Start(HttpMethod.Post, "/api/me/phone/change", token);
        await Post(changePhone, "code", token, new { code = await Code(phone) });
        await Post(changePhone, "phone", token, new { phone = newPhone });
        await Post(changePhone, "code", token, new { code = await Code(newPhone) });
        phone = newPhone;

        // change_email: a code to the old address, the new address, its code
        var newEmail = NewEmail();
        var changeEmail = await Start(HttpMethod.Post, "/api/me/email/change", token, new { verifyBy = "email" });
        await Post(changeEmail, "code", token, new { code = await Code(email) });
        await Post(changeEmail, "email", token, new { email = newEmail });
        await Post(changeEmail, "code", token, new { code = await Code(newEmail) });
        email = newEmail;

        // unbind_phone, then bind_phone and bind_email on a second account
        var unbind = await Start(HttpMethod.Delete, "/api/me/phone", token);
        await Post(unbind, "code", token, new { code = await Code(phone, "verify_old_phone_code") });
        var other = await SeedAsync(app, phone: NewPhone());
        var (otherToken, _) = await SessionAsync(app, other);
        typed.Add(otherToken);
        var otherEmail = NewEmail();
        var bindEmail = await Start(HttpMethod.Post, "/api/me/email/bind", otherToken, new { email = otherEmail });
        await Post(bindEmail, "code", otherToken, new { code = await Code(otherEmail) });
        var third = await SeedAsync(app, email: NewEmail());
        var (thirdToken, _) = await SessionAsync(app, third);
        typed.Add(thirdToken);
        var thirdPhone = NewPhone();
        var bindPhone = await Start(HttpMethod.Post, "/api/me/phone/bind", thirdToken, new { phone = thirdPhone });
        await Post(bindPhone, "code", thirdToken, new { code = await Code(thirdPhone) });

        var ends = new List<string>();
        foreach (var flowId in flows)
        {
            var ended = await app.WaitUntilCompletedAsync(DurableApp.FlowInstance(flowId), TimeSpan.FromSeconds(60));
            Assert.Equal(OrchestrationRuntimeStatus.Completed, ended.RuntimeStatus);
            ends.Add(ended.ReadOutputAs<Rebind.Functions.Durable.FlowEnd>()!.State);
        }
        var hub = await SignUpOrchestrationTests.TaskHubTextAsync(app.TaskHub());

        Assert.Equal(6, flows.Count);
        Assert.All(ends, end => Assert.Equal("completed", end));
        Assert.All(typed, secret => Assert.DoesNotContain(secret, hub));
    }

}
