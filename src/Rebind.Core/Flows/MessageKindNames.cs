namespace Rebind.Core.Flows;

/// <summary>
/// Template names used by flows. They match <c>Rebind.Core.Messaging.MessageKinds</c> (kept as literals here so
/// the flows do not depend on the templates' code). Code messages take the values <c>code</c> and <c>minutes</c>.
/// </summary>
internal static class MessageKindNames
{
    public const string SignupCode = "signup_code";
    public const string BindPhoneCode = "bind_phone_code";
    public const string VerifyOldPhoneCode = "verify_old_phone_code";
    public const string EmailCode = "email_code";
    public const string RecoveryEmailCode = "recovery_email_code";
    public const string PasswordResetCode = "password_reset_code";
    public const string PhoneUnboundNotice = "phone_unbound_notice";
    public const string PhoneChangedNotice = "phone_changed_notice";
    public const string EmailChangedNotice = "email_changed_notice";
    public const string PasswordResetNotice = "password_reset_notice";
    public const string SecurityChangePendingNotice = "security_change_pending_notice";
    public const string SecurityNotice = "security_notice";
    public const string PhoneRemovedNotice = "phone_removed_notice";
    public const string AccountChangeCode = "account_change_code";

    public const string CodeValue = "code";
    public const string MinutesValue = "minutes";
    public const string TimeValue = "time";
    public const string MaskedNewPhoneValue = "maskedNewPhone";
    public const string MaskedNewEmailValue = "maskedNewEmail";
    public const string MaskedPhoneValue = "maskedPhone";
    public const string CancelCodeValue = "cancelCode";
    public const string CancelUrlValue = "cancelUrl";
}
