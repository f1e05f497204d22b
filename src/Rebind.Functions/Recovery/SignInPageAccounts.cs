using Rebind.Core;
using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using Rebind.Core.Identity;
using Rebind.Core.Messaging;
using Rebind.Functions.Http;

namespace Rebind.Functions.Recovery;

/// <summary>
/// Resolves a phone or email typed on the sign-in page to its account, with the same storage reads whether or
/// not one exists (an index read, then an account read: of a random id when the index has no row).
/// </summary>
public sealed class SignInPageAccounts(IAccountStore accounts, TimeProvider time)
{
    /// <summary>An email when it contains <c>@</c>, else a phone (E.164, or national with <paramref name="region"/>).</summary>
    public static Result<ContactIdentifier> Parse(string? identifier, string? region)
    {
        if (RequestFields.First(RequestFields.Required(identifier, "identifier"), RequestFields.Region(region)) is { } malformed)
        {
            return malformed;
        }

        if (identifier!.Contains('@', StringComparison.Ordinal))
        {
            return EmailAddress.TryParse(identifier, out var email, out var invalidEmail)
                ? ContactIdentifier.Of(email)
                : invalidEmail.With("field", "identifier");
        }

        return PhoneNumber.TryParse(identifier, region, out var phone, out var invalidPhone)
            ? ContactIdentifier.Of(phone)
            : invalidPhone.With("field", "identifier");
    }

    /// <summary>
    /// The account <paramref name="identifier"/> is bound to, as recovery sees it (<see cref="Account.ForRecovery"/>:
    /// contacts still held after a recent bind left out), or null, also when the identifier itself is such a contact.
    /// </summary>
    public async Task<Account?> ResolveAsync(ContactIdentifier identifier, CancellationToken cancellationToken)
    {
        var kind = identifier.Channel == Channel.Sms ? IdentifierKind.Phone : IdentifierKind.Email;
        var accountId = await accounts.FindAccountIdAsync(kind, identifier.Value, cancellationToken);
        var account = await accounts.GetAsync(accountId ?? Guid.NewGuid().ToString("N"), cancellationToken);
        if (accountId is null || account is null)
        {
            return null;
        }
        var usable = account.Value.ForRecovery(time.GetUtcNow());
        return usable.Contact(kind) is null ? null : usable;
    }
}
