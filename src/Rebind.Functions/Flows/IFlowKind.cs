using Rebind.Core.Flows;
using Rebind.Core.Security;
using Rebind.Functions.Passwords;

namespace Rebind.Functions.Flows;

/// <summary>
/// What the generic flow endpoints need to know about one flow kind, beside its Core definition: what the
/// client should send next, and how a typed code becomes the kind's input.
/// </summary>
public interface IFlowKind
{
    string Kind { get; }

    /// <summary>The name of the kind's Durable orchestrator (one of <see cref="Durable.DurableTasks.Orchestrators"/>).</summary>
    string Orchestrator { get; }

    /// <summary>The input the client should POST next (<c>code</c>, <c>password</c>, ...), <c>wait</c>, or null when finished.</summary>
    string? NextStep(Flow flow);

    /// <summary>The input for <c>POST /api/flows/{id}/code</c>.</summary>
    Task<FlowInput> CodeInputAsync(Flow flow, string code, CancellationToken cancellationToken) =>
        Task.FromResult<FlowInput>(new SubmitCode(code));

    /// <summary>
    /// The input for <c>POST /api/flows/{id}/password</c> (the policy was checked already). By default the
    /// password is hashed only when the flow waits for one; otherwise the flow refuses the input before
    /// looking at the hash.
    /// </summary>
    async Task<FlowInput> PasswordInputAsync(Flow flow, string password, PasswordWork passwords, CancellationToken cancellationToken)
    {
        var wanted = NextStep(flow) == FlowNextSteps.Password;
        return new SetPassword(password, wanted ? await passwords.HashAsync(password, cancellationToken) : string.Empty);
    }

    /// <summary>
    /// Whether <c>destination</c> may show where <paramref name="challenge"/>'s code went. Sign-in-page kinds whose
    /// code goes to an address the user did not type say no: showing it would reveal the account.
    /// </summary>
    bool ShowsDestination(Flow flow, Challenge challenge) => true;

    /// <summary>
    /// True for a kind whose code issues a session (<c>verify_device</c>): it is posted to the endpoint that answers the
    /// session, and <c>POST /api/flows/{id}/code</c> refuses it with <c>invalid_state</c>.
    /// </summary>
    bool IssuesSession => false;

    /// <summary>Questions to show with the flow (security-question recovery), else null.</summary>
    IReadOnlyList<QuestionView>? Questions(Flow flow) => null;
}

/// <summary>A security question shown in a flow: answer it by <paramref name="Id"/>.</summary>
public sealed record QuestionView(string Id, string Question);
