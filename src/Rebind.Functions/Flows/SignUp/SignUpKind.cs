using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using Rebind.Core.Flows.SignUp;

namespace Rebind.Functions.Flows.SignUp;

/// <summary><c>signup_phone</c> in the app: the phone index is consulted before the code is checked.</summary>
public sealed class SignUpKind(IAccountStore accounts) : IFlowKind
{
    public string Kind => SignUpFlow.KindName;

    public string Orchestrator => SignUpOrchestrator.Name;

    public string? NextStep(Flow flow) => flow.State switch
    {
        SignUpStates.AwaitingCode => FlowNextSteps.Code,
        SignUpStates.AwaitingPassword => FlowNextSteps.Password,
        SignUpStates.CreatingAccount => FlowNextSteps.Wait,
        _ => null,
    };

    public async Task<FlowInput> CodeInputAsync(Flow flow, string code, CancellationToken cancellationToken)
    {
        // Revealed by the flow only if the code is right; looked up only while a code is awaited.
        var bound = flow.State == SignUpStates.AwaitingCode && flow.Phone is { } phone
            && await accounts.FindAccountIdAsync(IdentifierKind.Phone, phone, cancellationToken) is not null;
        return new SubmitCode(code, bound);
    }
}
