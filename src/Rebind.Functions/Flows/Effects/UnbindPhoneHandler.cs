using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;

namespace Rebind.Functions.Flows.Effects;

/// <summary>
/// <see cref="UnbindPhone"/>: the account still has that phone and an email (checked again here: the email may
/// have gone since the flow started) → clear the phone → release its index row → new stamp keeping the caller's
/// session → history. No phone any more is a repeat; another phone, or no email, is <see cref="AccountChanged"/>.
/// </summary>
public sealed class UnbindPhoneHandler(AccountChanges changes) : FlowEffectHandler<UnbindPhone>
{
    protected override async Task<FlowInput> HandleAsync(UnbindPhone effect, Flow flow, CancellationToken cancellationToken)
    {
        var check = await changes.UpdateAsync(effect.AccountId, account =>
            account.Phone is null ? (AccountCheck.AlreadyApplied, null)
            : account.Phone != effect.Phone || account.Email is null ? (AccountCheck.Mismatch, null)
            : (AccountCheck.Applied, account with { Phone = null }), cancellationToken);
        if (check == AccountCheck.Mismatch)
        {
            return new AccountChanged();
        }

        // Released only after the account stopped pointing at it, so the number never signs into this account
        // without an index row, and a new sign-up with it creates a different account.
        await changes.Accounts.ReleaseAsync(IdentifierKind.Phone, effect.Phone, effect.AccountId, cancellationToken);
        await changes.RotateStampAsync(effect.AccountId, effect.KeepSessionId, cancellationToken);
        await changes.RecordOnceAsync(effect.AccountId, ActivityTypes.PhoneUnbound, effect.FlowId, effect.KeepSessionId, cancellationToken);
        return new ChangeApplied();
    }
}
