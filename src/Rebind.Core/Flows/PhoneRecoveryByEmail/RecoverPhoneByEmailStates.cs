namespace Rebind.Core.Flows.PhoneRecoveryByEmail;

/// <summary>States of <c>recover_phone_by_email</c> (plus the shared terminal states in <see cref="FlowStates"/>).</summary>
public static class RecoverPhoneByEmailStates
{
    /// <summary>Waiting for the code sent to the account's email (or pretending to).</summary>
    public const string AwaitingEmailCode = "awaiting_email_code";

    /// <summary>Email confirmed; waiting for the new number.</summary>
    public const string AwaitingNewPhone = "awaiting_new_phone";

    /// <summary>Waiting for the code sent to the new phone.</summary>
    public const string AwaitingNewPhoneCode = "awaiting_new_phone_code";

    /// <summary>Waiting for the <see cref="ChangePhone"/> effect's outcome; exempt from expiry.</summary>
    public const string ApplyingChange = AccountChangeFlow.ApplyingChange;
}
