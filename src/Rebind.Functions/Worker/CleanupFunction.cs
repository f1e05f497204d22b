using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Rebind.Functions.Durable;
using Rebind.Functions.Hosting;

namespace Rebind.Functions.Worker;

/// <summary>
/// The cleanup, every minute (the local host's <see cref="CleanupScheduler"/> does the same on its own timer), with the
/// purge of finished orchestration instances through the task hub client the Durable extension binds.
/// </summary>
public sealed class CleanupFunction(CleanupRunner runner, OrchestrationPurge purge)
{
    public const string Name = "Cleanup";

    /// <summary>A pass where a step failed fails the invocation, so monitoring sees it; the next tick retries.</summary>
    [Function(Name)]
    public async Task Run(
        [TimerTrigger("0 */1 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var report = await runner.RunAsync(cancellationToken, [new OrchestrationPurgeTask(durable, purge)]);
        if (report.Failed.Count > 0)
        {
            throw new CleanupFailedException(report);
        }
    }
}

/// <summary>A cleanup pass in which some step failed (each failure was logged with its exception).</summary>
public sealed class CleanupFailedException(CleanupReport report) : Exception(report.ToString())
{
    public CleanupReport Report { get; } = report;
}
