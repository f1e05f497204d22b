using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using Rebind.Core.Flows.PasswordReset;
using Rebind.Core.Security;
using Rebind.Functions.Passwords;

namespace Rebind.Functions.Flows;

/// <summary>
/// <c>reset_password</c> in the app. The destination shown is the identifier the user typed (the same for known
/// and unknown ones); the new password is compared with the current one before it is hashed.
/// </summary>
public sealed class ResetPasswordKind(IAccountStore accounts) : IFlowKind
{
    public string Kind => ResetPasswordFlow.KindName;

    public string Orchestrator => PasswordReset.ResetPasswordOrchestrator.Name;

    public string? NextStep(Flow flow) => flow.State switch
    {
        ResetPasswordStates.AwaitingCode => FlowNextSteps.Code,
        ResetPasswordStates.AwaitingPassword => FlowNextSteps.Password,
        ResetPasswordStates.ApplyingChange => FlowNextSteps.Wait,
        _ => null,
    };

    public async Task<FlowInput> PasswordInputAsync(Flow flow, string password, PasswordWork passwords, CancellationToken cancellationToken)
    {
        // Only a confirmed code reaches awaiting_password, and only for a real account: no timing to hide here.
        if (NextStep(flow) != FlowNextSteps.Password || !flow.Data.TryGetValue(FlowDataKeys.AccountId, out var accountId))
        {
            return new SetPassword(password, string.Empty);
        }

        var account = await accounts.GetAsync(accountId, cancellationToken);
        if (account is not null && await passwords.VerifyAsync(password, account.Value.PasswordHash, cancellationToken))
        {
            return new SetPassword(password, string.Empty, SameAsCurrent: true);
        }

        return new SetPassword(password, await passwords.HashAsync(password, cancellationToken));
    }
}
