using Microsoft.DurableTask;
using Rebind.Core.Flows.PhoneUnbinding;
using Rebind.Functions.Durable;

namespace Rebind.Functions.Flows.PhoneUnbinding;

/// <summary>
/// <c>unbind_phone</c> on Durable: a code to the bound phone, then the unbinding and its notice. The states are
/// <c>Rebind.Core/Flows/PhoneUnbinding/states.mermaid</c>.
/// </summary>
public sealed class UnbindPhoneOrchestrator : TaskOrchestrator<FlowRef, FlowEnd>
{
    public const string Name = "UnbindPhone";

    public override async Task<FlowEnd> RunAsync(TaskOrchestrationContext context, FlowRef input)
    {
        var flow = new FlowSteps(context, input);
        // 1. An SMS code to the bound number, until it is confirmed or the deadline passes.
        await flow.SendStartCodeAsync();
        await flow.WaitUntilAsync(UnbindPhoneStates.ApplyingChange);

        // 2. Release the number from the account (its ETag), end the other sessions, send the notice.
        return await flow.ApplyAndEndAsync();
    }
}
