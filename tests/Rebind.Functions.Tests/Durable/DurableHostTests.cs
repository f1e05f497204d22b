using System.Diagnostics;
using System.Net;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Rebind.Functions.Hosting;
using Rebind.Functions.Tests.Infrastructure;
using Rebind.Testing;
using Xunit.Abstractions;

namespace Rebind.Functions.Tests.Durable;

/// <summary>
/// The local host's Durable Task runtime on real Azurite: sidecar, worker and client in the app, driven through the
/// client the HTTP functions will use. Waits poll the instance's state; none sleeps for a fixed time.
/// </summary>
public sealed class DurableHostTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task RaiseEvent_WhileWaiting_CompletesConfirmed()
    {
        await using var app = await DurableApp.StartAsync();
        var id = await app.StartProbeAsync(timeoutSeconds: 300);
        await app.WaitUntilWaitingAsync(id);

        var clock = Stopwatch.StartNew();
        await app.Durable().RaiseEventAsync(id, ConfirmationProbe.EventName, new ConfirmationProbeEvent("phone-code"));
        var done = await app.WaitUntilCompletedAsync(id, Bounded);
        output.WriteLine($"raise -> completed: {clock.ElapsedMilliseconds} ms");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var outcome = done.ReadOutputAs<ConfirmationProbeOutcome>()!;
        Assert.Equal("confirmed", outcome.Result);
        Assert.Equal("phone-code", outcome.Step);
        Assert.True(outcome.EndedAt < outcome.Deadline);
    }

    [Fact]
    public async Task WaitForConfirmation_NoEvent_TimesOutAtDeadline()
    {
        await using var app = await DurableApp.StartAsync();
        var clock = Stopwatch.StartNew();
        var id = await app.StartProbeAsync(timeoutSeconds: 3);

        var done = await app.WaitUntilCompletedAsync(id, Bounded);
        output.WriteLine($"scheduled -> timed out: {clock.ElapsedMilliseconds} ms");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var outcome = done.ReadOutputAs<ConfirmationProbeOutcome>()!;
        Assert.Equal("timed-out", outcome.Result);
        Assert.Null(outcome.Step);
        // The backend may fire a timer early; the helper waits out the rest, so the flow never ends before its deadline.
        Assert.True(outcome.EndedAt >= outcome.Deadline, $"ended {outcome.EndedAt:O}, deadline {outcome.Deadline:O}");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2), $"timed out after {clock.Elapsed}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RaiseEvent_AfterAppRestart_CompletesFromStoredState(bool tablePartitionManagement)
    {
        string id;
        string prefix;
        await using (var first = await DurableApp.StartAsync(tablePartitionManagement: tablePartitionManagement))
        {
            prefix = first.TablePrefix;
            id = await first.StartProbeAsync(timeoutSeconds: 300);
            await first.WaitUntilWaitingAsync(id);
        }

        // A new app: new sidecar, backend, worker and client; only Azurite holds the waiting instance.
        await using var second = await DurableApp.StartAsync(prefix, tablePartitionManagement);
        var waiting = await second.Durable().GetInstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Running, waiting?.RuntimeStatus);

        var clock = Stopwatch.StartNew();
        await second.Durable().RaiseEventAsync(id, ConfirmationProbe.EventName, new ConfirmationProbeEvent("email-code"));
        var done = await second.WaitUntilCompletedAsync(id, TimeSpan.FromSeconds(60));
        output.WriteLine($"after restart, raise -> completed: {clock.ElapsedMilliseconds} ms");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("email-code", done.ReadOutputAs<ConfirmationProbeOutcome>()!.Step);
    }

    /// <remarks>
    /// A worker still connected when the sidecar stops holds it for the sidecar's whole shutdown timeout (5 s; a
    /// default host's would be 30 s): the bound sits below that, so stopping them in the wrong order fails here.
    /// </remarks>
    [Fact]
    public async Task Cleanup_FinishedInstancePastRetention_PurgedAndRunningOneKept()
    {
        await using var app = await DurableApp.StartAsync();
        var finished = await app.StartProbeAsync(timeoutSeconds: 300);
        var running = await app.StartProbeAsync(timeoutSeconds: 300);
        await app.WaitUntilWaitingAsync(finished);
        await app.WaitUntilWaitingAsync(running);
        await app.Durable().RaiseEventAsync(finished, ConfirmationProbe.EventName, new ConfirmationProbeEvent("phone-code"));
        await app.WaitUntilCompletedAsync(finished, Bounded);
        var runner = app.Services.GetRequiredService<CleanupRunner>();

        var early = await runner.RunAsync();
        app.Time.Advance(TimeSpan.FromDays(8));
        var due = await runner.RunAsync();

        Assert.Equal(0, early.Counts[Rebind.Functions.Durable.OrchestrationPurge.TaskName]);
        Assert.Equal(1, due.Counts[Rebind.Functions.Durable.OrchestrationPurge.TaskName]);
        Assert.Empty(due.Failed);
        Assert.Null(await app.Durable().GetInstanceAsync(finished));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await app.Durable().GetInstanceAsync(running))!.RuntimeStatus);
    }

    [Fact]
    public async Task StopApp_WithWaitingFlow_StopsBeforeSidecarTimeout()
    {
        var app = await DurableApp.StartAsync();
        var id = await app.StartProbeAsync(timeoutSeconds: 300);
        await app.WaitUntilWaitingAsync(id);

        var clock = Stopwatch.StartNew();
        await app.DisposeAsync();
        output.WriteLine($"stop: {clock.ElapsedMilliseconds} ms");

        Assert.True(clock.Elapsed < DurableSidecar.ShutdownTimeout - TimeSpan.FromSeconds(1), $"stopping took {clock.Elapsed}");
    }

    [Fact]
    public async Task StartApp_DurableEnabled_CreatesTaskHub()
    {
        await using var app = await DurableApp.StartAsync();
        // The sidecar starts in the background while the API already answers; no flow has run.
        await app.Services.GetRequiredService<DurableSidecar>().Started.WaitAsync(TimeSpan.FromSeconds(30));

        var resources = await DurableApp.TaskHubResourcesAsync(app.TaskHub());

        Assert.Contains($"table {app.TaskHub()}Instances", resources);
        Assert.Contains($"queue {app.TaskHub().ToLowerInvariant()}-workitems", resources);
        Assert.NotEqual(0, app.Services.GetRequiredService<DurableSidecar>().Port);
    }

    [Fact]
    public async Task Ready_DurableEnabled_Returns200()
    {
        await using var app = await DurableApp.StartAsync();

        var response = await app.Client.GetAsync("/api/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ready_SidecarDown_Returns503Problem()
    {
        await using var app = await DurableApp.StartAsync();
        await app.Services.GetRequiredService<DurableSidecar>().StoppedAsync(CancellationToken.None);

        var response = await app.Client.GetAsync("/api/health/ready");

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        Assert.Contains("task hub", problem.ToString());
    }

    /// <summary>
    /// Storage away when the app starts: it starts anyway (the tables answer 503 meanwhile, as without Durable), is not
    /// ready, and once storage is back the backend's retried start creates the task hub and runs orchestrations, without
    /// a restart.
    /// </summary>
    [Fact]
    public async Task StartApp_StorageAway_StartsNotReady_ThenRunsOrchestrationsOnceStorageIsBack()
    {
        await using var storage = await CountingStorageProxy.StartAsync(Azurite.ConnectionString);
        storage.Available = false;
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["Storage:ConnectionString"] = storage.ConnectionString },
            services: s => s.AddDurableTaskWorker(b => b.AddTasks(r => r.AddOrchestrator<ConfirmationProbe>())));

        var away = await app.Client.GetAsync("/api/health/ready");
        storage.Available = true;
        var ready = await WaitForReadyAsync(app, TimeSpan.FromSeconds(60));
        var id = await app.StartProbeAsync(timeoutSeconds: 300);
        await app.WaitUntilWaitingAsync(id);
        await app.Durable().RaiseEventAsync(id, ConfirmationProbe.EventName, new ConfirmationProbeEvent("phone-code"));
        var done = await app.WaitUntilCompletedAsync(id, TimeSpan.FromSeconds(60));

        await ProblemAssert.IsProblem(away, HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
    }

    /// <summary>
    /// The sidecar and the task hub start in the background: with storage hanging, the app is alive (its liveness answer
    /// does not wait for them) but not ready, and it becomes ready once storage answers, without a restart.
    /// </summary>
    [Fact]
    public async Task StartApp_TaskHubStillBeingCreated_AliveAtOnce_ReadyOnceCreated()
    {
        await using var proxy = StorageProxy.StartAll();
        proxy.Set(StorageProxyMode.Hang);
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["Storage:ConnectionString"] = proxy.ConnectionString }, waitForDurable: false);
        var sidecar = app.Services.GetRequiredService<DurableSidecar>();

        var alive = await app.Client.GetAsync("/api/health");
        var startedWhileAlive = sidecar.Started.IsCompleted;
        var notReady = await app.Client.GetAsync("/api/health/ready");
        proxy.Set(StorageProxyMode.Forward);
        await sidecar.Started.WaitAsync(TimeSpan.FromSeconds(30));
        var ready = await WaitForReadyAsync(app, TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.False(startedWhileAlive, "the sidecar had started although storage hung");
        await ProblemAssert.IsProblem(notReady, HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        Assert.Equal(HttpStatusCode.OK, ready);
    }

    private static async Task<HttpStatusCode> WaitForReadyAsync(TestApp app, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        var status = HttpStatusCode.ServiceUnavailable;
        while (clock.Elapsed < within && status != HttpStatusCode.OK)
        {
            await Task.Delay(200);
            status = (await app.Client.GetAsync("/api/health/ready")).StatusCode;
        }
        return status;
    }

    /// <remarks>The sidecar stops the backend from an async void callback: a throw there ends the process.</remarks>
    [Fact]
    public async Task SidecarStop_BackendNeverStarted_CompletesWithoutThrowing()
    {
        var settings = DurableSetup.Settings(new DurableOptions(), new StorageOptions { ConnectionString = Azurite.ConnectionString, TablePrefix = "neverstarted" });
        using var backend = new global::DurableTask.AzureStorage.AzureStorageOrchestrationService(settings);
        var guarded = new SidecarOrchestrationService(backend, Microsoft.Extensions.Logging.Abstractions.NullLogger<SidecarOrchestrationService>.Instance);

        await guarded.StopAsync();

        Assert.True(guarded.Stopped.IsCompletedSuccessfully);
        await Assert.ThrowsAsync<NullReferenceException>(() => backend.StopAsync());
    }

    [Fact]
    public void Create_DurableWithTableOnlyConnectionString_FailsNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RebindApp.Create(
            ["--environment", "Development"],
            TestApp.Startable(("Storage:ConnectionString", Azurite.For(Azurite.TableEndpoint)))));

        Assert.Contains("Storage__ConnectionString", error.Message);
        Assert.Contains("BlobEndpoint", error.Message);
        Assert.Contains("QueueEndpoint", error.Message);
    }

    [Fact]
    public void Create_DurableWithTaskHubNameTooShort_FailsNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RebindApp.Create(
            ["--environment", "Development"],
            TestApp.Startable(("Durable:TaskHub", "h1"))));

        Assert.Contains("Durable__TaskHub", error.Message);
    }
}
