using Rebind.Core.Accounts;

namespace Rebind.Core.Flows;

/// <summary>
/// What a flow needs to know of an account at start, read by the integrator (the signed-in caller's account, or
/// the account an identifier from the sign-in page resolved to).
/// </summary>
/// <param name="StampRef"><see cref="Account.StampRef"/> of the account's security stamp when read.</param>
public sealed record AccountSnapshot(string AccountId, string? Phone, string? Email, string? StampRef = null)
{
    public static AccountSnapshot Of(Account account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new AccountSnapshot(account.Id, account.Phone, account.Email, Account.StampRef(account.SecurityStamp));
    }

    public override string ToString() =>
        $"AccountSnapshot {{ AccountId = {AccountId}, Phone = {Messaging.Mask.Phone(Phone)}, Email = {Messaging.Mask.Email(Email)} }}";
}
