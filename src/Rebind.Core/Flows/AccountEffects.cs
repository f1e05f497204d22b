namespace Rebind.Core.Flows;

// Account effects. Every handler is idempotent (re-running it after a crash or a Resume finishes the same change,
// never a second one) and reports back with ChangeApplied, ClaimFailed (lost the index row) or AccountChanged
// (the account no longer matches: nothing applied, claims released). FlowId keys the history entry.

/// <summary>
/// Bind <paramref name="Phone"/> to an account that has none: claim the phone index row, then set
/// <c>Account.Phone</c> (ETag). Already bound to this phone counts as done. The account has another phone by
/// now → release the claim, <see cref="AccountChanged"/>.
/// </summary>
public sealed record BindPhone(string AccountId, string Phone, string FlowId) : FlowEffect;

/// <summary>
/// Replace <paramref name="OldPhone"/> (null: none was bound) by <paramref name="NewPhone"/>: claim the new
/// phone's index row; if the account's phone is already <paramref name="NewPhone"/> skip to the clean-up, else if
/// it is not <paramref name="OldPhone"/> release the claim and report <see cref="AccountChanged"/>; write the
/// account with the new phone and a new security stamp (ETag); release the old phone's row (only if this account
/// holds it); end every session except <paramref name="KeepSessionId"/> (null: end all); record history.
/// </summary>
/// <param name="Guard">For sign-in-page recoveries: what must still hold when the change applies.</param>
public sealed record ChangePhone(string AccountId, string? OldPhone, string NewPhone, string? KeepSessionId, string FlowId, AccountGuard? Guard = null) : FlowEffect;

/// <summary>
/// What a change started from the sign-in page requires of the account when it applies, so that the real owner's
/// security change in the meantime stops it: the security stamp is still the one seen at start
/// (<paramref name="StampRef"/>, null for flows stored before guards existed) and the contact the requester proved
/// (<paramref name="ProvenPhone"/> or <paramref name="ProvenEmail"/>; neither for security answers) is still bound.
/// </summary>
public sealed record AccountGuard(string? StampRef, string? ProvenPhone = null, string? ProvenEmail = null)
{
    public bool Holds(Accounts.Account account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return (StampRef is null || Accounts.Account.StampRef(account.SecurityStamp) == StampRef)
            && (ProvenPhone is null || account.Phone == ProvenPhone)
            && (ProvenEmail is null || account.Email == ProvenEmail);
    }

    public override string ToString() => $"AccountGuard {{ StampRef = {StampRef}, ProvenPhone = {Messaging.Mask.Phone(ProvenPhone)}, ProvenEmail = {Messaging.Mask.Email(ProvenEmail)} }}";
}

/// <summary>
/// Remove <paramref name="Phone"/>: the account must still have it and still have an email (else
/// <see cref="AccountChanged"/>); clear <c>Account.Phone</c>, rotate the stamp, release the index row, end other
/// sessions (keep <paramref name="KeepSessionId"/>), record history. No phone any more counts as done.
/// </summary>
public sealed record UnbindPhone(string AccountId, string Phone, string? KeepSessionId, string FlowId) : FlowEffect;

/// <summary>Like <see cref="BindPhone"/>, for the email index and <c>Account.Email</c>.</summary>
public sealed record BindEmail(string AccountId, string Email, string FlowId) : FlowEffect;

/// <summary>Like <see cref="ChangePhone"/>, for the email index and <c>Account.Email</c>.</summary>
public sealed record ChangeEmail(string AccountId, string OldEmail, string NewEmail, string? KeepSessionId, string FlowId) : FlowEffect;

/// <summary>
/// Set the password hash (skip when it is already <paramref name="PasswordHash"/>), <c>PasswordChangedAt</c>,
/// a new security stamp, clear the failed sign-in counter (ETag), end every session, record history.
/// Reports <see cref="ChangeApplied"/> (or <see cref="AccountChanged"/> if the account is gone).
/// </summary>
public sealed record ResetPassword(string AccountId, string PasswordHash, string FlowId, AccountGuard? Guard = null) : FlowEffect
{
    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("AccountId = ").Append(AccountId).Append(", PasswordHash = ***, FlowId = ").Append(FlowId).Append(", Guard = ").Append(Guard);
        return true;
    }
}

/// <summary>
/// A new device passed its sign-in code: remember <paramref name="DeviceHash"/> (when the app sent a device id) among the
/// account's known devices, named <paramref name="DeviceName"/>, if <paramref name="Guard"/> still holds (else
/// <see cref="AccountChanged"/>); issue a "this wasn't me" code for session <paramref name="SessionId"/> and report it
/// with <see cref="ChangeApplied"/>; record history.
/// </summary>
public sealed record TrustDevice(string AccountId, string? DeviceHash, string? DeviceName, string SessionId, string FlowId, AccountGuard Guard) : FlowEffect;
