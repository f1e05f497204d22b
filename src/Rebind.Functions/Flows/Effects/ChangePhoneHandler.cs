using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;

namespace Rebind.Functions.Flows.Effects;

/// <summary>
/// <see cref="ChangePhone"/>: claim the new phone → the account still has the old one (or already the new one: a
/// repeat) → write it → release the old phone's index row if this account holds it (the old number then signs in,
/// signs up and recovers nothing of this account) → new security stamp, keeping only <c>KeepSessionId</c> →
/// history. Every step tolerates having run before, so the cleanup's Resume finishes a crashed run.
/// </summary>
public sealed class ChangePhoneHandler(AccountChanges changes) : FlowEffectHandler<ChangePhone>
{
    protected override async Task<FlowInput> HandleAsync(ChangePhone effect, Flow flow, CancellationToken cancellationToken)
    {
        var outcome = await BindIdentifier.RunAsync(changes, IdentifierKind.Phone, effect.AccountId, effect.NewPhone,
            a => a.Phone, (a, v) => a with { Phone = v }, cancellationToken, expectedOld: effect.OldPhone, guard: effect.Guard);
        if (outcome is not null)
        {
            return outcome;
        }

        if (effect.OldPhone is not null && effect.OldPhone != effect.NewPhone)
        {
            await changes.Accounts.ReleaseAsync(IdentifierKind.Phone, effect.OldPhone, effect.AccountId, cancellationToken);
        }

        await changes.RotateStampAsync(effect.AccountId, effect.KeepSessionId, cancellationToken);
        await changes.RecordOnceAsync(effect.AccountId, ActivityTypes.PhoneChanged, effect.FlowId, effect.KeepSessionId, cancellationToken);
        return new ChangeApplied();
    }
}
