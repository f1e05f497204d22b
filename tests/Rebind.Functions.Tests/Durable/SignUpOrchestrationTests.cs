using System.Diagnostics;
using System.Net;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client;
using Rebind.Functions.Durable;
using Rebind.Functions.Tests.Infrastructure;
using Rebind.Testing;
using Xunit.Abstractions;

namespace Rebind.Functions.Tests.Durable;

/// <summary>Sign-up as a Durable orchestration on the local host, against the task hub in Azurite.</summary>
public sealed class SignUpOrchestrationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SignUp_WholeFlow_OrchestrationCompletesAndPublishesEachState()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();

        var flowId = await flows.StartedSignUpAsync(phone);
        var waiting = await app.Durable().GetInstanceAsync(DurableApp.FlowInstance(flowId));
        await FlowClient.OkJson(await flows.SubmitCodeAsync(flowId, await flows.LatestCodeAsync(phone)));
        await app.WaitForAsync(DurableApp.FlowInstance(flowId), m => m.ReadCustomStatusAs<string>() == "awaiting_password", TimeSpan.FromSeconds(30));
        var done = await FlowClient.OkJson(await flows.SetPasswordAsync(flowId, FlowClient.StrongPassword));
        var ended = await app.WaitUntilCompletedAsync(DurableApp.FlowInstance(flowId), TimeSpan.FromSeconds(30));

        Assert.Equal(OrchestrationRuntimeStatus.Running, waiting!.RuntimeStatus);
        Assert.Equal("completed", done.GetProperty("state").GetString());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, ended.RuntimeStatus);
        Assert.Equal(new FlowEnd("completed", null), ended.ReadOutputAs<FlowEnd>());
        Assert.Equal("completed", ended.ReadCustomStatusAs<string>());
        Assert.Single(await flows.InboxAsync(phone));
    }

    [Fact]
    public async Task SignUp_EveryStepTyped_NoCodeOrPasswordInTheTaskHub()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        const string password = "tidal-Lantern-93x";
        var typed = new List<string> { password };

        var (flowId, first, second) = await SignUpWithWrongCodeAndResendAsync(app, flows, phone, password);
        typed.Add(first);
        typed.Add(second);

        var hub = await TaskHubTextAsync(app.TaskHub());
        output.WriteLine($"task hub text: {hub.Length} characters");
        Assert.Contains(DurableApp.FlowInstance(flowId), hub);
        Assert.Contains(FlowActivities.SendCode, hub);
        Assert.NotEqual(first, second);
        foreach (var secret in typed)
        {
            Assert.DoesNotContain(secret, hub);
        }
        // Not a secret, but personal: the number stays in the flow's row too.
        Assert.DoesNotContain(phone.TrimStart('+'), hub);
    }

    [Fact]
    public async Task SignUp_CodeResendAndPassword_EveryWaitSharesOneDurableTimer()
    {
        // Each wait for the person used to set a timer of its own, and on the Azure Storage backend each timer is a
        // message that stays in the control queue until the deadline, long after the flow ended.
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();

        var (flowId, _, _) = await SignUpWithWrongCodeAndResendAsync(app, flows, phone, FlowClient.StrongPassword);

        var events = new List<string>();
        var history = new TableClient(Azurite.ConnectionString, app.TaskHub() + "History");
        await foreach (var row in history.QueryAsync<TableEntity>(e => e.PartitionKey == DurableApp.FlowInstance(flowId)))
        {
            events.Add(row.GetString("EventType") ?? "");
        }
        output.WriteLine(string.Join(", ", events));
        // The resend, the code and the password: three waits, each ended by its event.
        Assert.Equal(3, events.Count(e => e == "EventRaised"));
        Assert.Equal(1, events.Count(e => e == "TimerCreated"));
        Assert.Equal(1, events.Count(e => e == "ExecutionCompleted"));
    }

    [Fact]
    public async Task SignUp_AppStoppedWhileTheCodeIsAwaited_NewAppOnTheSameTaskHubFinishesIt_CodeSentOnce()
    {
        var phone = FlowClient.NewPhone();
        string prefix;
        string flowId;
        string code;
        await using (var first = await TestApp.StartAsync())
        {
            prefix = first.TablePrefix;
            var flows = new FlowClient(first.Client);
            flowId = await flows.StartedSignUpAsync(phone);
            code = await flows.LatestCodeAsync(phone);
            // Stopped while the orchestration waits for the code (not mid-episode: a work item out would keep the
            // stopping backend's partition lease until it runs out).
            await first.WaitForAsync(DurableApp.FlowInstance(flowId), m => m.ReadCustomStatusAs<string>() == "awaiting_code", TimeSpan.FromSeconds(30));
        }

        // A new app: new sidecar, backend, worker and client; only Azurite holds the flow's row and its orchestration.
        // The first app may have stopped with a work item out, keeping its partition lease until the lease runs out (30 s):
        // the new app takes the partition over then, so the password's answer may wait that long.
        await using var second = await TestApp.StartAsync(new Dictionary<string, string?> { ["Flows:AnswerWaitMilliseconds"] = "60000" }, tablePrefix: prefix);
        var again = new FlowClient(second.Client);
        var clock = Stopwatch.StartNew();
        await FlowClient.OkJson(await again.SubmitCodeAsync(flowId, code));
        var done = await FlowClient.OkJson(await again.SetPasswordAsync(flowId, FlowClient.StrongPassword));
        output.WriteLine($"after restart, code + password answered in {clock.ElapsedMilliseconds} ms");

        Assert.Equal("completed", done.GetProperty("state").GetString());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await second.WaitUntilCompletedAsync(DurableApp.FlowInstance(flowId), TimeSpan.FromSeconds(30))).RuntimeStatus);
        Assert.Single(await again.InboxAsync(phone));
    }

    [Fact]
    public async Task SetPassword_OrchestrationSlowerThanTheAnswerWait_Answers202WithLocation_ThenTheFlowCompletes()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Flows:AnswerWaitMilliseconds"] = "0" });
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var flowId = await flows.StartedSignUpAsync(phone);
        var code = await LatestCodeEventuallyAsync(flows, phone);
        await FlowClient.OkJson(await flows.SubmitCodeAsync(flowId, code));

        var accepted = await flows.SetPasswordAsync(flowId, FlowClient.StrongPassword);
        var body = await FlowClient.OkJson(accepted);
        await app.WaitUntilCompletedAsync(DurableApp.FlowInstance(flowId), TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal($"/api/flows/{flowId}", accepted.Headers.Location?.ToString());
        Assert.Equal("creating_account", body.GetProperty("state").GetString());
        Assert.Equal("wait", body.GetProperty("next").GetString());
        Assert.Equal("completed", (await flows.GetFlowAsync(flowId)).GetProperty("state").GetString());
    }

    /// <summary>With no answer wait the start does not wait for the send either: the code arrives a moment later.</summary>
    private static async Task<string> LatestCodeEventuallyAsync(FlowClient flows, string phone)
    {
        var clock = Stopwatch.StartNew();
        while ((await flows.InboxAsync(phone)).Length == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "no code arrived");
            await Task.Delay(50);
        }
        return await flows.LatestCodeAsync(phone);
    }

    /// <summary>Every property of every row of the task hub's History and Instances tables, and every large-message blob.</summary>
    /// <summary>
    /// A whole sign-up with a wrong code and a resend on the way, to the orchestration's end: the first and second codes
    /// sent.
    /// </summary>
    private static async Task<(string FlowId, string First, string Second)> SignUpWithWrongCodeAndResendAsync(
        TestApp app, FlowClient flows, string phone, string password)
    {
        var flowId = await flows.StartedSignUpAsync(phone);
        var first = await flows.LatestCodeAsync(phone);
        var wrong = first == "000000" ? "111111" : "000000";
        await ProblemAssert.IsProblem(await flows.SubmitCodeAsync(flowId, wrong), HttpStatusCode.BadRequest, "invalid_code");
        app.Time.Advance(TimeSpan.FromMinutes(2));
        await FlowClient.OkJson(await flows.ResendAsync(flowId));
        var second = await flows.LatestCodeAsync(phone);
        await FlowClient.OkJson(await flows.SubmitCodeAsync(flowId, second));
        await FlowClient.OkJson(await flows.SetPasswordAsync(flowId, password));
        await app.WaitUntilCompletedAsync(DurableApp.FlowInstance(flowId), TimeSpan.FromSeconds(30));
        return (flowId, first, second);
    }

    internal static async Task<string> TaskHubTextAsync(string hub)
    {
        var text = new System.Text.StringBuilder();
        foreach (var table in new[] { hub + "History", hub + "Instances" })
        {
            await foreach (var row in new TableClient(Azurite.ConnectionString, table).QueryAsync<TableEntity>())
            {
                foreach (var (key, value) in row)
                {
                    text.Append(key).Append('=').Append(value).Append('\n');
                }
            }
        }
        var container = new BlobServiceClient(Azurite.ConnectionString).GetBlobContainerClient(hub.ToLowerInvariant() + "-largemessages");
        if (await container.ExistsAsync())
        {
            await foreach (var blob in container.GetBlobsAsync())
            {
                text.Append((await container.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString());
            }
        }
        return text.ToString();
    }
}
