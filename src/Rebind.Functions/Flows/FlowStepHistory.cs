using Rebind.Core.Activity;
using Rebind.Core.Flows;

namespace Rebind.Functions.Flows;

/// <summary>
/// Records each step of a flow in its account's history. Signed-in flows (<see cref="Flow.AccountId"/>): every
/// step. Flows from the sign-in page (target account in <c>Data["account_id"]</c>): only steps after the person
/// proved a channel (a code was used), so that before that proof a known and an unknown identifier cost the same
/// work and nothing hints at which it was. Type =
/// the flow kind (<c>change_phone</c>, ...), detail = the state it moved to, or the error code for a recorded
/// failure (wrong code, <c>phone_already_bound</c>, expiry) with outcome <c>failure</c>. Steps that change nothing
/// visible (a resend, a resume) are not recorded. The applied change itself is recorded by its effect handler
/// (<c>phone_changed</c>, ...).
/// </summary>
public sealed class FlowStepHistory(IActivityLog activity, TimeProvider time) : IFlowStepObserver
{
    public async Task OnStepAsync(Flow? before, FlowStep step, CancellationToken cancellationToken)
    {
        var flow = step.Flow;
        var accountId = flow.AccountId
            ?? (flow.Challenges.Any(c => c.Used) || flow.Data.ContainsKey(FlowDataKeys.PasswordProven) ? flow.Data.GetValueOrDefault(FlowDataKeys.AccountId) : null);
        if (accountId is null || (step.Error is null && before?.State == flow.State))
        {
            return;
        }

        var failed = step.Error is not null;
        var entry = new ActivityEvent(
            flow.Kind,
            failed ? ActivityOutcomes.Failure : ActivityOutcomes.Success,
            time.GetUtcNow(),
            SessionId: flow.Data.GetValueOrDefault(FlowDataKeys.KeepSessionId),
            Detail: failed ? step.Error!.Code : flow.State);
        await activity.RecordAsync(accountId, entry, cancellationToken);
    }
}
