using System.Globalization;
using Rebind.Azure.Stores;
using Rebind.Core.Flows;
using Rebind.Core.Flows.SupportRecovery;
using Rebind.Functions.Flows;
using S = Rebind.Core.Flows.SupportRecovery.SupportRecoveryStates;

namespace Rebind.Functions.Support;

/// <summary>
/// Keeps the console's case list and the one-open-case claims in step with every committed step of a support case
/// (<see cref="IFlowStepObserver"/>: requests' and orchestrations' steps alike). A case enters the queue once submitted
/// (its codes confirmed) and leaves it when it ends; the account's claim then ends too.
/// </summary>
public sealed class SupportCaseIndex(TableSupportCases cases, SupportOptions options) : IFlowStepObserver
{
    public async Task OnStepAsync(Flow? before, FlowStep step, CancellationToken cancellationToken)
    {
        var flow = step.Flow;
        if (flow.Kind != SupportRecoveryFlow.KindName || before?.State == flow.State && before.Deadline == flow.Deadline)
        {
            return;
        }

        var submitted = flow.Data.GetValueOrDefault(SupportDataKeys.SubmittedAt) is { } at
            ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
            : (DateTimeOffset?)null;
        var key = flow.Data.GetValueOrDefault(SupportDataKeys.OpenKey);
        if (submitted is not null)
        {
            await cases.UpsertAsync(Row(flow, submitted), open: !flow.IsTerminal, cancellationToken);
        }

        if (flow.IsTerminal)
        {
            if (key is not null)
            {
                await cases.ReleaseOpenAsync(key, cancellationToken);
            }
        }
        else if (key is not null && flow.State == S.Scoring && before?.State is S.AwaitingNewPhoneCode or S.AwaitingContactEmailCode)
        {
            // Submitted: the claim now lasts as long as the case can (decision timeout, cool-off, a day to apply).
            await cases.ExtendOpenAsync(key, flow.Deadline + options.CoolOff + TimeSpan.FromDays(1), cancellationToken);
        }
    }

    /// <summary>The console's reference of a case: a digest of its flow id (the id itself is the filer's capability).</summary>
    public static string RefOf(string flowId) => FlowIds.Ref(flowId)["flow:".Length..];

    public static SupportCaseRow Row(Flow flow, DateTimeOffset? submitted) => new(
        RefOf(flow.Id), flow.Id, flow.State, SupportRecoveryFlow.Score(flow), submitted, flow.Deadline, flow.Data.ContainsKey(FlowDataKeys.AccountId));
}
