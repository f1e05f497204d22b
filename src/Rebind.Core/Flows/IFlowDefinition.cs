namespace Rebind.Core.Flows;

/// <summary>
/// One flow kind's state machine. Transitions are functions of (flow, input, now): no clock, no I/O. (They
/// draw randomness for codes and ids from the CSPRNG, which tests observe through the effects.)
/// </summary>
public interface IFlowDefinition
{
    string Kind { get; }

    /// <summary>Starts a flow from a kind-specific request (e.g. <c>SignUpStart</c>).</summary>
    Result<FlowStep> Start(FlowStart request, DateTimeOffset now);

    /// <summary>Applies <paramref name="input"/>; see <see cref="FlowStep"/> for how to read the result.</summary>
    Result<FlowStep> Apply(Flow flow, FlowInput input, DateTimeOffset now);

    /// <summary>True while <paramref name="flow"/> waits for the outcome of a domain effect (e.g. <c>creating_account</c>).</summary>
    bool AwaitsEffect(Flow flow) => false;
}

/// <summary>A request to start a flow; each kind derives its own.</summary>
/// <param name="Culture">From the start request; normalized to <c>zh-CN</c> or <c>en</c>.</param>
/// <param name="AccountId">The signed-in caller, for flows that need one; null from the sign-in page.</param>
public abstract record FlowStart(string Culture, string? AccountId = null);
