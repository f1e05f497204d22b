using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;

namespace Rebind.Functions.Flows.Effects;

/// <summary><see cref="ChangeEmail"/>: as <see cref="ChangePhoneHandler"/>, with the email index and <c>Account.Email</c>.</summary>
public sealed class ChangeEmailHandler(AccountChanges changes) : FlowEffectHandler<ChangeEmail>
{
    protected override async Task<FlowInput> HandleAsync(ChangeEmail effect, Flow flow, CancellationToken cancellationToken)
    {
        var outcome = await BindIdentifier.RunAsync(changes, IdentifierKind.Email, effect.AccountId, effect.NewEmail,
            a => a.Email, (a, v) => a with { Email = v }, cancellationToken, expectedOld: effect.OldEmail);
        if (outcome is not null)
        {
            return outcome;
        }

        if (effect.OldEmail != effect.NewEmail)
        {
            await changes.Accounts.ReleaseAsync(IdentifierKind.Email, effect.OldEmail, effect.AccountId, cancellationToken);
        }

        await changes.RotateStampAsync(effect.AccountId, effect.KeepSessionId, cancellationToken);
        await changes.RecordOnceAsync(effect.AccountId, ActivityTypes.EmailChanged, effect.FlowId, effect.KeepSessionId, cancellationToken);
        return new ChangeApplied();
    }
}
