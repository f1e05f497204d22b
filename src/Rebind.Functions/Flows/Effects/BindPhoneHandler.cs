using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;
using Rebind.Functions.Recovery;

namespace Rebind.Functions.Flows.Effects;

/// <summary>
/// <see cref="BindPhone"/>: claim the phone → the account still has no phone (or already this one) → set it →
/// history. The phone is held from recovery for <see cref="FlowPolicy.NewContactRecoveryHold"/>. The account has another phone by now → release our claim, <see cref="AccountChanged"/>.
/// </summary>
public sealed class BindPhoneHandler(AccountChanges changes, FlowPolicy policy, ContactReports reports) : FlowEffectHandler<BindPhone>
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
        // The "this wasn't me" link for the notices to the existing contacts (a repeat issues a fresh code: only the
        // run whose outcome the flow takes is ever sent; the other row just expires).
        var reportUrl = await reports.IssueAsync(effect.AccountId, IdentifierKind.Phone, effect.Phone, changes.Now + policy.NewContactRecoveryHold, cancellationToken);
        return new ChangeApplied(reportUrl);
    }
}
