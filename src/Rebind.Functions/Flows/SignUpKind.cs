using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using Rebind.Core.Flows.SignUp;

namespace Rebind.Functions.Flows;

/// <summary><c>signup_phone</c> in the app: the phone index is consulted before the code is checked.</summary>
public sealed class SignUpKind(IAccountStore accounts) : IFlowKind
{
    public string Kind => SignUpFlow.KindName;

    public string? NextStep(Flow flow) => flow.State switch
    {
        SignUpStates.AwaitingCode => FlowNextSteps.Code,
        SignUpStates.AwaitingPassword => FlowNextSteps.Password,
        SignUpStates.CreatingAccount => FlowNextSteps.Wait,
        _ => null,
    };

    public async Task<FlowInput> CodeInputAsync(Flow flow, string code, CancellationToken cancellationToken)
    {
        // Revealed by the flow only if the code is right; looked up only while a code is awaited.
        var bound = flow.State == SignUpStates.AwaitingCode && flow.Phone is { } phone
            && await accounts.FindAccountIdAsync(IdentifierKind.Phone, phone, cancellationToken) is not null;
        return new SubmitCode(code, bound);
    }
}

/// <summary>Values of <see cref="FlowView.Next"/>.</summary>
public static class FlowNextSteps
{
    public const string Code = "code";
    public const string Password = "password";

    /// <summary>The new phone number (<c>POST /api/flows/{id}/phone</c>).</summary>
    public const string Phone = "phone";

    /// <summary>The new email address (<c>POST /api/flows/{id}/email</c>).</summary>
    public const string Email = "email";

    /// <summary>Security answers (<c>POST /api/flows/{id}/answers</c>).</summary>
    public const string Answers = "answers";

    /// <summary>The server is finishing an effect (e.g. creating the account); read the flow again.</summary>
    public const string Wait = "wait";
}
