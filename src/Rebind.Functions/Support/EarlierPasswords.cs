using Rebind.Core.Accounts;
using Rebind.Core.Security;
using Rebind.Core.Support;
using Rebind.Functions.Passwords;

namespace Rebind.Functions.Support;

/// <summary>
/// Checks the earlier passwords typed with a support case against the account's remembered hashes (the current one and
/// the 4 before it), keeping only a <see cref="PasswordVerdict"/> per password: the password itself goes nowhere. Every
/// typed password costs exactly <see cref="PasswordHistory.Remembered"/> PBKDF2 runs, padded with a dummy hash, whether
/// the account has fewer hashes or does not exist: the answer's time says nothing about it.
/// </summary>
public sealed class EarlierPasswords(PasswordWork work, PasswordHasher hasher)
{
    public async Task<IReadOnlyList<PasswordVerdict>> CheckAsync(IReadOnlyList<string> typed, Account? account, CancellationToken cancellationToken)
    {
        var remembered = account?.RememberedHashes().Take(PasswordHistory.Remembered).ToList() ?? [];
        var hashes = remembered.Concat(Enumerable.Repeat(hasher.DummyHash, PasswordHistory.Remembered - remembered.Count)).ToList();
        var verdicts = new List<PasswordVerdict>();
        foreach (var password in typed)
        {
            var checks = await Task.WhenAll(hashes.Select(h => work.VerifyAsync(password, h, cancellationToken)));
            var verdict = PasswordVerdict.NoMatch;
            for (var i = 0; i < remembered.Count; i++)
            {
                if (checks[i])
                {
                    verdict = i == 0 ? PasswordVerdict.Current : PasswordVerdict.Previous;
                    break;
                }
            }
            verdicts.Add(verdict);
        }
        return verdicts;
    }
}
