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
    /// <summary>
    /// Consecutive failures before delays start: per account and client (a known device's, and re-authentication's,
    /// count on the account's own counter; any other client's on its own, keyed by IP).
    /// </summary>
    public int FreeFailures { get; set; } = 5;

    /// <summary>First delay; it doubles with each further failure.</summary>
    public int BaseDelaySeconds { get; set; } = 30;

    public int MaxDelaySeconds { get; set; } = 900;

    /// <summary>
    /// Consecutive failures of the account's own clients (known devices, re-authentication) after which only a password
    /// reset unlocks the account (NIST: at most 100). Other clients' failures never lock it.
    /// </summary>
    public int FailureCeiling { get; set; } = 100;

    /// <summary>
    /// Failures of all clients other than the account's known devices together before each of them waits as well (the
    /// same delays, from the last such failure): a ceiling on guesses spread over many IPs that never slows known devices.
    /// </summary>
    public int AccountFreeFailures { get; set; } = 50;

    /// <summary>Failures by clients other than its known devices after which the owner gets a security notice.</summary>
    public int NoticeAfterFailures { get; set; } = 10;

    /// <summary>At most one such notice per account in this many hours.</summary>
    public int NoticeIntervalHours { get; set; } = 24;

    /// <summary>Sign-in and re-authentication attempts per client IP per hour.</summary>
    public int PerIpPerHour { get; set; } = 300;
}
