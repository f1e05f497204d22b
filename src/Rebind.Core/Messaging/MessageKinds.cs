namespace Rebind.Core.Messaging;

/// <summary>
/// The kinds of message the flows send; each is a template in <see cref="MessageTemplates"/>.
/// The comment on each names the values the template needs.
/// </summary>
public static class MessageKinds
{
    /// <summary>SMS code for signing up. Values: <c>code</c>, <c>minutes</c>.</summary>
    public const string SignupCode = "signup_code";

    /// <summary>SMS code to a phone being bound or changed to. Values: <c>code</c>, <c>minutes</c>.</summary>
    public const string BindPhoneCode = "bind_phone_code";

    /// <summary>SMS code to the currently bound phone, confirming a change or unbind. Values: <c>code</c>, <c>minutes</c>.</summary>
    public const string VerifyOldPhoneCode = "verify_old_phone_code";

    /// <summary>Email code for binding/changing email or verifying the account by email. Values: <c>code</c>, <c>minutes</c>.</summary>
    public const string EmailCode = "email_code";

    /// <summary>Email code when the old phone is lost. Values: <c>code</c>, <c>minutes</c>.</summary>
    public const string RecoveryEmailCode = "recovery_email_code";

    /// <summary>Password reset code, by SMS or email. Values: <c>code</c>, <c>minutes</c>.</summary>
    public const string PasswordResetCode = "password_reset_code";

    /// <summary>SMS to the old number: it was unbound. Values: <c>maskedNewPhone</c>, <c>time</c>.</summary>
    public const string PhoneUnboundNotice = "phone_unbound_notice";

    /// <summary>Email notice of a phone change. Values: <c>maskedNewPhone</c>, <c>time</c>.</summary>
    public const string PhoneChangedNotice = "phone_changed_notice";

    /// <summary>Notice to the old address that the email changed. Values: <c>maskedNewEmail</c>, <c>time</c>.</summary>
    public const string EmailChangedNotice = "email_changed_notice";

    /// <summary>Notice on the other channel after a password reset. Values: <c>time</c>.</summary>
    public const string PasswordResetNotice = "password_reset_notice";

    /// <summary>
    /// Cool-off notice for a pending security change, with a way to cancel it.
    /// Values: <c>maskedNewPhone</c>, <c>time</c>, <c>cancelCode</c>, optional <c>cancelUrl</c>.
    /// </summary>
    public const string SecurityChangePendingNotice = "security_change_pending_notice";

    /// <summary>Generic security notice. Values: <c>event</c>, <c>time</c>.</summary>
    public const string SecurityNotice = "security_notice";

    /// <summary>
    /// Code by SMS or email confirming a change of another detail (e.g. the email, verified through the bound phone
    /// or the old address). Values: <c>code</c>, <c>minutes</c>.
    /// </summary>
    public const string AccountChangeCode = "account_change_code";

    /// <summary>Notice (by email) that the phone was removed from the account. Values: <c>maskedPhone</c>, <c>time</c>.</summary>
    public const string PhoneRemovedNotice = "phone_removed_notice";

    /// <summary>
    /// Notice to the existing contacts that a phone or email was added, held from recovery until <c>heldUntil</c>, with
    /// the "this wasn't me" link. Values: <c>maskedContact</c>, <c>time</c>, <c>heldUntil</c>, optional <c>reportUrl</c>.
    /// </summary>
    public const string ContactAddedNotice = "contact_added_notice";

    /// <summary>Code (SMS to the bound phone, else email) before a new device gets a session. Values: <c>code</c>, <c>minutes</c>.</summary>
    public const string DeviceSignInCode = "device_sign_in_code";

    /// <summary>
    /// Alert to the bound contacts after a sign-in from a new device, with the "this wasn't me" link.
    /// Values: <c>time</c>, <c>device</c>, <c>place</c>, optional <c>reportUrl</c>.
    /// </summary>
    public const string SignInAlertNotice = "sign_in_alert_notice";

    /// <summary>Every kind, for tests and validation.</summary>
    /// <summary>To the person who filed a support case: support asks for more information.</summary>
    public const string SupportCaseInfoRequested = "support_case_info_requested";

    /// <summary>To the person who filed a support case: approved, applies at the end of the cool-off (<c>until</c>).</summary>
    public const string SupportCaseApproved = "support_case_approved";

    /// <summary>To the person who filed a support case: rejected, with the agent's <c>reason</c>.</summary>
    public const string SupportCaseRejected = "support_case_rejected";

    /// <summary>To the person who filed a support case: no decision within the case's lifetime.</summary>
    public const string SupportCaseExpired = "support_case_expired";

    /// <summary>To the person who filed a support case: the account was recovered (new phone bound).</summary>
    public const string SupportCaseCompleted = "support_case_completed";

    public static IReadOnlyList<string> All { get; } =
    [
        ContactAddedNotice, SignupCode, BindPhoneCode, VerifyOldPhoneCode, EmailCode, RecoveryEmailCode, PasswordResetCode,
        PhoneUnboundNotice, PhoneChangedNotice, EmailChangedNotice, PasswordResetNotice,
        SecurityChangePendingNotice, SecurityNotice, PhoneRemovedNotice, AccountChangeCode, DeviceSignInCode, SignInAlertNotice,
        SupportCaseInfoRequested, SupportCaseApproved, SupportCaseRejected, SupportCaseExpired, SupportCaseCompleted,
    ];

    /// <summary>Kinds whose message carries a one-time code.</summary>
    public static IReadOnlyList<string> Codes { get; } =
        [SignupCode, BindPhoneCode, VerifyOldPhoneCode, EmailCode, RecoveryEmailCode, PasswordResetCode, AccountChangeCode, DeviceSignInCode];
}
