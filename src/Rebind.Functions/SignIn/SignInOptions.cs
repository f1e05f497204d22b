namespace Rebind.Functions.SignIn;

/// <summary>Settings under <c>Sessions</c>.</summary>
public sealed class SessionOptions
{
    /// <summary>A session unused this long is dead.</summary>
    public int IdleDays { get; set; } = 30;

    /// <summary>A session is dead this long after sign-in, however much it is used.</summary>
    public int AbsoluteDays { get; set; } = 90;

    /// <summary>Security changes need a password proof at most this old.</summary>
    public int ReauthenticationMinutes { get; set; } = 15;
}

/// <summary>Settings under <c>History</c>.</summary>
public sealed class HistoryOptions
{
    /// <summary>Activity entries older than this are purged by the cleanup.</summary>
    public int RetentionDays { get; set; } = 180;
}

/// <summary>Settings under <c>SignIn</c>.</summary>
public sealed class SignInOptions
{
    /// <summary>Consecutive failures per account before delays start.</summary>
    public int FreeFailures { get; set; } = 5;

    /// <summary>First delay; it doubles with each further failure.</summary>
    public int BaseDelaySeconds { get; set; } = 30;

    public int MaxDelaySeconds { get; set; } = 900;

    /// <summary>Consecutive failures after which only a password reset unlocks the account (NIST: at most 100).</summary>
    public int FailureCeiling { get; set; } = 100;

    /// <summary>Sign-in and re-authentication attempts per client IP per hour.</summary>
    public int PerIpPerHour { get; set; } = 300;
}
