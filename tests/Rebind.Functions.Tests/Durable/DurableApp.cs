using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Rebind.Functions.Tests.Infrastructure;
using Rebind.Testing;

namespace Rebind.Functions.Tests.Durable;

/// <summary>A <see cref="TestApp"/> with Durable Task on, its own task hub (from its table prefix) and the probe orchestrator.</summary>
internal static class DurableApp
{
    /// <param name="tablePartitionManagement">The backend's partition manager: table (the default, as in Azure) or blob leases.</param>
    public static Task<TestApp> StartAsync(string? tablePrefix = null, bool tablePartitionManagement = true) =>
        TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["Durable:TablePartitionManagement"] = tablePartitionManagement ? "true" : "false",
            },
            tablePrefix: tablePrefix,
            services: s => s.AddDurableTaskWorker(b => b.AddTasks(r => r.AddOrchestrator<ConfirmationProbe>())));

    public static DurableTaskClient Durable(this TestApp app) => app.Services.GetRequiredService<DurableTaskClient>();

    public static string TaskHub(this TestApp app) => app.TablePrefix + "hub";

    /// <summary>The orchestration of flow <paramref name="flowId"/>.</summary>
    public static string FlowInstance(string flowId) => Rebind.Core.Flows.FlowIds.InstanceId(flowId);

    public static async Task<string> StartProbeAsync(this TestApp app, int timeoutSeconds)
    {
        var id = Guid.NewGuid().ToString("N");
        await app.Durable().ScheduleNewOrchestrationInstanceAsync(
            nameof(ConfirmationProbe), new ConfirmationProbeInput(timeoutSeconds), new StartOrchestrationOptions(id));
        return id;
    }

    /// <summary>Polls the instance's state (every 50 ms) until <paramref name="done"/> holds; fails after <paramref name="within"/>.</summary>
    public static async Task<OrchestrationMetadata> WaitForAsync(
        this TestApp app, string instanceId, Func<OrchestrationMetadata, bool> done, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        OrchestrationMetadata? last = null;
        while (clock.Elapsed < within)
        {
            last = await app.Durable().GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            if (last is not null && done(last))
            {
                return last;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Orchestration {instanceId} did not get there within {within}; last status {last?.RuntimeStatus}.");
    }

    public static Task<OrchestrationMetadata> WaitUntilWaitingAsync(this TestApp app, string instanceId) =>
        app.WaitForAsync(
            instanceId,
            m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running
                 && m.ReadCustomStatusAs<ConfirmationProbeStatus>()?.State == ConfirmationProbe.Waiting,
            TimeSpan.FromSeconds(30));

    public static Task<OrchestrationMetadata> WaitUntilCompletedAsync(this TestApp app, string instanceId, TimeSpan within) =>
        app.WaitForAsync(instanceId, m => m.RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed, within);

    /// <summary>Tables, queues and blob containers of the task hub <paramref name="hub"/> that exist in Azurite.</summary>
    public static async Task<List<string>> TaskHubResourcesAsync(string hub)
    {
        var found = new List<string>();
        await foreach (var table in new TableServiceClient(Azurite.ConnectionString).QueryAsync())
        {
            if (table.Name.StartsWith(hub, StringComparison.OrdinalIgnoreCase))
            {
                found.Add("table " + table.Name);
            }
        }
        await foreach (var queue in new QueueServiceClient(Azurite.ConnectionString).GetQueuesAsync(prefix: hub.ToLowerInvariant()))
        {
            found.Add("queue " + queue.Name);
        }
        await foreach (var container in new BlobServiceClient(Azurite.ConnectionString).GetBlobContainersAsync(prefix: hub.ToLowerInvariant()))
        {
            found.Add("container " + container.Name);
        }
        return found;
    }
}
