using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using Rebind.Core.Flows.EmailBinding;
using Rebind.Core.Flows.EmailChange;
using Rebind.Core.Flows.PhoneBinding;
using Rebind.Core.Flows.PhoneChange;
using Rebind.Core.Flows.PhoneUnbinding;

namespace Rebind.Functions.Flows;

/// <summary>
/// The code input of the account-change kinds: while the code for a pending new identifier is awaited, look it up
/// in its index and pass <c>PhoneAlreadyBound</c>/<c>EmailAlreadyBound</c> = held by <em>another</em> account (the
/// flow reveals it only once the code is right). Other codes need no lookup.
/// </summary>
internal static class PendingIdentifier
{
    public static async Task<FlowInput> CodeInputAsync(IAccountStore accounts, Flow flow, string code, string codeState, CancellationToken cancellationToken)
    {
        if (flow.State != codeState)
        {
            return new SubmitCode(code);
        }

        var owner = flow.AccountId ?? flow.Data.GetValueOrDefault(FlowDataKeys.AccountId);
        if (flow.Data.GetValueOrDefault(FlowDataKeys.NewPhone) is { } phone)
        {
            return new SubmitCode(code, PhoneAlreadyBound: await HeldByOtherAsync(accounts, IdentifierKind.Phone, phone, owner, cancellationToken));
        }

        if (flow.Data.GetValueOrDefault(FlowDataKeys.NewEmail) is { } email)
        {
            return new SubmitCode(code, EmailAlreadyBound: await HeldByOtherAsync(accounts, IdentifierKind.Email, email, owner, cancellationToken));
        }

        return new SubmitCode(code);
    }

    private static async Task<bool> HeldByOtherAsync(IAccountStore accounts, IdentifierKind kind, string value, string? owner, CancellationToken cancellationToken) =>
        await accounts.FindAccountIdAsync(kind, value, cancellationToken) is { } holder && holder != owner;
}

/// <summary><c>bind_phone</c>: code to the new phone, then the <see cref="BindPhone"/> effect.</summary>
public sealed class BindPhoneKind(IAccountStore accounts) : IFlowKind
{
    public string Kind => BindPhoneFlow.KindName;

    public string Orchestrator => PhoneBinding.BindPhoneOrchestrator.Name;

    public string? NextStep(Flow flow) => flow.State switch
    {
        BindPhoneStates.AwaitingCode => FlowNextSteps.Code,
        BindPhoneStates.ApplyingChange => FlowNextSteps.Wait,
        _ => null,
    };

    public Task<FlowInput> CodeInputAsync(Flow flow, string code, CancellationToken cancellationToken) =>
        PendingIdentifier.CodeInputAsync(accounts, flow, code, BindPhoneStates.AwaitingCode, cancellationToken);
}

/// <summary><c>change_phone</c>: code to the old phone → new phone → code to it → the <see cref="ChangePhone"/> effect.</summary>
public sealed class ChangePhoneKind(IAccountStore accounts) : IFlowKind
{
    public string Kind => ChangePhoneFlow.KindName;

    public string Orchestrator => PhoneChange.ChangePhoneOrchestrator.Name;

    public string? NextStep(Flow flow) => flow.State switch
    {
        ChangePhoneStates.AwaitingOldPhoneCode or ChangePhoneStates.AwaitingNewPhoneCode => FlowNextSteps.Code,
        ChangePhoneStates.AwaitingNewPhone => FlowNextSteps.Phone,
        ChangePhoneStates.ApplyingChange => FlowNextSteps.Wait,
        _ => null,
    };

    public Task<FlowInput> CodeInputAsync(Flow flow, string code, CancellationToken cancellationToken) =>
        PendingIdentifier.CodeInputAsync(accounts, flow, code, ChangePhoneStates.AwaitingNewPhoneCode, cancellationToken);
}

/// <summary><c>unbind_phone</c>: code to the phone → the <see cref="UnbindPhone"/> effect. Nothing is claimed.</summary>
public sealed class UnbindPhoneKind : IFlowKind
{
    public string Kind => UnbindPhoneFlow.KindName;

    public string Orchestrator => PhoneUnbinding.UnbindPhoneOrchestrator.Name;

    public string? NextStep(Flow flow) => flow.State switch
    {
        UnbindPhoneStates.AwaitingCode => FlowNextSteps.Code,
        UnbindPhoneStates.ApplyingChange => FlowNextSteps.Wait,
        _ => null,
    };
}

/// <summary><c>bind_email</c>: code to the new email, then the <see cref="BindEmail"/> effect.</summary>
public sealed class BindEmailKind(IAccountStore accounts) : IFlowKind
{
    public string Kind => BindEmailFlow.KindName;

    public string Orchestrator => EmailBinding.BindEmailOrchestrator.Name;

    public string? NextStep(Flow flow) => flow.State switch
    {
        BindEmailStates.AwaitingCode => FlowNextSteps.Code,
        BindEmailStates.ApplyingChange => FlowNextSteps.Wait,
        _ => null,
    };

    public Task<FlowInput> CodeInputAsync(Flow flow, string code, CancellationToken cancellationToken) =>
        PendingIdentifier.CodeInputAsync(accounts, flow, code, BindEmailStates.AwaitingCode, cancellationToken);
}

/// <summary><c>change_email</c>: code to the old email or the phone → new email → code to it → <see cref="ChangeEmail"/>.</summary>
public sealed class ChangeEmailKind(IAccountStore accounts) : IFlowKind
{
    public string Kind => ChangeEmailFlow.KindName;

    public string Orchestrator => EmailChange.ChangeEmailOrchestrator.Name;

    public string? NextStep(Flow flow) => flow.State switch
    {
        ChangeEmailStates.AwaitingVerificationCode or ChangeEmailStates.AwaitingNewEmailCode => FlowNextSteps.Code,
        ChangeEmailStates.AwaitingNewEmail => FlowNextSteps.Email,
        ChangeEmailStates.ApplyingChange => FlowNextSteps.Wait,
        _ => null,
    };

    public Task<FlowInput> CodeInputAsync(Flow flow, string code, CancellationToken cancellationToken) =>
        PendingIdentifier.CodeInputAsync(accounts, flow, code, ChangeEmailStates.AwaitingNewEmailCode, cancellationToken);
}
