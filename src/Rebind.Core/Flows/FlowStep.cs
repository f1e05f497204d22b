namespace Rebind.Core.Flows;

/// <summary>
/// The result of a transition that changed the flow: persist <see cref="Flow"/> together with
/// <see cref="Effects"/> (one transaction), then answer. When <see cref="Error"/> is set the change is a
/// recorded failure (a wrong code counted, the flow expired or failed): persist it anyway, then answer with
/// the error. A transition that changed nothing returns a failed <see cref="Result{T}"/> instead.
/// </summary>
public sealed record FlowStep(Flow Flow, IReadOnlyList<FlowEffect> Effects)
{
    public Error? Error { get; init; }

    public static FlowStep Of(Flow flow, params FlowEffect[] effects) => new(flow, effects);

    public static FlowStep Failed(Flow flow, Error error) => new(flow, []) { Error = error };
}
