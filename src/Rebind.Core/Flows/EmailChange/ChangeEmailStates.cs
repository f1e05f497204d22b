namespace Rebind.Core.Flows.EmailChange;

/// <summary>States of <c>change_email</c> (plus the shared terminal states in <see cref="FlowStates"/>).</summary>
public static class ChangeEmailStates
{
    /// <summary>Waiting for the code sent to the old email or the bound phone.</summary>
    public const string AwaitingVerificationCode = "awaiting_verification_code";

    /// <summary>Verified; waiting for the new address.</summary>
    public const string AwaitingNewEmail = "awaiting_new_email";

    /// <summary>Waiting for the code sent to the new address.</summary>
    public const string AwaitingNewEmailCode = "awaiting_new_email_code";

    /// <summary>Waiting for the <see cref="ChangeEmail"/> effect's outcome; exempt from expiry.</summary>
    public const string ApplyingChange = AccountChangeFlow.ApplyingChange;
}
