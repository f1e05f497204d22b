using Microsoft.DurableTask.Client;

namespace Rebind.Functions.Hosting;

/// <summary>
/// Ready when the task hub answers through the sidecar (a look-up of an instance that does not exist): proves the
/// sidecar listens and the backend reaches its storage. Answers within <see cref="TableStorageReadinessProbe.Timeout"/>.
/// </summary>
internal sealed class DurableReadinessProbe(DurableTaskClient client, ILogger<DurableReadinessProbe> logger) : IReadinessProbe
{
    private const string ProbeInstanceId = "rebind-readiness-probe";

    public async Task<string?> CheckAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TableStorageReadinessProbe.Timeout);
        try
        {
            await client.GetInstanceAsync(ProbeInstanceId, getInputsAndOutputs: false, timeout.Token);
            return null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("The Durable task hub is not reachable: {Reason}", e.GetType().Name);
            return "The Durable task hub is not reachable.";
        }
    }
}
