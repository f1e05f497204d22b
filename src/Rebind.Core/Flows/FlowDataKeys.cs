namespace Rebind.Core.Flows;

/// <summary>
/// Keys of <see cref="Flow.Data"/> shared by the account-change kinds. <see cref="Flow.Phone"/> and
/// <see cref="Flow.Email"/> hold the account's phone and email as they were at start (the "old" contacts that get
/// notices); new identifiers wait here until applied.
/// </summary>
public static class FlowDataKeys
{
    /// <summary>The account a sign-in-page flow (recovery, reset) acts on; absent on the pretend path.</summary>
    public const string AccountId = "account_id";

    /// <summary>
    /// <see cref="Accounts.Account.StampRef"/> of the account when a sign-in-page flow started: a security change since
    /// (new stamp) makes the flow's change refuse to apply.
    /// </summary>
    public const string StampRef = "stamp_ref";

    /// <summary>The phone being bound (E.164): look it up in the phone index before <see cref="SubmitCode"/>.</summary>
    public const string NewPhone = "new_phone";

    /// <summary>The email being bound: look it up in the email index before <see cref="SubmitCode"/>.</summary>
    public const string NewEmail = "new_email";

    /// <summary>The caller's session, kept alive when the change rotates the security stamp.</summary>
    public const string KeepSessionId = "keep_session_id";

    /// <summary>The new password's hash, until the reset is applied.</summary>
    public const string PasswordHash = "password_hash";

    /// <summary>Wrong security-answer attempts so far.</summary>
    public const string WrongAnswers = "wrong_answers";

    /// <summary>SHA-256 of the cool-off cancel code.</summary>
    public const string CancelCodeHash = "cancel_code_hash";

    /// <summary>The security questions shown to the user (JSON list of id and text): the account's, or decoys.</summary>
    public const string Questions = "questions";

    /// <summary>SHA-256 of the device id a new-device sign-in verifies (the id itself is never stored).</summary>
    public const string DeviceHash = "device_hash";

    /// <summary>The name the device gave at sign-in, if any (shown in the alert and the device list).</summary>
    public const string DeviceName = "device_name";

    /// <summary>Where the sign-in came from, as the alert shows it (IP address, country when known).</summary>
    public const string Place = "place";

    /// <summary>The id of the session a verified new-device sign-in gets (an id, never the token).</summary>
    public const string SessionId = "session_id";

    /// <summary>
    /// Present when the flow started only after the account's password was proven (new-device sign-in): its steps are
    /// the account's history from the first one, as no identifier is being probed.
    /// </summary>
    public const string PasswordProven = "password_proven";
}
