namespace Rebind.Core.Flows.PhoneBinding;

/// <summary>States of <c>bind_phone</c> (plus the shared terminal states in <see cref="FlowStates"/>).</summary>
public static class BindPhoneStates
{
    /// <summary>Waiting for the code sent to the new phone.</summary>
    public const string AwaitingCode = "awaiting_code";

    /// <summary>Waiting for the <see cref="BindPhone"/> effect's outcome; exempt from expiry.</summary>
    public const string ApplyingChange = AccountChangeFlow.ApplyingChange;
}
