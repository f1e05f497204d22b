namespace Rebind.Core.Accounts;

/// <summary>The passwords an account remembers so that a new one is not an old one again.</summary>
public static class PasswordHistory
{
    /// <summary>A new password must differ from this many: the current one and the ones before it.</summary>
    public const int Remembered = 5;

    /// <summary>The account with <paramref name="newHash"/> as its password, the old one kept in its history.</summary>
    public static Account WithNewPassword(this Account account, string newHash, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account with
        {
            PasswordHash = newHash,
            PasswordChangedAt = now,
            PreviousPasswordHashes = [account.PasswordHash, .. account.PreviousPasswordHashes.Take(Remembered - 2)],
        };
    }

    /// <summary>The hashes a new password is compared with: the current one first.</summary>
    public static IEnumerable<string> RememberedHashes(this Account account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return [account.PasswordHash, .. account.PreviousPasswordHashes];
    }
}
