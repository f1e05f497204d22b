using Rebind.Core.Accounts;

namespace Rebind.Functions.Tests.Infrastructure;

/// <summary>
/// The real account store, except that while <see cref="CrashesLeft"/> is above zero a successful phone claim is
/// followed by an exception: the process "dies" between claiming the number and updating the account.
/// </summary>
public sealed class CrashAfterClaimStore(IAccountStore inner) : IAccountStore
{
    private int crashesLeft;

    public int CrashesLeft { get => Volatile.Read(ref crashesLeft); set => Volatile.Write(ref crashesLeft, value); }

    public async Task<ClaimOutcome> ClaimAsync(IdentifierKind kind, string value, string accountId, CancellationToken cancellationToken = default)
    {
        var outcome = await inner.ClaimAsync(kind, value, accountId, cancellationToken);
        if (outcome == ClaimOutcome.Claimed && kind == IdentifierKind.Phone && Interlocked.Decrement(ref crashesLeft) >= 0)
        {
            throw new InvalidOperationException("Simulated crash after claiming the phone.");
        }

        return outcome;
    }

    public Task<Versioned<Account>?> GetAsync(string accountId, CancellationToken cancellationToken = default) => inner.GetAsync(accountId, cancellationToken);

    public Task<string?> FindAccountIdAsync(IdentifierKind kind, string value, CancellationToken cancellationToken = default) => inner.FindAccountIdAsync(kind, value, cancellationToken);

    public Task ReleaseAsync(IdentifierKind kind, string value, string accountId, CancellationToken cancellationToken = default) => inner.ReleaseAsync(kind, value, accountId, cancellationToken);

    public Task<Versioned<Account>> CreateAsync(Account account, CancellationToken cancellationToken = default) => inner.CreateAsync(account, cancellationToken);

    public Task<Versioned<Account>?> TryReplaceAsync(Account account, string version, CancellationToken cancellationToken = default) => inner.TryReplaceAsync(account, version, cancellationToken);
}
