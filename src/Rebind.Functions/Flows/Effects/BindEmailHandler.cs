using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;
using Rebind.Functions.Recovery;

namespace Rebind.Functions.Flows.Effects;

/// <summary><see cref="BindEmail"/>: as <see cref="BindPhoneHandler"/>, with the email index and <c>Account.Email</c>.</summary>
public sealed class BindEmailHandler(AccountChanges changes, FlowPolicy policy, ContactReports reports) : FlowEffectHandler<BindEmail>
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
        // The "this wasn't me" link for the notices to the existing contacts (a repeat issues a fresh code: only the
        // run whose outcome the flow takes is ever sent; the other row just expires).
        var reportUrl = await reports.IssueAsync(effect.AccountId, IdentifierKind.Email, effect.Email, changes.Now + policy.NewContactRecoveryHold, cancellationToken);
        return new ChangeApplied(reportUrl);
    }
}
