using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;

namespace Rebind.Functions.Flows.Effects;

/// <summary>
/// <see cref="BindPhone"/>: claim the phone → the account still has no phone (or already this one) → set it →
/// history. The phone is held from recovery for <see cref="FlowPolicy.NewContactRecoveryHold"/>. The account has another phone by now → release our claim, <see cref="AccountChanged"/>.
/// </summary>
public sealed class BindPhoneHandler(AccountChanges changes, FlowPolicy policy) : FlowEffectHandler<BindPhone>
{
    protected override async Task<FlowInput> HandleAsync(BindPhone effect, Flow flow, CancellationToken cancellationToken)
    {
        var outcome = await BindIdentifier.RunAsync(changes, IdentifierKind.Phone, effect.AccountId, effect.Phone,
            a => a.Phone, (a, v) => a with { Phone = v, PhoneRecoveryHeldUntil = changes.Now + policy.NewContactRecoveryHold }, cancellationToken);
        if (outcome is not null)
        {
            return outcome;
        }

        await changes.RecordOnceAsync(effect.AccountId, ActivityTypes.PhoneBound, effect.FlowId, null, cancellationToken);
        return new ChangeApplied();
    }
}
