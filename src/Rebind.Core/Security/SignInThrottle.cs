namespace Rebind.Core.Security;

/// <summary>
/// Per-account growing delays after failed sign-ins (NIST SP 800-63B §5.2.2): the first
/// <paramref name="FreeFailures"/> failures cost nothing; after that each attempt must wait
/// <paramref name="BaseDelay"/> × 2^(failures − FreeFailures) since the last failure, capped at
/// <paramref name="MaxDelay"/>. At <paramref name="Ceiling"/> consecutive failures the account needs a password reset.
/// </summary>
public sealed record SignInThrottle(int FreeFailures, TimeSpan BaseDelay, TimeSpan MaxDelay, int Ceiling)
{
    public static SignInThrottle Default { get; } = new(5, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(15), 100);

    /// <summary>The wait required after <paramref name="failures"/> consecutive failures (zero while free).</summary>
    public TimeSpan DelayAfter(int failures)
    {
        if (failures < FreeFailures)
        {
            return TimeSpan.Zero;
        }

        var doublings = Math.Min(failures - FreeFailures, 30);
        var ticks = Math.Min(BaseDelay.Ticks * (1L << doublings), MaxDelay.Ticks);
        return TimeSpan.FromTicks(ticks);
    }

    /// <summary>Whole seconds still to wait before another attempt; 0 when one is allowed now.</summary>
    public int RetryAfterSeconds(int failures, DateTimeOffset? lastFailure, DateTimeOffset now)
    {
        var delay = DelayAfter(failures);
        if (delay == TimeSpan.Zero || lastFailure is null)
        {
            return 0;
        }

        var wait = lastFailure.Value + delay - now;
        return wait <= TimeSpan.Zero ? 0 : Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
    }

    public bool IsAtCeiling(int failures) => failures >= Ceiling;
}
