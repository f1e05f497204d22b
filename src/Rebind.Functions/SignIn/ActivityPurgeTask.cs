using Rebind.Azure.Stores;
using Rebind.Functions.Hosting;

namespace Rebind.Functions.SignIn;

/// <summary>Cleanup step: activity entries older than <c>History:RetentionDays</c>.</summary>
public sealed class ActivityPurgeTask(TableActivityLog log) : ICleanupTask
{
    public const int MaxAccountsPerRun = 500;

    public string Name => "activity_purged";

    public Task<int> RunAsync(CancellationToken cancellationToken) => log.PurgeAsync(MaxAccountsPerRun, cancellationToken);
}
