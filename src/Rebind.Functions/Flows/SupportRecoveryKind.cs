using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using Rebind.Core.Flows.SupportRecovery;
using S = Rebind.Core.Flows.SupportRecovery.SupportRecoveryStates;

namespace Rebind.Functions.Flows;

/// <summary>
/// <c>support_recovery</c> in the app: codes while the new phone (and contact email) are proven, <c>info</c> when an
/// agent asked for more (<c>POST /api/recovery/support/{id}/info</c>), else <c>wait</c> for the agents.
/// </summary>
public sealed class SupportRecoveryKind(IAccountStore accounts) : IFlowKind
{
    /// <summary>The next step while an agent waits for the filer's information.</summary>
    public const string InfoStep = "info";

    public string Kind => SupportRecoveryFlow.KindName;

    public string Orchestrator => SupportRecovery.SupportRecoveryOrchestrator.Name;

    public string? NextStep(Flow flow) => flow.State switch
    {
        S.AwaitingNewPhoneCode or S.AwaitingContactEmailCode => FlowNextSteps.Code,
        S.AwaitingMoreInfo => InfoStep,
        S.Scoring or S.InReview or S.AwaitingSecondApproval or S.CoolingOff or S.ApplyingChange => FlowNextSteps.Wait,
        _ => null,
    };

    public Task<FlowInput> CodeInputAsync(Flow flow, string code, CancellationToken cancellationToken) =>
        PendingIdentifier.CodeInputAsync(accounts, flow, code, S.AwaitingNewPhoneCode, cancellationToken);
}
