using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using Rebind.Core.Flows.PhoneRecoveryByEmail;

namespace Rebind.Functions.Flows;

/// <summary>
/// <c>recover_phone_by_email</c> in the app. The email code's destination is never shown: it is the account's
/// bound email (or nothing, pretending), not what the user typed, so showing it would reveal the account.
/// </summary>
public sealed class RecoverPhoneByEmailKind(IAccountStore accounts) : IFlowKind
{
    public string Kind => RecoverPhoneByEmailFlow.KindName;

    public string Orchestrator => PhoneRecoveryByEmail.RecoverPhoneByEmailOrchestrator.Name;

    public string? NextStep(Flow flow) => flow.State switch
    {
        RecoverPhoneByEmailStates.AwaitingEmailCode => FlowNextSteps.Code,
        RecoverPhoneByEmailStates.AwaitingNewPhone => FlowNextSteps.Phone,
        RecoverPhoneByEmailStates.AwaitingNewPhoneCode => FlowNextSteps.Code,
        RecoverPhoneByEmailStates.ApplyingChange => FlowNextSteps.Wait,
        _ => null,
    };

    public Task<FlowInput> CodeInputAsync(Flow flow, string code, CancellationToken cancellationToken) =>
        PendingIdentifier.CodeInputAsync(accounts, flow, code, RecoverPhoneByEmailStates.AwaitingNewPhoneCode, cancellationToken);

    public bool ShowsDestination(Flow flow, Challenge challenge) => challenge.Step != RecoverPhoneByEmailFlow.EmailStep;
}
