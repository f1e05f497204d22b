using Microsoft.DurableTask;
using Rebind.Core.Flows.SignUp;
using Rebind.Functions.Durable;

namespace Rebind.Functions.Flows.SignUp;

/// <summary>
/// <c>signup_phone</c> on Durable: the phone's code, then the password, then the account. What a person types (the
/// code, the password) is checked and committed to the flow's row by the HTTP functions (<see cref="SignUpApi"/>, the
/// shared code endpoint); this orchestration sends the codes, keeps the deadline and creates the account. The states
/// are <c>Rebind.Core/Flows/SignUp/states.mermaid</c>.
/// </summary>
public sealed class SignUpOrchestrator : TaskOrchestrator<FlowRef, FlowEnd>
{
    public const string Name = "SignUp";

    public override async Task<FlowEnd> RunAsync(TaskOrchestrationContext context, FlowRef input)
    {
        var flow = new FlowSteps(context, input);

        // 1. An SMS code to the phone, resent when asked, until it is confirmed (the phone is free: the password is
        //    next; taken: the flow failed) or the deadline passes.
        await flow.SendStartCodeAsync();
        await flow.WaitUntilAsync(SignUpStates.AwaitingPassword, SignUpStates.CreatingAccount);

        // 2. The password: the HTTP function hashed it into the row.
        await flow.WaitUntilAsync(SignUpStates.CreatingAccount);

        // 3. The account: claim the phone, write the account (idempotent by the account id in the row).
        return await flow.ApplyAndEndAsync();
    }
}
