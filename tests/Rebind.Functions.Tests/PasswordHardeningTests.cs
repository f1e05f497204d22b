using System.Net;
using Rebind.Core.Accounts;
using Rebind.Core.Security;
using Rebind.Functions.Tests.Infrastructure;
using Rebind.Testing;

namespace Rebind.Functions.Tests;

/// <summary>Work-factor upgrades on sign-in, NFKC passwords, and the optional breached-password range check.</summary>
public sealed class PasswordHardeningTests
{
    [Fact]
    public async Task SignIn_HashBelowConfiguredWorkFactor_RehashedWithTheNewOne()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Passwords:Iterations"] = "700000" });
        var phone = Accounts.NewPhone();
        var seeded = await Accounts.SeedAsync(app, phone);
        Assert.StartsWith("pbkdf2-sha256$600000$", seeded.PasswordHash);

        await Accounts.SignInAsync(app, phone);

        var stored = (await app.Services.GetRequiredService<IAccountStore>().GetAsync(seeded.Id))!.Value;
        Assert.StartsWith("pbkdf2-sha256$700000$", stored.PasswordHash);
        Assert.True(new PasswordHasher(700_000).Verify(Accounts.Password, stored.PasswordHash));
        await Accounts.SignInAsync(app, phone);
    }

    [Fact]
    public async Task SignUp_FullWidthPassword_SignsInWithItsAsciiForm()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var flowId = await flows.StartedSignUpAsync(phone);
        await FlowClient.OkJson(await flows.SubmitCodeAsync(flowId, await flows.LatestCodeAsync(phone)));

        await FlowClient.OkJson(await flows.SetPasswordAsync(flowId, "ｍｅａｄｏｗ９ｌａｎｔｅｒｎ"));

        Assert.Equal(HttpStatusCode.OK, (await Accounts.PostSignInAsync(app, phone, "meadow9lantern")).StatusCode);
    }

    [Fact]
    public async Task SignUp_BreachedPassword_WeakPasswordAndOnlyTheHashPrefixLeaves()
    {
        const string breached = "summer7garden-Breached";
        await using var service = await BreachedPasswordsStandIn.StartAsync(breached);
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Passwords:BreachedCheck:Endpoint"] = service.Endpoint.ToString() });
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var flowId = await flows.StartedSignUpAsync(phone);
        await FlowClient.OkJson(await flows.SubmitCodeAsync(flowId, await flows.LatestCodeAsync(phone)));

        var refused = await ProblemAssert.IsProblem(await flows.SetPasswordAsync(flowId, breached), HttpStatusCode.BadRequest, "weak_password");
        var accepted = await FlowClient.OkJson(await flows.SetPasswordAsync(flowId, FlowClient.StrongPassword));

        Assert.Equal("breached", refused.GetProperty("rule").GetString());
        Assert.Equal("completed", accepted.GetProperty("state").GetString());
        Assert.Equal(2, service.Requests.Count);
        Assert.All(service.Requests, r =>
        {
            Assert.Matches("^/range/[0-9A-F]{5}$", r.Path);
            Assert.True(r.Padding);
        });
    }

    [Fact]
    public async Task SignUp_BreachedCheckUnreachable_AcceptsThePassword()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Passwords:BreachedCheck:Endpoint"] = $"http://127.0.0.1:{Azurite.FreePort()}/",
            ["Passwords:BreachedCheck:TimeoutSeconds"] = "1",
        });
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var flowId = await flows.StartedSignUpAsync(phone);
        await FlowClient.OkJson(await flows.SubmitCodeAsync(flowId, await flows.LatestCodeAsync(phone)));

        var accepted = await FlowClient.OkJson(await flows.SetPasswordAsync(flowId, FlowClient.StrongPassword));

        Assert.Equal("completed", accepted.GetProperty("state").GetString());
    }
}
