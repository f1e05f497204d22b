using Microsoft.DurableTask;
using Rebind.Core.Flows.PhoneRecoveryByEmail;
using Rebind.Functions.Durable;

namespace Rebind.Functions.Flows.PhoneRecoveryByEmail;

/// <summary>
/// <c>recover_phone_by_email</c> on Durable: a code to the account's bound email (a pretend send, taking as long, for
/// an unknown identifier), the new number, a code to it, then the change and its notices. The states are
/// <c>Rebind.Core/Flows/PhoneRecoveryByEmail/states.mermaid</c>.
/// </summary>
public sealed class RecoverPhoneByEmailOrchestrator : TaskOrchestrator<FlowRef, FlowEnd>
{
    public const string Name = "RecoverPhoneByEmail";

    public override async Task<FlowEnd> RunAsync(TaskOrchestrationContext context, FlowRef input)
    {
        var flow = new FlowSteps(context, input);
        // 1. An email code to the bound address, resent when asked, until it is confirmed or the deadline passes.
        await flow.SendStartCodeAsync();
        await flow.WaitUntilAsync(RecoverPhoneByEmailStates.AwaitingNewPhone, RecoverPhoneByEmailStates.AwaitingNewPhoneCode, RecoverPhoneByEmailStates.ApplyingChange);

        // 2. The new number, and a code to it (sent when the number is given), until that code is confirmed.
        await flow.NewContactAsync(RecoverPhoneByEmailStates.AwaitingNewPhoneCode, RecoverPhoneByEmailStates.ApplyingChange);

        // 3. Claim the new number, write the account, release the old one, end every session, notify both contacts.
        return await flow.ApplyAndEndAsync();
    }
}
