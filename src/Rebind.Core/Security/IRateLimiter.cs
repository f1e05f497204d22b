namespace Rebind.Core.Security;

/// <summary>
/// Counts events per rule and key in durable storage (implemented by the integrator, e.g. on Table Storage with
/// ETags). Use <see cref="RateLimits.Check"/> for the decision so every store decides alike.
/// </summary>
public interface IRateLimiter
{
    /// <summary>
    /// Counts one event for <paramref name="key"/> under <paramref name="rule"/> if it fits; returns null when
    /// counted, or the <c>rate_limited</c> error (nothing counted) when the window is full.
    /// </summary>
    Task<Error?> TryAcquireAsync(RateLimitRule rule, string key, DateTimeOffset now, CancellationToken cancellationToken = default);
}
