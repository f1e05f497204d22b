namespace Rebind.Core.Flows;

/// <summary>Dispatch by kind, for the integrator's single "apply input to stored flow" path.</summary>
public sealed class FlowRegistry
{
    private readonly Dictionary<string, IFlowDefinition> definitions;

    public FlowRegistry(IEnumerable<IFlowDefinition> definitions)
    {
        this.definitions = new Dictionary<string, IFlowDefinition>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            if (!this.definitions.TryAdd(definition.Kind, definition))
            {
                throw new ArgumentException($"Two definitions for flow kind '{definition.Kind}'.", nameof(definitions));
            }
        }
    }

    public IReadOnlyCollection<string> Kinds => definitions.Keys;

    public bool TryGet(string kind, out IFlowDefinition definition) => definitions.TryGetValue(kind, out definition!);

    /// <summary>True while <paramref name="flow"/> waits for the outcome of a domain effect.</summary>
    public bool AwaitsEffect(Flow flow) => TryGet(flow.Kind, out var definition) && definition.AwaitsEffect(flow);

    /// <summary>Applies <paramref name="input"/> with the flow's definition; <c>flow_not_found</c> for an unknown kind.</summary>
    public Result<FlowStep> Apply(Flow flow, FlowInput input, DateTimeOffset now) =>
        TryGet(flow.Kind, out var definition) ? definition.Apply(flow, input, now) : FlowErrors.FlowNotFound();

    /// <summary>Starts a flow of <paramref name="kind"/>; <c>flow_not_found</c> for an unknown kind.</summary>
    public Result<FlowStep> Start(string kind, FlowStart request, DateTimeOffset now) =>
        TryGet(kind, out var definition) ? definition.Start(request, now) : FlowErrors.FlowNotFound();
}
