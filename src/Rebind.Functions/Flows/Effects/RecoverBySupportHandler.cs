using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;
using Rebind.Core.Flows.SupportRecovery;

namespace Rebind.Functions.Flows.Effects;

/// <summary>
/// <see cref="RecoverBySupport"/>: as <see cref="ChangePhoneHandler"/> (claim the new phone, write it over the old one if
/// the guard still holds, release the old number, end every session, history), and in the same account write
/// <c>PasswordResetRequiredAt</c>, so the password the account had no longer signs in until it is reset. Every step
/// tolerates having run before.
/// </summary>
public sealed class RecoverBySupportHandler(AccountChanges changes) : FlowEffectHandler<RecoverBySupport>
{
    public const string HistoryType = "support_recovery";

    protected override async Task<FlowInput> HandleAsync(RecoverBySupport effect, Flow flow, CancellationToken cancellationToken)
    {
        var now = changes.Now;
        var outcome = await BindIdentifier.RunAsync(changes, IdentifierKind.Phone, effect.AccountId, effect.NewPhone,
            a => a.Phone, (a, v) => a with { Phone = v, PasswordResetRequiredAt = a.PasswordResetRequiredAt ?? now },
            cancellationToken, expectedOld: effect.OldPhone, guard: effect.Guard);
        if (outcome is not null)
        {
            return outcome;
        }

        if (effect.OldPhone is not null && effect.OldPhone != effect.NewPhone)
        {
            await changes.Accounts.ReleaseAsync(IdentifierKind.Phone, effect.OldPhone, effect.AccountId, cancellationToken);
        }

        await changes.RotateStampAsync(effect.AccountId, keepSessionId: null, cancellationToken);
        await changes.RecordOnceAsync(effect.AccountId, ActivityTypes.PhoneChanged, effect.FlowId, sessionId: null, cancellationToken);
        await changes.RecordOnceAsync(effect.AccountId, HistoryType, effect.FlowId, sessionId: null, cancellationToken);
        return new ChangeApplied();
    }
}
