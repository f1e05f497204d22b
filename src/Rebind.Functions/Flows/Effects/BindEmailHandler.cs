using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;

namespace Rebind.Functions.Flows.Effects;

/// <summary><see cref="BindEmail"/>: as <see cref="BindPhoneHandler"/>, with the email index and <c>Account.Email</c>.</summary>
public sealed class BindEmailHandler(AccountChanges changes, FlowPolicy policy) : FlowEffectHandler<BindEmail>
{
    protected override async Task<FlowInput> HandleAsync(BindEmail effect, Flow flow, CancellationToken cancellationToken)
    {
        var outcome = await BindIdentifier.RunAsync(changes, IdentifierKind.Email, effect.AccountId, effect.Email,
            a => a.Email, (a, v) => a with { Email = v, EmailRecoveryHeldUntil = changes.Now + policy.NewContactRecoveryHold }, cancellationToken);
        if (outcome is not null)
        {
            return outcome;
        }

        await changes.RecordOnceAsync(effect.AccountId, ActivityTypes.EmailBound, effect.FlowId, null, cancellationToken);
        return new ChangeApplied();
    }
}
