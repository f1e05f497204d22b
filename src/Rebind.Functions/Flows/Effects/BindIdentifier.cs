using Rebind.Core.Accounts;
using Rebind.Core.Flows;

namespace Rebind.Functions.Flows.Effects;

/// <summary>The claim → check → write → (release on mismatch) part shared by the bind and change handlers.</summary>
internal static class BindIdentifier
{
    /// <summary>
    /// Claims <paramref name="value"/> for the account, then writes it over <paramref name="expectedOld"/> (null: the
    /// account must have none), if <paramref name="guard"/> (when given) still holds. Returns null when the account now holds the value (written now or by an earlier
    /// run), else the input to report: <see cref="ClaimFailed"/> or <see cref="AccountChanged"/> (claim released).
    /// </summary>
    public static async Task<FlowInput?> RunAsync(
        AccountChanges changes,
        IdentifierKind kind,
        string accountId,
        string value,
        Func<Account, string?> get,
        Func<Account, string, Account> set,
        CancellationToken cancellationToken,
        string? expectedOld = null,
        AccountGuard? guard = null)
    {
        // Claim first: once the index row is ours no other account can take the value, so writing the account
        // afterwards cannot produce two accounts with one identifier. A crash before the write leaves only our
        // index row, which the resumed run finds as already ours.
        if (await changes.Accounts.ClaimAsync(kind, value, accountId, cancellationToken) == ClaimOutcome.TakenByOther)
        {
            return new ClaimFailed();
        }

        var check = await changes.UpdateAsync(accountId, account =>
        {
            var current = get(account);
            if (current == value)
            {
                return (AccountCheck.AlreadyApplied, null);
            }

            return current == expectedOld && guard?.Holds(account) != false ? (AccountCheck.Applied, set(account, value)) : (AccountCheck.Mismatch, null);
        }, cancellationToken);

        if (check == AccountCheck.Mismatch)
        {
            await changes.Accounts.ReleaseAsync(kind, value, accountId, cancellationToken);
            return new AccountChanged();
        }

        return null;
    }
}
