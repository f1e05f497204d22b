namespace Rebind.Core.Flows.SignUp;

/// <summary>States of <c>signup_phone</c> (plus the shared terminal states in <see cref="FlowStates"/>).</summary>
public static class SignUpStates
{
    public const string AwaitingCode = "awaiting_code";
    public const string AwaitingPassword = "awaiting_password";

    /// <summary>Waiting for the <see cref="CreateAccount"/> effect's outcome; exempt from expiry.</summary>
    public const string CreatingAccount = "creating_account";
}
