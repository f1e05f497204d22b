namespace Rebind.Core.Flows;

/// <summary>Every stable error code of the flow catalogue (<see cref="FlowErrors"/>). Clients branch on these.</summary>
public static class FlowErrorCodes
{
    public const string InvalidCode = "invalid_code";
    public const string CodeExpired = "code_expired";
    public const string CodeUsed = "code_used";
    public const string TooManyAttempts = "too_many_attempts";
    public const string TooManySends = "too_many_sends";
    public const string ResendCooldown = "resend_cooldown";
    public const string FlowExpired = "flow_expired";
    public const string FlowCancelled = "flow_cancelled";
    public const string FlowCompleted = "flow_completed";
    public const string FlowFailed = "flow_failed";
    public const string FlowNotFound = "flow_not_found";
    public const string InvalidState = "invalid_state";
    public const string InvalidPhone = "invalid_phone";
    public const string PhoneCannotReceiveSms = "phone_cannot_receive_sms";
    public const string PhoneRegionNotSupported = "phone_region_not_supported";
    public const string SmsBudgetExhausted = "sms_budget_exhausted";
    public const string InvalidEmail = "invalid_email";
    public const string WeakPassword = "weak_password";
    public const string PhoneAlreadyBound = "phone_already_bound";
    public const string EmailAlreadyBound = "email_already_bound";
    public const string RateLimited = "rate_limited";
    public const string Forbidden = "forbidden";
    public const string ReauthenticationRequired = "reauthentication_required";
    public const string AccountChanged = "account_changed";
    public const string AccountHasPhone = "account_has_phone";
    public const string AccountHasNoPhone = "account_has_no_phone";
    public const string AccountHasEmail = "account_has_email";
    public const string AccountHasNoEmail = "account_has_no_email";
    public const string PhoneUnchanged = "phone_unchanged";
    public const string EmailUnchanged = "email_unchanged";
    public const string LastRecoveryChannel = "last_recovery_channel";
    public const string SecurityAnswersIncorrect = "security_answers_incorrect";
    public const string InvalidCancelCode = "invalid_cancel_code";
    public const string InvalidReportCode = "invalid_report_code";
    public const string PasswordSameAsCurrent = "password_same_as_current";
    public const string RecoveryRequiresSupport = "recovery_requires_support";

    public static IReadOnlyList<string> All { get; } =
    [
        InvalidCode, CodeExpired, CodeUsed, TooManyAttempts, TooManySends, ResendCooldown, FlowExpired,
        FlowCancelled, FlowCompleted, FlowFailed, FlowNotFound, InvalidState, InvalidPhone, PhoneCannotReceiveSms, PhoneRegionNotSupported, SmsBudgetExhausted, InvalidEmail,
        WeakPassword, PhoneAlreadyBound, EmailAlreadyBound, RateLimited, Forbidden, ReauthenticationRequired,
        AccountChanged, AccountHasPhone, AccountHasNoPhone, AccountHasEmail, AccountHasNoEmail, PhoneUnchanged,
        EmailUnchanged, LastRecoveryChannel, SecurityAnswersIncorrect, InvalidCancelCode, InvalidReportCode, PasswordSameAsCurrent,
        RecoveryRequiresSupport,
    ];
}
