using System.Net;
using System.Net.Http.Json;
using Rebind.Functions.Http;
using Rebind.Functions.Tests.Infrastructure;

namespace Rebind.Functions.Tests;

/// <summary>Anonymous starts take only unguessable keys, and never replay one client's flow to another.</summary>
public sealed class IdempotencyKeyTests
{
    [Theory]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e", true)]
    [InlineData("0f8fad5bd9cb469fa16570867728950e", true)]
    [InlineData("q9Zr_2xWb8Lk-Tn4vYp0aH", true)]
    [InlineData("4f1c0e0a-demo", false)]
    [InlineData("bind-1", false)]
    [InlineData("00000000-0000-0000-0000-000000000000", false)]
    [InlineData("0f8fad5bd9cb469fa1657086772895", false)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData("key with spaces and more than 22 chars", false)]
    public void IsStrong_ByAlphabetAndVariety(string key, bool strong) => Assert.Equal(strong, IdempotencyKeys.IsStrong(key));

    [Theory]
    [InlineData("bind-1")]
    [InlineData("4f1c0e0a-demo")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public async Task SignUp_WeakKeyWithoutSession_ValidationFailedAndNothingSent(string key)
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();

        var problem = await ProblemAssert.IsProblem(await flows.StartSignUpAsync(phone, key), HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal("Idempotency-Key", problem.GetProperty("field").GetString());
        Assert.Empty(await flows.InboxAsync(phone));
    }

    [Fact]
    public async Task PasswordReset_SameKeyAndBodyFromAnotherClient_NotReplayed()
    {
        await using var app = await TestApp.StartAsync(TestApp.BehindFrontEnd());
        var phone = Accounts.NewPhone();
        await Accounts.SeedAsync(app, phone);
        var key = Guid.NewGuid().ToString();

        var victim = await FlowClient.OkJson(await StartResetAsync(app, phone, key, "198.51.100.20"));
        var sameClient = await FlowClient.OkJson(await StartResetAsync(app, phone, key, "198.51.100.20"));
        var attacker = await StartResetAsync(app, phone, key, "203.0.113.66");

        Assert.Equal(victim.GetProperty("flowId").GetString(), sameClient.GetProperty("flowId").GetString());
        var problem = await ProblemAssert.IsProblem(attacker, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.DoesNotContain(victim.GetProperty("flowId").GetString()!, problem.ToString());
        Assert.Null(attacker.Headers.Location);
    }

    private static Task<HttpResponseMessage> StartResetAsync(TestApp app, string identifier, string key, string ip)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/password/reset") { Content = JsonContent.Create(new { identifier }) };
        request.Headers.Add("Idempotency-Key", key);
        request.Headers.Add("X-Forwarded-For", ip);
        return app.Client.SendAsync(request);
    }
}
