using System.Net;
using System.Text.Json;
using Rebind.Functions.Tests.Infrastructure;

namespace Rebind.Functions.Tests;

/// <summary>Logs never hold codes, tokens, passwords, flow ids (capabilities) or full phone numbers.</summary>
public sealed class LogHygieneTests
{
    [Fact]
    public async Task ServerFault_Logged_WithRouteTemplateNotPath()
    {
        var capture = new CapturingLoggerProvider();
        await using var app = await TestApp.StartAsync(services: capture.AddTo, configureApp: a =>
            a.MapGet("/api/test/boom/{secret}", string (string secret) => throw new InvalidOperationException("boom")));

        var response = await app.Client.GetAsync("/api/test/boom/s3cr3t-flow-id");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains(capture.Lines, l => l.Contains("Unhandled error on GET /api/test/boom/{secret}", StringComparison.Ordinal));
        Assert.DoesNotContain(capture.Lines, l => l.Contains("s3cr3t-flow-id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignUpAndSignIn_AllLogLines_HoldNoSecretsOrFullNumbers()
    {
        var capture = new CapturingLoggerProvider();
        await using var app = await TestApp.StartAsync(services: capture.AddTo);
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();

        var flowId = await flows.StartedSignUpAsync(phone);
        var code = await flows.LatestCodeAsync(phone);
        var wrong = code == "000000" ? "111111" : "000000";
        Assert.Equal(HttpStatusCode.BadRequest, (await flows.SubmitCodeAsync(flowId, wrong)).StatusCode);
        Assert.True((await flows.SubmitCodeAsync(flowId, code)).IsSuccessStatusCode);
        Assert.True((await flows.SetPasswordAsync(flowId, FlowClient.StrongPassword)).IsSuccessStatusCode);
        var signIn = await Accounts.PostSignInAsync(app, phone, FlowClient.StrongPassword);
        var token = JsonDocument.Parse(await signIn.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        Assert.True((await Accounts.SendAsync(app, HttpMethod.Get, "/api/me", token)).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Accounts.PostSignInAsync(app, phone, "wrong-password-9")).StatusCode);
        await app.RunCleanupAsync();

        Assert.NotEmpty(capture.Lines);
        var secrets = new[] { phone, phone[1..], phone[3..], code, flowId, token, FlowClient.StrongPassword, "wrong-password-9" };
        foreach (var line in capture.Lines)
        {
            foreach (var secret in secrets)
            {
                Assert.False(line.Contains(secret, StringComparison.Ordinal), $"log line leaks a secret: {line}");
            }
        }
    }
}
