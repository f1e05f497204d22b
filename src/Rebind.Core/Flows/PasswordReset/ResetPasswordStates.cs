namespace Rebind.Core.Flows.PasswordReset;

/// <summary>States of <c>reset_password</c> (plus the shared terminal states in <see cref="FlowStates"/>).</summary>
public static class ResetPasswordStates
{
    /// <summary>Waiting for the code sent to the identifier (or pretending to).</summary>
    public const string AwaitingCode = "awaiting_code";

    /// <summary>Code confirmed; waiting for the new password.</summary>
    public const string AwaitingPassword = "awaiting_password";

    /// <summary>Waiting for the <see cref="ResetPassword"/> effect's outcome; exempt from expiry.</summary>
    public const string ApplyingChange = AccountChangeFlow.ApplyingChange;
}
