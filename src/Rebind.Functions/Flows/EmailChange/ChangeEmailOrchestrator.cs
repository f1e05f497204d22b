using Microsoft.DurableTask;
using Rebind.Core.Flows.EmailChange;
using Rebind.Functions.Durable;

namespace Rebind.Functions.Flows.EmailChange;

/// <summary>
/// <c>change_email</c> on Durable: a code to the old address (or the bound phone), the new address, a code to it, then
/// the change and its notice. The states are <c>Rebind.Core/Flows/EmailChange/states.mermaid</c>.
/// </summary>
public sealed class ChangeEmailOrchestrator : TaskOrchestrator<FlowRef, FlowEnd>
{
    public const string Name = "ChangeEmail";

    public override async Task<FlowEnd> RunAsync(TaskOrchestrationContext context, FlowRef input)
    {
        var flow = new FlowSteps(context, input);
        // 1. A code to the old address or the bound phone, until it is confirmed or the deadline passes.
        await flow.SendStartCodeAsync();
        await flow.WaitUntilAsync(ChangeEmailStates.AwaitingNewEmail, ChangeEmailStates.AwaitingNewEmailCode, ChangeEmailStates.ApplyingChange);

        // 2. The new address, and a code to it (sent when the address is given), until that code is confirmed.
        await flow.NewContactAsync(ChangeEmailStates.AwaitingNewEmailCode, ChangeEmailStates.ApplyingChange);

        // 3. Claim the new address, write the account, release the old one, notify the old address.
        return await flow.ApplyAndEndAsync();
    }
}
