using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;

namespace Rebind.Functions.Flows.Effects;

/// <summary>
/// <see cref="ResetPassword"/>: one account write sets the hash, a new security stamp (every session dies with
/// it, atomically with the new password) and clears the failed sign-in counter; then the session rows are deleted
/// and history recorded. The hash already set is a repeat; the account gone, or its guard broken (a security
/// change since the flow started, or the proven contact unbound), is <see cref="AccountChanged"/>.
/// Never signs in.
/// </summary>
public sealed class ResetPasswordHandler(AccountChanges changes) : FlowEffectHandler<ResetPassword>
{
    protected override async Task<FlowInput> HandleAsync(ResetPassword effect, Flow flow, CancellationToken cancellationToken)
    {
        var now = changes.Now;
        var check = await changes.UpdateAsync(effect.AccountId, account =>
            account.PasswordHash == effect.PasswordHash
                ? (AccountCheck.AlreadyApplied, null)
                : effect.Guard?.Holds(account) == false
                ? (AccountCheck.Mismatch, null)
                : (AccountCheck.Applied, account.WithNewPassword(effect.PasswordHash, now) with
                {
                    SecurityStamp = Account.NewSecurityStamp(),
                    ConsecutiveFailedSignIns = 0,
                    LastFailedSignInAt = null,
                    PasswordResetRequiredAt = null,
                }), cancellationToken);
        if (check == AccountCheck.Mismatch)
        {
            return new AccountChanged();
        }

        await changes.EndAllSessionsAsync(effect.AccountId, cancellationToken);
        await changes.RecordOnceAsync(effect.AccountId, ActivityTypes.PasswordReset, effect.FlowId, null, cancellationToken);
        return new ChangeApplied();
    }
}
