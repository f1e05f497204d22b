using Rebind.Azure.Flows;
using Rebind.Core.Flows;
using Rebind.Core.Flows.SignUp;
using Rebind.Functions.Tests.Infrastructure;
using Rebind.Testing;

namespace Rebind.Functions.Tests;

/// <summary>The whole app with ACS configured, against the ACS stand-in on loopback.</summary>
public sealed class AcsThroughAppTests
{
    private static Dictionary<string, string?> AcsSettings(AcsStandIn standIn) => new()
    {
        ["Acs:ConnectionString"] = standIn.ConnectionString,
        ["Acs:SmsFrom"] = "+18005550100",
        ["Acs:EmailFrom"] = "DoNotReply@rebind.example",
    };

    [Fact]
    public async Task StartSignUp_AcsConfigured_SignedSmsWithRepeatabilityIdOfTheSend()
    {
        await using var standIn = await AcsStandIn.StartAsync();
        await using var app = await TestApp.StartAsync(AcsSettings(standIn));
        var phone = FlowClient.NewPhone();

        var flowId = await new FlowClient(app.Client).StartedSignUpAsync(phone);

        var delivery = Assert.Single(standIn.SmsDeliveries);
        Assert.Equal(phone, delivery.To);
        Assert.Equal("+18005550100", delivery.From);
        Assert.Matches(@"\b\d{6}\b", delivery.Message);
        // The orchestration's send carries the key derived from (flow, step, send): a retry or a replay sends the same.
        Assert.Equal(ChallengeService.DerivedMessageKey(flowId, SignUpFlow.PhoneStep, 1), delivery.RepeatabilityRequestId);
        Assert.True((await PhoneChallengeAsync(app, flowId)).Delivered);
        // The dev inbox is not the sender when ACS is configured (and it is empty).
        Assert.Empty(await new FlowClient(app.Client).InboxAsync(phone));
    }

    [Fact]
    public async Task StartSignUp_Acs500_ActivityRetriesTheSameRepeatabilityIdDeliveredOnce()
    {
        await using var standIn = await AcsStandIn.StartAsync();
        standIn.ScriptSms(AcsStandInReply.ServerError());
        await using var app = await TestApp.StartAsync(AcsSettings(standIn));

        // The first attempt fails; the activity's retry a second later delivers, within the request's wait.
        var flowId = await new FlowClient(app.Client).StartedSignUpAsync(FlowClient.NewPhone());

        Assert.Single(standIn.SmsDeliveries);
        var ids = standIn.SmsRequests.Select(r => r.Json!["smsRecipients"]![0]!["repeatabilityRequestId"]!.GetValue<string>()).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Single(ids.Distinct());
        Assert.True((await PhoneChallengeAsync(app, flowId)).Delivered);
    }

    [Fact]
    public async Task StartSignUp_Acs400_PermanentFailureNotRetried()
    {
        await using var standIn = await AcsStandIn.StartAsync();
        standIn.ScriptSms(AcsStandInReply.BadRequest());
        await using var app = await TestApp.StartAsync(AcsSettings(standIn));

        var flowId = await new FlowClient(app.Client).StartedSignUpAsync(FlowClient.NewPhone());

        // The send is over (refused for good): the activity finished without a retry.
        Assert.True((await PhoneChallengeAsync(app, flowId)).Delivered);
        Assert.Single(standIn.SmsRequests);
        Assert.Empty(standIn.SmsDeliveries);
    }

    private static async Task<Rebind.Core.Flows.Challenge> PhoneChallengeAsync(TestApp app, string flowId) =>
        (await app.Services.GetRequiredService<TableFlowStore>().GetAsync(flowId))!.Flow.ChallengeFor(SignUpFlow.PhoneStep)!;
}

/// <summary>Email codes through the whole app with ACS configured: Operation-Id from the send, then bound.</summary>
public sealed class AcsEmailThroughAppTests
{
    [Fact]
    public async Task BindEmail_AcsConfigured_SignedEmailWithOperationIdOfTheSendAndCodeWorks()
    {
        await using var standIn = await AcsStandIn.StartAsync();
        standIn.ScriptEmailStatuses("Running", "Succeeded");
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Acs:ConnectionString"] = standIn.ConnectionString,
            ["Acs:SmsFrom"] = "+18005550100",
            ["Acs:EmailFrom"] = "DoNotReply@rebind.example",
            ["Acs:EmailPollInterval"] = "00:00:00.100",
        });
        var phone = Accounts.NewPhone();
        await Accounts.SeedAsync(app, phone: phone);
        var (token, _) = await Accounts.SignInAsync(app, phone);
        var email = Accounts.NewEmail();

        var started = await Accounts.JsonAsync(await Accounts.SendAsync(app, HttpMethod.Post, "/api/me/email/bind", token, new { email }));
        var flowId = started.GetProperty("flowId").GetString()!;

        var delivery = Assert.Single(standIn.EmailDeliveries);
        Assert.Equal([email], delivery.To);
        Assert.Equal("DoNotReply@rebind.example", delivery.SenderAddress);
        // The orchestration's send carries the key derived from (flow, step, send), and waited out the operation's polls.
        var challenge = (await app.Services.GetRequiredService<TableFlowStore>().GetAsync(flowId))!.Flow.Challenges.Single();
        Assert.Equal(ChallengeService.DerivedMessageKey(flowId, challenge.Step, 1).ToString(), delivery.OperationId, ignoreCase: true);
        Assert.True(challenge.Delivered);
        var code = System.Text.RegularExpressions.Regex.Match(delivery.PlainText!, @"\b\d{6}\b").Value;
        Assert.NotEmpty(code);
        Assert.Contains(code, delivery.Html!);

        var confirmed = await Accounts.JsonAsync(await Accounts.SendAsync(app, HttpMethod.Post, $"/api/flows/{flowId}/code", token, new { code }));

        Assert.Equal("completed", confirmed.GetProperty("state").GetString());
        var me = await Accounts.JsonAsync(await Accounts.SendAsync(app, HttpMethod.Get, "/api/me", token));
        Assert.Equal(email[..1] + "***@example.com", me.GetProperty("email").GetString());
        Assert.Empty(await new FlowClient(app.Client).InboxAsync(email));
    }
}
