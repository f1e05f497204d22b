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
}
