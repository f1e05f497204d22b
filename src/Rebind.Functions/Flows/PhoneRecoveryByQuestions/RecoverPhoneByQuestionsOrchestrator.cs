using Microsoft.DurableTask;
using Rebind.Core.Flows.PhoneRecoveryByQuestions;
using Rebind.Functions.Durable;

namespace Rebind.Functions.Flows.PhoneRecoveryByQuestions;

/// <summary>
/// <c>recover_phone_by_questions</c> on Durable: the answers (checked by the HTTP function against the row), the new
/// number and its code, then the cool-off — a durable timer at its end raced against a cancel — then the change and
/// its notices. The states are <c>Rebind.Core/Flows/PhoneRecoveryByQuestions/states.mermaid</c>.
/// </summary>
public sealed class RecoverPhoneByQuestionsOrchestrator : TaskOrchestrator<FlowRef, FlowEnd>
{
    public const string Name = "RecoverPhoneByQuestions";

    public override async Task<FlowEnd> RunAsync(TaskOrchestrationContext context, FlowRef input)
    {
        var flow = new FlowSteps(context, input);
        // 1. The answers to the account's questions (or decoys'), until right, used up, or the deadline passes.
        await flow.SendStartCodeAsync();
        await flow.WaitUntilAsync(RecoverPhoneByQuestionsStates.AwaitingNewPhone, RecoverPhoneByQuestionsStates.AwaitingNewPhoneCode, RecoverPhoneByQuestionsStates.CoolingOff, RecoverPhoneByQuestionsStates.ApplyingChange);

        // 2. The new number, and a code to it (sent when the number is given), until that code is confirmed; the
        //    confirming request moved the deadline to the cool-off's end and queued the pending-change notices.
        await flow.NewContactAsync(RecoverPhoneByQuestionsStates.AwaitingNewPhoneCode, RecoverPhoneByQuestionsStates.CoolingOff, RecoverPhoneByQuestionsStates.ApplyingChange);

        // 3. The cool-off: its end (the timer; the row's clock matures it into applying_change) raced against a
        //    cancel, with the code from the notices or by the flow's holder, which ends the flow.
        await flow.WaitUntilAsync(RecoverPhoneByQuestionsStates.ApplyingChange);

        // 4. Claim the new number, write the account, release the old one, end every session, notify both contacts.
        return await flow.ApplyAndEndAsync();
    }
}
