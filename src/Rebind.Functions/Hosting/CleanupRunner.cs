using Rebind.Functions.Flows;

namespace Rebind.Functions.Hosting;

/// <summary>
/// The scheduled cleanup: one pass over what is due. Called by the Functions timer (POST /Cleanup) in
/// Azure and by <see cref="CleanupScheduler"/> when the app runs standalone.
/// </summary>
public sealed class CleanupRunner(FlowCleanup cleanup)
{
    public Task<CleanupReport> RunAsync(CancellationToken cancellationToken = default) => cleanup.RunAsync(cancellationToken);
}
