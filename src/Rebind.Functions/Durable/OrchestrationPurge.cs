using System.Text.Json;
using Microsoft.DurableTask.Client;
using Rebind.Azure.Flows;
using Rebind.Core.Flows;
using Rebind.Functions.Flows;
using Rebind.Functions.Hosting;

namespace Rebind.Functions.Durable;

/// <summary>
/// Deletes finished flows once <c>Flows__RetentionDays</c> have passed since their orchestration last moved: the flow's
/// rows (the flow and its notices' outbox rows, one partition) first, then the orchestration instance (its history and
/// state in the task hub). Running orchestrations are never touched, nor is a flow row whose orchestration still exists.
/// The instances come from the task hub's instance query (created before the retention cut-off, finished), so a pass
/// costs a read of those instances plus a few deletes per purged flow. A crash between the two deletes leaves the
/// instance, which the next pass finds again. Instances of other orchestrators (none in the app) are purged alone.
/// The client comes from the host: from DI on the local host (<see cref="OrchestrationPurgeTask"/>), from the timer's
/// <c>[DurableClient]</c> binding in the Functions worker (<see cref="Worker.CleanupFunction"/>).
/// </summary>
public sealed class OrchestrationPurge(TableFlowStore flows, FlowOptions options, TimeProvider time)
{
    public const string TaskName = "flows_purged";

    private static readonly OrchestrationRuntimeStatus[] Finished =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    /// <returns>How many instances were purged.</returns>
    public async Task<int> PurgeAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var cutOff = time.GetUtcNow() - options.Retention;
        var query = new OrchestrationQuery(CreatedTo: cutOff, Statuses: Finished, FetchInputsAndOutputs: true);
        var purged = 0;
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (instance.LastUpdatedAt > cutOff)
            {
                // Finished within the retention period (a long cool-off): kept until a later pass.
                continue;
            }
            if (FlowOf(instance) is { } flowId)
            {
                await flows.PurgeAsync(flowId, cancellationToken);
            }
            await client.PurgeInstanceAsync(instance.InstanceId, cancellation: cancellationToken);
            purged++;
        }
        return purged;
    }

    /// <summary>The flow whose orchestration <paramref name="instance"/> is: its input names it, and the instance id
    /// derives from it.</summary>
    private static string? FlowOf(OrchestrationMetadata instance)
    {
        try
        {
            return instance.ReadInputAs<FlowRef>() is { FlowId: { } id } && FlowIds.InstanceId(id) == instance.InstanceId ? id : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The purge as a step of the cleanup, with the client <paramref name="client"/> the host provides.</summary>
public sealed class OrchestrationPurgeTask(DurableTaskClient client, OrchestrationPurge purge) : ICleanupTask
{
    public string Name => OrchestrationPurge.TaskName;

    public Task<int> RunAsync(CancellationToken cancellationToken) => purge.PurgeAsync(client, cancellationToken);
}
