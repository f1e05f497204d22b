using Rebind.Core.Flows;

namespace Rebind.Functions.Flows;

/// <summary>
/// What the generic flow endpoints need to know about one flow kind, beside its Core definition: what the
/// client should send next, and how a typed code becomes the kind's input.
/// </summary>
public interface IFlowKind
{
    string Kind { get; }

    /// <summary>The input the client should POST next (<c>code</c>, <c>password</c>, ...), <c>wait</c>, or null when finished.</summary>
    string? NextStep(Flow flow);

    /// <summary>The input for <c>POST /api/flows/{id}/code</c>.</summary>
    Task<FlowInput> CodeInputAsync(Flow flow, string code, CancellationToken cancellationToken) =>
        Task.FromResult<FlowInput>(new SubmitCode(code));
}
