using Rebind.Core.Flows;

namespace Rebind.Core.Security;

/// <summary>
/// Pure fixed-window decisions. The integrator keeps one counter per (rule, key, window start) — e.g. a Table
/// row keyed by <c>{rule.Name}|{key}</c> / <see cref="WindowStart"/> — and asks here whether one more event fits.
/// </summary>
public static class RateLimits
{
    /// <summary>Start of the window containing <paramref name="now"/>.</summary>
    public static DateTimeOffset WindowStart(RateLimitRule rule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var ticks = now.UtcTicks - (now.UtcTicks % rule.Window.Ticks);
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <summary>
    /// Null when one more event is allowed, given <paramref name="countInWindow"/> events already counted in the
    /// current window; otherwise <c>rate_limited</c> with <c>retryAfterSeconds</c> until the window ends.
    /// </summary>
    public static Error? Check(RateLimitRule rule, long countInWindow, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (countInWindow < rule.Limit)
        {
            return null;
        }

        var end = WindowStart(rule, now) + rule.Window;
        return FlowErrors.RateLimited(FlowErrors.CeilSeconds(end - now), rule.Name);
    }

    /// <summary>The first refusal among several rules (e.g. per hour and per day), or null when all allow.</summary>
    public static Error? CheckAll(IEnumerable<(RateLimitRule Rule, long CountInWindow)> counts, DateTimeOffset now)
    {
        Error? worst = null;
        foreach (var (rule, count) in counts)
        {
            var error = Check(rule, count, now);
            if (error is not null && (worst is null || RetryAfter(error) > RetryAfter(worst)))
            {
                worst = error;
            }
        }

        return worst;
    }

    private static int RetryAfter(Error error) => error.Details.TryGetValue("retryAfterSeconds", out var v) && v is int s ? s : 0;
}
