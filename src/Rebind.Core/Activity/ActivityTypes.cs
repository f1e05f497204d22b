namespace Rebind.Core.Activity;

/// <summary>Event types of the activity history. Stable strings: clients and support tools read them.</summary>
public static class ActivityTypes
{
    public const string SignIn = "sign_in";
    public const string SignOut = "sign_out";
    public const string Reauthentication = "reauthentication";
    public const string SessionEnded = "session_ended";
    public const string OtherSessionsEnded = "other_sessions_ended";
    public const string SecurityStampRotated = "security_stamp_rotated";
    public const string SecurityQuestionsChanged = "security_questions_changed";
    public const string SecurityAnswers = "security_answers";
    public const string PhoneBound = "phone_bound";
    public const string PhoneChanged = "phone_changed";
    public const string PhoneUnbound = "phone_unbound";
    public const string EmailBound = "email_bound";
    public const string EmailChanged = "email_changed";
    public const string PasswordChanged = "password_changed";
    public const string PasswordReset = "password_reset";

    /// <summary>The owner removed a device from the account's known devices (<c>DELETE /api/me/devices/{id}</c>).</summary>
    public const string DeviceForgotten = "device_forgotten";

    /// <summary>The owner used the "this wasn't me" link of a newly added contact; detail says what became of it.</summary>
    public const string ContactReported = "contact_reported";

    /// <summary>A new device passed its sign-in code and is now known to the account.</summary>
    public const string DeviceVerified = "device_verified";

    /// <summary>The owner used the "this wasn't me" code of a sign-in alert: that session ended, a password reset is required.</summary>
    public const string SignInReported = "sign_in_reported";
}

/// <summary>Outcomes of an activity event.</summary>
public static class ActivityOutcomes
{
    public const string Success = "success";
    public const string Failure = "failure";

    /// <summary>Refused before the password was checked (growing delay).</summary>
    public const string Throttled = "throttled";

    /// <summary>Correct password, but the account is over the failure ceiling and needs a password reset.</summary>
    public const string Locked = "locked";
}
