namespace Rebind.Core.Accounts;

/// <summary>
/// Accounts and the identifier index. Uniqueness of phones and emails is the index: a claim is a conditional
/// insert keyed by the normalized identifier, so a race has exactly one winner. Every method is idempotent
/// so a flow can repeat a step after a crash.
/// </summary>
public interface IAccountStore
{
    Task<Versioned<Account>?> GetAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>The account holding the identifier in the index, or null.</summary>
    Task<string?> FindAccountIdAsync(IdentifierKind kind, string value, CancellationToken cancellationToken = default);

    Task<ClaimOutcome> ClaimAsync(IdentifierKind kind, string value, string accountId, CancellationToken cancellationToken = default);

    /// <summary>Deletes the index row if, and only if, <paramref name="accountId"/> holds it.</summary>
    Task ReleaseAsync(IdentifierKind kind, string value, string accountId, CancellationToken cancellationToken = default);

    /// <summary>Creates the account; an existing account with the same id is left as it is (idempotent).</summary>
    Task<Versioned<Account>> CreateAsync(Account account, CancellationToken cancellationToken = default);

    /// <summary>Replaces the account if it is still at <paramref name="version"/>; null when someone else wrote first.</summary>
    Task<Versioned<Account>?> TryReplaceAsync(Account account, string version, CancellationToken cancellationToken = default);
}
