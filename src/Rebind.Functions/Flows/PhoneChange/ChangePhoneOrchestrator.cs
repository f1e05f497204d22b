using Microsoft.DurableTask;
using Rebind.Core.Flows.PhoneChange;
using Rebind.Functions.Durable;

namespace Rebind.Functions.Flows.PhoneChange;

/// <summary>
/// <c>change_phone</c> on Durable: a code to the old phone, the new number, a code to it, then the change and its
/// notices. The states are <c>Rebind.Core/Flows/PhoneChange/states.mermaid</c>.
/// </summary>
public sealed class ChangePhoneOrchestrator : TaskOrchestrator<FlowRef, FlowEnd>
{
    public const string Name = "ChangePhone";

    public override async Task<FlowEnd> RunAsync(TaskOrchestrationContext context, FlowRef input)
    {
        var flow = new FlowSteps(context, input);
        // 1. An SMS code to the old number, until it is confirmed or the deadline passes.
        await flow.SendStartCodeAsync();
        await flow.WaitUntilAsync(ChangePhoneStates.AwaitingNewPhone, ChangePhoneStates.AwaitingNewPhoneCode, ChangePhoneStates.ApplyingChange);

        // 2. The new number, and a code to it (sent when the number is given), until that code is confirmed.
        await flow.NewContactAsync(ChangePhoneStates.AwaitingNewPhoneCode, ChangePhoneStates.ApplyingChange);

        // 3. Claim the new number, write the account, release the old one, rotate the stamp, notify both contacts.
        return await flow.ApplyAndEndAsync();
    }
}
