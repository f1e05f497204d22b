namespace Rebind.Core.Flows.EmailBinding;

/// <summary>States of <c>bind_email</c> (plus the shared terminal states in <see cref="FlowStates"/>).</summary>
public static class BindEmailStates
{
    /// <summary>Waiting for the code sent to the new email.</summary>
    public const string AwaitingCode = "awaiting_code";

    /// <summary>Waiting for the <see cref="BindEmail"/> effect's outcome; exempt from expiry.</summary>
    public const string ApplyingChange = AccountChangeFlow.ApplyingChange;
}
