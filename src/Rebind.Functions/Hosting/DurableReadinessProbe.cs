using Microsoft.DurableTask.Client;

namespace Rebind.Functions.Hosting;

/// <summary>
/// Ready when the task hub answers through the sidecar (a look-up of an instance that does not exist): proves the
/// sidecar listens and the backend reaches its storage. Gives up after <see cref="Timeout"/>.
/// </summary>
internal sealed class DurableReadinessProbe(DurableTaskClient client, ILogger<DurableReadinessProbe> logger) : IReadinessProbe
{
    private const string ProbeInstanceId = "rebind-readiness-probe";

    /// <summary>
    /// As long as one storage call on a request path may wait (<c>StorageBudget.Request</c>): with storage away, the
    /// backend's client goes on retrying inside the look-up, and the readiness answer must come within 3 s like every
    /// other answer (at the table probe's 3 s it took 3.0 s in all).
    /// </summary>
    public static readonly TimeSpan Timeout = global::Rebind.Azure.Stores.StorageBudget.Request.NetworkTimeout;

    public async Task<string?> CheckAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
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
