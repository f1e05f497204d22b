using Microsoft.DurableTask;
using Rebind.Core.Flows.SupportRecovery;
using Rebind.Functions.Durable;
using S = Rebind.Core.Flows.SupportRecovery.SupportRecoveryStates;

namespace Rebind.Functions.Flows.SupportRecovery;

/// <summary>
/// <c>support_recovery</c> on Durable: the new phone's code (and the contact email's), then the case waits days for a
/// person — scored, then an agent's decision raced against the decision timeout (7 days: expired, the filer told),
/// back to scoring whenever the filer adds information — then the cool-off (a durable timer at its end raced against
/// the owner's cancel), then the recovery. The states are <c>Rebind.Core/Flows/SupportRecovery/states.mermaid</c>.
/// </summary>
public sealed class SupportRecoveryOrchestrator : TaskOrchestrator<FlowRef, FlowEnd>
{
    public const string Name = "SupportRecovery";

    public override async Task<FlowEnd> RunAsync(TaskOrchestrationContext context, FlowRef input)
    {
        var flow = new FlowSteps(context, input);
        // 1. The code to the new phone (and to the contact email the decision goes to), until the case is submitted.
        await flow.SendStartCodeAsync();
        await flow.WaitUntilAsync(S.Scoring);

        // 2. Score the evidence against the records, then wait for a decision; more information goes back to scoring.
        //    The deadline (the decision timeout) expires the case and tells the filer.
        while (flow.State == S.Scoring)
        {
            await flow.ApplyAsync();
            await flow.WaitUntilAsync(S.Scoring, S.CoolingOff, S.ApplyingChange);
        }

        // 3. Approved: the cool-off, its end raced against the cancel code sent to the old phone and the email.
        await flow.WaitUntilAsync(S.ApplyingChange);

        // 4. Bind the new phone, release the old one, end every session, require a new password, tell everyone.
        return await flow.ApplyAndEndAsync();
    }
}
