using Microsoft.DurableTask;
using Rebind.Core.Flows.EmailBinding;
using Rebind.Functions.Durable;

namespace Rebind.Functions.Flows.EmailBinding;

/// <summary>
/// <c>bind_email</c> on Durable: a code to the new address, then the binding. The states are
/// <c>Rebind.Core/Flows/EmailBinding/states.mermaid</c>.
/// </summary>
public sealed class BindEmailOrchestrator : TaskOrchestrator<FlowRef, FlowEnd>
{
    public const string Name = "BindEmail";

    public override async Task<FlowEnd> RunAsync(TaskOrchestrationContext context, FlowRef input)
    {
        var flow = new FlowSteps(context, input);
        // 1. An email code to the address, until it is confirmed or the deadline passes.
        await flow.SendStartCodeAsync();
        await flow.WaitUntilAsync(BindEmailStates.ApplyingChange);

        // 2. Claim the address and write the account with its ETag.
        return await flow.ApplyAndEndAsync();
    }
}
