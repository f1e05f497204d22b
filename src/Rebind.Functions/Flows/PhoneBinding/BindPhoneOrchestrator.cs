using Microsoft.DurableTask;
using Rebind.Core.Flows.PhoneBinding;
using Rebind.Functions.Durable;

namespace Rebind.Functions.Flows.PhoneBinding;

/// <summary>
/// <c>bind_phone</c> on Durable: a code to the new phone, then the binding. The HTTP functions check the code against
/// the row; the states are <c>Rebind.Core/Flows/PhoneBinding/states.mermaid</c>.
/// </summary>
public sealed class BindPhoneOrchestrator : TaskOrchestrator<FlowRef, FlowEnd>
{
    public const string Name = "BindPhone";

    public override async Task<FlowEnd> RunAsync(TaskOrchestrationContext context, FlowRef input)
    {
        var flow = new FlowSteps(context, input);
        // 1. An SMS code to the number, resent when asked, until it is confirmed (the number free: the change is next;
        //    taken: the flow failed) or the deadline passes.
        await flow.SendStartCodeAsync();
        await flow.WaitUntilAsync(BindPhoneStates.ApplyingChange);

        // 2. Claim the number and write the account with its ETag (idempotent: a retry finds its own claim).
        return await flow.ApplyAndEndAsync();
    }
}
