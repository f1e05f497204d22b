namespace Rebind.Core.Flows.PhoneChange;

/// <summary>States of <c>change_phone</c> (plus the shared terminal states in <see cref="FlowStates"/>).</summary>
public static class ChangePhoneStates
{
    /// <summary>Waiting for the code sent to the current (old) phone.</summary>
    public const string AwaitingOldPhoneCode = "awaiting_old_phone_code";

    /// <summary>Old phone confirmed; waiting for the new number.</summary>
    public const string AwaitingNewPhone = "awaiting_new_phone";

    /// <summary>Waiting for the code sent to the new phone.</summary>
    public const string AwaitingNewPhoneCode = "awaiting_new_phone_code";

    /// <summary>Waiting for the <see cref="ChangePhone"/> effect's outcome; exempt from expiry.</summary>
    public const string ApplyingChange = AccountChangeFlow.ApplyingChange;
}
