using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.DurableTask.Client;
using Rebind.Core.Accounts;
using Rebind.Core.Security;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.AccountFlows;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests.Durable;

/// <summary>
/// Every flow kind run to its end on Durable, then the task hub read back: no code, password, security answer, cancel code
/// or token typed on the way is in any orchestration's input, output, event or custom status (the History and Instances
/// tables, and large-message blobs).
/// </summary>
public sealed partial class FlowSecretsTests
{
    [Fact]
    public async Task EveryOrchestratedKind_RunToItsEnd_NoSecretTypedIsInTheTaskHub()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Recovery:SecurityQuestionsEnabled"] = "true", ["SignIn:VerifyNewDevices"] = "true" });
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

        // recover_phone_by_email: the bound email's code, the new number, its code
        var (lostPhone, recoveryEmail, foundPhone) = (NewPhone(), NewEmail(), NewPhone());
        await SeedAsync(app, lostPhone, recoveryEmail);
        var byEmail = await SignInPage.StartedAsync(app, "/api/recovery/phone/email", lostPhone);
        flows.Add(byEmail);
        await Post(byEmail, "code", null, new { code = await Code(recoveryEmail) });
        await Post(byEmail, "phone", null, new { phone = foundPhone });
        await Post(byEmail, "code", null, new { code = await Code(foundPhone) });

        // reset_password: the code, the new password
        var resetPhone = NewPhone();
        await SeedAsync(app, resetPhone);
        var reset = await SignInPage.StartedAsync(app, "/api/password/reset", resetPhone);
        flows.Add(reset);
        await Post(reset, "code", null, new { code = await Code(resetPhone) });
        const string resetPassword = "meadow9lantern-K";
        typed.Add(resetPassword);
        await Post(reset, "password", null, new { password = resetPassword });

        // recover_phone_by_questions: the answers, the new number, its code, then cancelled in the cool-off with the
        // code from the notices
        const string answer = "Mimi-the-cat-1987";
        typed.Add(answer);
        var hash = SecurityAnswers.Hash(app.Services.GetRequiredService<PasswordHasher>(), answer);
        var (questionsPhone, questionsEmail, questionsNewPhone) = (NewPhone(), NewEmail(), NewPhone());
        var withQuestions = await SeedAsync(app, questionsPhone, questionsEmail, a => a with
        {
            SecurityQuestions = [.. new[] { "first_pet", "birth_city", "first_car" }.Select(id => new SecurityQuestion(id, id, hash))],
        });
        var byQuestions = await SignInPage.StartedAsync(app, "/api/recovery/phone/questions", questionsPhone);
        flows.Add(byQuestions);
        await Post(byQuestions, "answers", null, new { answers = withQuestions.SecurityQuestions.Select(q => new { questionId = q.Id, answer }) });
        await Post(byQuestions, "phone", null, new { phone = questionsNewPhone });
        await Post(byQuestions, "code", null, new { code = await Code(questionsNewPhone) });
        var notice = (await MessagesAsync(app, questionsEmail, "security_change_pending_notice")).Single();
        var cancelCode = CancelCode().Match(notice.GetProperty("text").GetString()!).Value;
        typed.Add(cancelCode[33..]);
        await JsonAsync(await SignInPage.PostAsync(app, "/api/recovery/cancel", new { code = cancelCode }));

        // verify_device: the password (typed), the new device's code, the session token it answers
        var devicePhone = NewPhone();
        await SeedAsync(app, devicePhone);
        typed.Add(Password);
        var deviceId = NewDeviceId();
        typed.Add(deviceId);
        var deviceFlow = (await JsonAsync(await PostSignInAsync(app, devicePhone, deviceId: deviceId))).GetProperty("flowId").GetString()!;
        flows.Add(deviceFlow);
        var deviceSession = await JsonAsync(await app.Client.PostAsJsonAsync("/api/auth/sign-in/verify", new { flowId = deviceFlow, code = await Code(devicePhone, "device_sign_in_code") }));
        typed.Add(deviceSession.GetProperty("token").GetString()!);

        var ends = new List<string>();
        foreach (var flowId in flows)
        {
            var ended = await app.WaitUntilCompletedAsync(DurableApp.FlowInstance(flowId), TimeSpan.FromSeconds(60));
            Assert.Equal(OrchestrationRuntimeStatus.Completed, ended.RuntimeStatus);
            ends.Add(ended.ReadOutputAs<Rebind.Functions.Durable.FlowEnd>()!.State);
        }
        var hub = await SignUpOrchestrationTests.TaskHubTextAsync(app.TaskHub());

        // The alert's "this wasn't me" code was made by an activity: it must not be in the history either.
        var alert = (await MessagesAsync(app, devicePhone, "sign_in_alert_notice")).Single().GetProperty("text").GetString()!;
        typed.Add(Regex.Match(alert, "code=([0-9A-Z]{26})").Groups[1].Value);
        Assert.Equal(10, flows.Count);
        Assert.Equal([.. Enumerable.Repeat("completed", 8), "cancelled", "completed"], ends);
        Assert.All(typed, secret => Assert.DoesNotContain(secret, hub));
    }

    [GeneratedRegex(@"[A-Za-z0-9_-]{32}\.[0-9A-Z]{16}")]
    private static partial Regex CancelCode();

}
