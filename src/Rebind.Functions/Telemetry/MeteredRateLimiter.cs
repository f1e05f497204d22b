using Rebind.Core;
using Rebind.Core.Security;

namespace Rebind.Functions.Telemetry;

/// <summary>The app's <see cref="IRateLimiter"/> with every refusal counted by rule (<see cref="FlowMetrics.LimitsHit"/>).</summary>
public sealed class MeteredRateLimiter(IRateLimiter inner, FlowMetrics metrics) : IRateLimiter
{
    public async Task<Error?> TryAcquireAsync(RateLimitRule rule, string key, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var refused = await inner.TryAcquireAsync(rule, key, now, cancellationToken);
        if (refused is not null)
        {
            metrics.LimitHit(rule.Name);
        }
        return refused;
    }
}
