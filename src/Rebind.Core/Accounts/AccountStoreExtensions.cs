namespace Rebind.Core.Accounts;

public static class AccountStoreExtensions
{
    /// <summary>
    /// Read-modify-write with the read's version: <paramref name="change"/> gets the current account and returns
    /// what to write, or null to write nothing; a lost race reads again and asks again. Returns what is stored
    /// afterwards, or null when there is no such account.
    /// </summary>
    public static async Task<Versioned<Account>?> UpdateAsync(
        this IAccountStore store, string accountId, Func<Account, Account?> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var current = await store.GetAsync(accountId, cancellationToken).ConfigureAwait(false);
        return current is null ? null : await store.UpdateAsync(current, change, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As above, starting from an account already read (its version is tried first).</summary>
    public static async Task<Versioned<Account>?> UpdateAsync(
        this IAccountStore store, Versioned<Account> start, Func<Account, Account?> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(change);
        Versioned<Account>? current = start;
        while (current is not null)
        {
            if (change(current.Value) is not { } updated)
            {
                return current;
            }

            if (await store.TryReplaceAsync(updated, current.Version, cancellationToken).ConfigureAwait(false) is { } written)
            {
                return written;
            }

            current = await store.GetAsync(start.Value.Id, cancellationToken).ConfigureAwait(false);
        }
        return null;
    }
}
