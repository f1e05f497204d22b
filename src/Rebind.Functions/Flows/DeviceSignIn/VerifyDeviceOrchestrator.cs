using Microsoft.DurableTask;
using Rebind.Core.Flows.DeviceSignIn;
using Rebind.Functions.Durable;

namespace Rebind.Functions.Flows.DeviceSignIn;

/// <summary>
/// <c>verify_device</c> on Durable: the code to the bound phone (else the email), resent when asked, until it is
/// confirmed (the request that confirmed it issues the session) or the deadline passes; then the device is remembered
/// and the sign-in alert, with its "this wasn't me" link, goes to the phone and the email. The states are
/// <c>Rebind.Core/Flows/DeviceSignIn/states.mermaid</c>.
/// </summary>
public sealed class VerifyDeviceOrchestrator : TaskOrchestrator<FlowRef, FlowEnd>
{
    public const string Name = "VerifyDevice";

    public override async Task<FlowEnd> RunAsync(TaskOrchestrationContext context, FlowRef input)
    {
        var flow = new FlowSteps(context, input);
        // 1. The code, resent when asked, until it is confirmed or the deadline passes.
        await flow.SendStartCodeAsync();
        await flow.WaitUntilAsync(DeviceSignInStates.ApplyingChange);

        // 2. The device joins the known devices; the alert goes out.
        return await flow.ApplyAndEndAsync();
    }
}
