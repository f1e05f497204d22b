namespace Rebind.Core.Flows.SignUp;

/// <summary>Keys of <see cref="Flow.Data"/> for <c>signup_phone</c>.</summary>
public static class SignUpData
{
    /// <summary>
    /// Id of the account being created (fixed before the effect, so retries are idempotent). Not
    /// <see cref="FlowDataKeys.AccountId"/>: that names an existing account a flow acts on, this one may never exist.
    /// </summary>
    public const string AccountId = "new_account_id";

    /// <summary>PBKDF2 hash awaiting the account; removed when the flow finishes.</summary>
    public const string PasswordHash = "password_hash";
}
