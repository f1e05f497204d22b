using Rebind.Core.Flows;
using Rebind.Core.Flows.DeviceSignIn;

namespace Rebind.Functions.Flows;

/// <summary>
/// <c>verify_device</c> in the app. Its code is posted to <c>POST /api/auth/sign-in/verify</c>, which answers the
/// session; <c>/api/flows/{id}/code</c> refuses it (<see cref="IFlowKind.IssuesSession"/>). The destination is shown
/// masked: the flow exists only after the account's password was proven.
/// </summary>
public sealed class DeviceSignInKind : IFlowKind
{
    public string Kind => DeviceSignInFlow.KindName;

    public string Orchestrator => DeviceSignIn.VerifyDeviceOrchestrator.Name;

    public string? NextStep(Flow flow) => flow.State switch
    {
        DeviceSignInStates.AwaitingCode => FlowNextSteps.Code,
        DeviceSignInStates.ApplyingChange => FlowNextSteps.Wait,
        _ => null,
    };

    public bool IssuesSession => true;
}
