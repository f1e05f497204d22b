using Rebind.Core.Accounts;

namespace Rebind.Core.Flows;

/// <summary>
/// What a flow needs to know of an account at start, read by the integrator (the signed-in caller's account, or
/// the account an identifier from the sign-in page resolved to).
/// </summary>
public sealed record AccountSnapshot(string AccountId, string? Phone, string? Email)
{
    public static AccountSnapshot Of(Account account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new AccountSnapshot(account.Id, account.Phone, account.Email);
    }

    public override string ToString() =>
        $"AccountSnapshot {{ AccountId = {AccountId}, Phone = {Messaging.Mask.Phone(Phone)}, Email = {Messaging.Mask.Email(Email)} }}";
}
