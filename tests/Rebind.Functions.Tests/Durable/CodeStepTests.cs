using System.Diagnostics;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Rebind.Azure.Flows;
using Rebind.Core.Flows;
using Rebind.Core.Messaging;
using Rebind.Core.Security;
using Rebind.Functions.Durable;
using Rebind.Functions.Tests.Infrastructure;
using Rebind.Testing;

namespace Rebind.Functions.Tests.Durable;

/// <summary>
/// The shared "send a code and wait for it" step on the local host's Durable runtime and real Azurite: codes reach the
/// development inbox, verify against the flow's row, are sent once per send however often the activity runs, and never
/// appear in the task hub's history or instance state.
/// </summary>
public sealed partial class CodeStepTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ConfirmCode_SendResendConfirm_CodesVerifyAgainstTheRowAndNeverEnterHistory()
    {
        await using var app = await StartAsync();
        var phone = FlowClient.NewPhone();
        var flowId = await InsertFlowAsync(app, phone);

        await app.Durable().ScheduleNewOrchestrationInstanceAsync(nameof(CodeStepProbe), new CodeStepProbeInput(300), new StartOrchestrationOptions(flowId));
        var first = await CodesAsync(app, phone, count: 1);
        var afterFirst = await RowAsync(app, flowId);
        await app.Durable().RaiseEventAsync(flowId, CodeStep.InputEvent, new FlowInputEvent(FlowInputKind.ResendRequested, CodeStepProbe.Step));
        var both = await CodesAsync(app, phone, count: 2);
        var afterResend = await RowAsync(app, flowId);
        await app.Durable().RaiseEventAsync(flowId, CodeStep.InputEvent, new FlowInputEvent(FlowInputKind.CodeConfirmed, CodeStepProbe.Step));
        var done = await app.WaitForAsync(flowId, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Completed, Bounded);

        var (firstCode, secondCode) = (first[0], both.Single(c => c != first[0]));
        Assert.True(Verifies(app, afterFirst, firstCode));
        Assert.Equal(2, afterResend.ChallengeFor(CodeStepProbe.Step)!.Sends);
        Assert.False(Verifies(app, afterResend, firstCode));
        Assert.True(Verifies(app, afterResend, secondCode));
        Assert.Equal(CodeStepResult.Confirmed, done.ReadOutputAs<CodeStepOutcome>()!.Result);
        var history = await TaskHubTextAsync(app.TaskHub());
        Assert.Contains(flowId, history);
        Assert.DoesNotContain(firstCode, history);
        Assert.DoesNotContain(secondCode, history);
    }

    [Fact]
    public async Task ConfirmCode_NoInputBeforeTheDeadline_TimesOut()
    {
        await using var app = await StartAsync();
        var phone = FlowClient.NewPhone();
        var flowId = await InsertFlowAsync(app, phone);

        await app.Durable().ScheduleNewOrchestrationInstanceAsync(nameof(CodeStepProbe), new CodeStepProbeInput(3), new StartOrchestrationOptions(flowId));
        var done = await app.WaitForAsync(flowId, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Completed, Bounded);

        Assert.Equal(CodeStepResult.TimedOut, done.ReadOutputAs<CodeStepOutcome>()!.Result);
        Assert.Single(await CodesAsync(app, phone, count: 1));
    }

    /// <summary>An activity retried (or replayed after a crash) for the same send stores one challenge and sends one message.</summary>
    [Fact]
    public async Task IssueAsync_SameSendAgain_OneChallengeOneMessage_NextSendAnother()
    {
        await using var app = await TestApp.StartAsync();
        var issuer = app.Services.GetRequiredService<CodeIssuer>();
        var phone = FlowClient.NewPhone();
        var flowId = await InsertFlowAsync(app, phone);
        var request = new IssueCodeRequest(flowId, CodeStepProbe.Step, CodeDestination.Phone, MessageKinds.SignupCode);

        var first = await issuer.IssueAsync(request, CancellationToken.None);
        var again = await issuer.IssueAsync(request, CancellationToken.None);
        var once = await new FlowClient(app.Client).InboxAsync(phone);
        var next = await issuer.IssueAsync(request with { Send = 2 }, CancellationToken.None);
        var twice = await new FlowClient(app.Client).InboxAsync(phone);

        Assert.Equal((1, true, null), (first.Send, first.Sent, first.Refused));
        Assert.Equal(first, again);
        Assert.Single(once);
        Assert.Equal(2, next.Send);
        Assert.Equal(2, twice.Length);
        Assert.Equal(2, (await RowAsync(app, flowId)).ChallengeFor(CodeStepProbe.Step)!.Sends);
    }

    [Fact]
    public async Task IssueAsync_PretendOrPastTheSendCap_SendsNothing()
    {
        await using var app = await TestApp.StartAsync();
        var issuer = app.Services.GetRequiredService<CodeIssuer>();
        var phone = FlowClient.NewPhone();
        var flowId = await InsertFlowAsync(app, phone);
        var request = new IssueCodeRequest(flowId, CodeStepProbe.Step, CodeDestination.Phone, MessageKinds.SignupCode, Pretend: true);

        var pretend = await issuer.IssueAsync(request, CancellationToken.None);
        var capped = await issuer.IssueAsync(request with { Send = FlowPolicy.Default.MaxSendsPerFlow + 1 }, CancellationToken.None);

        Assert.Equal((false, null), (pretend.Sent, pretend.Refused));
        Assert.True((await RowAsync(app, flowId)).ChallengeFor(CodeStepProbe.Step)!.Pretend);
        Assert.Equal(FlowErrorCodes.TooManySends, capped.Refused);
        Assert.Empty(await new FlowClient(app.Client).InboxAsync(phone));
    }

    private static Task<TestApp> StartAsync() =>
        TestApp.StartAsync(
            new Dictionary<string, string?> { ["Durable:Enabled"] = "true", ["Durable:TablePartitionManagement"] = "false" },
            services: s => s.AddDurableTaskWorker(b => b.AddTasks(r => r.AddOrchestrator<CodeStepProbe>())));

    private static async Task<string> InsertFlowAsync(TestApp app, string phone)
    {
        var now = app.Time.GetUtcNow();
        var flow = new Flow
        {
            Id = FlowIds.New(),
            Kind = "signup_phone",
            State = "awaiting_code",
            CreatedAt = now,
            Deadline = now + TimeSpan.FromMinutes(30),
            Phone = phone,
            Culture = "en",
        };
        await app.Services.GetRequiredService<TableFlowStore>().InsertAsync(flow, []);
        return flow.Id;
    }

    private static async Task<Flow> RowAsync(TestApp app, string flowId) =>
        (await app.Services.GetRequiredService<TableFlowStore>().GetAsync(flowId))!.Flow;

    private static bool Verifies(TestApp app, Flow flow, string code)
    {
        var challenges = new ChallengeService(app.Services.GetRequiredService<FlowPolicy>(), app.Services.GetRequiredService<CodeKeyRing>());
        var verified = challenges.Verify(flow, CodeStepProbe.Step, code, app.Time.GetUtcNow());
        return verified.IsSuccess && verified.Value.Error is null;
    }

    /// <summary>The codes in the inbox of <paramref name="phone"/> once it holds <paramref name="count"/> messages.</summary>
    private static async Task<List<string>> CodesAsync(TestApp app, string phone, int count)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var inbox = await new FlowClient(app.Client).InboxAsync(phone);
            if (inbox.Length >= count || clock.Elapsed > Bounded)
            {
                Assert.Equal(count, inbox.Length);
                return inbox.Select(m => SixDigits().Match(m.GetProperty("text").GetString()!).Value).ToList();
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Every value of every row of the task hub's History and Instances tables, as one text.</summary>
    private static async Task<string> TaskHubTextAsync(string hub)
    {
        var text = new System.Text.StringBuilder();
        foreach (var name in new[] { hub + "History", hub + "Instances" })
        {
            await foreach (var row in new TableClient(Azurite.ConnectionString, name).QueryAsync<TableEntity>())
            {
                foreach (var (key, value) in row)
                {
                    text.Append(key).Append('=').Append(value).Append('\n');
                }
            }
        }
        return text.ToString();
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
