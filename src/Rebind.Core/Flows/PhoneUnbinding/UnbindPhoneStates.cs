namespace Rebind.Core.Flows.PhoneUnbinding;

/// <summary>States of <c>unbind_phone</c> (plus the shared terminal states in <see cref="FlowStates"/>).</summary>
public static class UnbindPhoneStates
{
    /// <summary>Waiting for the code sent to the phone being removed.</summary>
    public const string AwaitingCode = "awaiting_code";

    /// <summary>Waiting for the <see cref="UnbindPhone"/> effect's outcome; exempt from expiry.</summary>
    public const string ApplyingChange = AccountChangeFlow.ApplyingChange;
}
