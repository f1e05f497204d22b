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

    /// <summary>
    /// A right password from a device the account does not know gets a code to the bound phone (else the email) and a
    /// session only after it (<c>verify_device</c>). False: it gets the session at once (and the device is remembered).
    /// </summary>
    public bool VerifyNewDevices { get; set; } = true;

    /// <summary>How long the "this wasn't me" code of a sign-in alert can be used.</summary>
    public int ReportValidHours { get; set; } = 168;

    /// <summary>
    /// The alert's "this wasn't me" link, with <c>{code}</c>. Unset: <c>Recovery__ReportUrlFormat</c> (the app's one
    /// "this wasn't me" page) with <c>kind=sign_in</c> added to its query, so the page knows to call <c>/api/auth/not-me</c>.
    /// </summary>
    public string? ReportUrlFormat { get; set; }
}

/// <summary>
/// Settings under <c>Holds</c>: when security changes (phone, email, password, security questions) are held after
/// signs of a takeover. Each rule is off at 0. A held change answers <c>403 security_change_held</c> with the reason
/// and the time it opens again; a password reset by code (the old channel) stays open.
/// </summary>
public sealed class HoldOptions
{
    /// <summary>After the owner said a sign-in "wasn't me": this many hours.</summary>
    public int AfterSignInReportHours { get; set; } = 72;

    /// <summary>This many wrong codes in an hour on the account's flows hold changes until the count in the last hour drops below it.</summary>
    public int FailedCodesPerHour { get; set; } = 10;

    /// <summary>A session on a device first seen this recently (and later than the account's first day) cannot make them.</summary>
    public int NewDeviceHours { get; set; } = 24;
}
