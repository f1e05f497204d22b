using Microsoft.DurableTask.Client;
using Rebind.Functions.Flows;
using Rebind.Functions.Hosting;

namespace Rebind.Functions.Durable;

/// <summary>
/// Purges finished orchestration instances (their history and state in the task hub) once they are older than
/// <c>Flows__RetentionDays</c>, as the flows' own rows are. Running ones are never touched. The client comes from the
/// host: from DI on the local host (<see cref="OrchestrationPurgeTask"/>), from the timer's <c>[DurableClient]</c>
/// binding in the Functions worker (<see cref="Worker.CleanupFunction"/>).
/// </summary>
public sealed class OrchestrationPurge(FlowOptions options, TimeProvider time)
{
    public const string TaskName = "orchestrations_purged";

    private static readonly OrchestrationRuntimeStatus[] Finished =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    /// <returns>How many instances were purged.</returns>
    public async Task<int> PurgeAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var filter = new PurgeInstancesFilter(
            CreatedFrom: DateTimeOffset.UnixEpoch,
            CreatedTo: time.GetUtcNow() - options.Retention,
            Statuses: Finished);
        var result = await client.PurgeAllInstancesAsync(filter, cancellationToken);
        return result.PurgedInstanceCount;
    }
}

/// <summary>The purge as a step of the cleanup, with the client <paramref name="client"/> the host provides.</summary>
public sealed class OrchestrationPurgeTask(DurableTaskClient client, OrchestrationPurge purge) : ICleanupTask
{
    public string Name => OrchestrationPurge.TaskName;

    public Task<int> RunAsync(CancellationToken cancellationToken) => purge.PurgeAsync(client, cancellationToken);
}
