using System.Net;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

/// <summary>
/// A sign-in-page change applies only if, at that moment, the contact it was proven with is still bound and no
/// security change happened since it started: the real owner acting in between stops an attacker's flow.
/// </summary>
public sealed class RecoveryGuardTests
{
    private const string OwnerPassword = "owner4chestnut-Z";
    private const string AttackerPassword = "attacker9marble-Q";

    [Fact]
    public async Task Reset_OwnerSecuresAccountBeforePasswordStep_AttackersPasswordRefused()
    {
        await using var app = await TestApp.StartAsync();
        var client = new FlowClient(app.Client);
        var (phone, email) = (NewPhone(), NewEmail());
        await SeedAsync(app, phone, email);

        // The attacker holds the old mailbox and gets as far as the password step.
        var attack = await SignInPage.StartedAsync(app, "/api/password/reset", email);
        await FlowClient.OkJson(await client.SubmitCodeAsync(attack, await client.LatestCodeAsync(email)));
        // The owner resets by phone (a security change: new stamp).
        await ResetAsync(app, client, phone, OwnerPassword);

        var refused = await client.SetPasswordAsync(attack, AttackerPassword);

        await ProblemAssert.IsProblem(refused, HttpStatusCode.Conflict, "account_changed");
        await ProblemAssert.IsProblem(await PostSignInAsync(app, email, AttackerPassword), HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(app, phone, OwnerPassword)).StatusCode);
    }

    [Fact]
    public async Task RecoverByEmail_OwnerSecuresAccountBeforeLastCode_PhoneNotChanged()
    {
        await using var app = await TestApp.StartAsync();
        var client = new FlowClient(app.Client);
        var (phone, email, attackerPhone) = (NewPhone(), NewEmail(), NewPhone());
        await SeedAsync(app, phone, email);

        var attack = await SignInPage.StartedAsync(app, "/api/recovery/phone/email", phone);
        await FlowClient.OkJson(await client.SubmitCodeAsync(attack, await client.LatestCodeAsync(email)));
        await FlowClient.OkJson(await SignInPage.PostAsync(app, $"/api/flows/{attack}/phone", new { phone = attackerPhone }));
        await ResetAsync(app, client, phone, OwnerPassword);

        var refused = await client.SubmitCodeAsync(attack, await client.LatestCodeAsync(attackerPhone));

        await ProblemAssert.IsProblem(refused, HttpStatusCode.Conflict, "account_changed");
        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(app, phone, OwnerPassword)).StatusCode);
        await ProblemAssert.IsProblem(await PostSignInAsync(app, attackerPhone, OwnerPassword), HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task Reset_NothingChangedMeanwhile_Applies()
    {
        await using var app = await TestApp.StartAsync();
        var client = new FlowClient(app.Client);
        var (phone, email) = (NewPhone(), NewEmail());
        await SeedAsync(app, phone, email);

        await ResetAsync(app, client, email, OwnerPassword);

        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(app, phone, OwnerPassword)).StatusCode);
    }

    private static async Task ResetAsync(TestApp app, FlowClient client, string identifier, string password)
    {
        var flow = await SignInPage.StartedAsync(app, "/api/password/reset", identifier);
        await FlowClient.OkJson(await client.SubmitCodeAsync(flow, await client.LatestCodeAsync(identifier)));
        var done = await FlowClient.OkJson(await client.SetPasswordAsync(flow, password));
        Assert.Equal("completed", done.GetProperty("state").GetString());
    }
}
