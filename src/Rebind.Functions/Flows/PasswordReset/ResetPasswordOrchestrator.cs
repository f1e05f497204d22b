using Microsoft.DurableTask;
using Rebind.Core.Flows.PasswordReset;
using Rebind.Functions.Durable;

namespace Rebind.Functions.Flows.PasswordReset;

/// <summary>
/// <c>reset_password</c> on Durable: a code to the identifier typed (a pretend send, taking as long, for an unknown
/// one), the new password (hashed into the row by the HTTP function), then the reset and its notice. The states are
/// <c>Rebind.Core/Flows/PasswordReset/states.mermaid</c>.
/// </summary>
public sealed class ResetPasswordOrchestrator : TaskOrchestrator<FlowRef, FlowEnd>
{
    public const string Name = "ResetPassword";

    public override async Task<FlowEnd> RunAsync(TaskOrchestrationContext context, FlowRef input)
    {
        var flow = new FlowSteps(context, input);
        // 1. The code, resent when asked, until it is confirmed or the deadline passes.
        await flow.SendStartCodeAsync();
        await flow.WaitUntilAsync(ResetPasswordStates.AwaitingPassword, ResetPasswordStates.ApplyingChange);

        // 2. The new password: the HTTP function checked and hashed it into the row.
        await flow.WaitUntilAsync(ResetPasswordStates.ApplyingChange);

        // 3. The new hash, the security stamp rotated (every session ends), the notice on the other channel.
        return await flow.ApplyAndEndAsync();
    }
}
