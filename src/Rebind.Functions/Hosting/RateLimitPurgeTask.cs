using Rebind.Azure.Stores;

namespace Rebind.Functions.Hosting;

/// <summary>Cleanup step: deletes rate-limit counters of windows that are over (found by their partitions' hour).</summary>
public sealed class RateLimitPurgeTask(TableRateLimiter limiter, TimeProvider time) : ICleanupTask
{
    public string Name => "rate_limit_counters";

    public Task<int> RunAsync(CancellationToken cancellationToken) => limiter.PurgeExpiredAsync(time.GetUtcNow(), 1000, cancellationToken);
}
