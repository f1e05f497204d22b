namespace Rebind.Functions.Flows;

/// <summary>The registered <see cref="IFlowKind"/>s by kind name.</summary>
public sealed class FlowKinds(IEnumerable<IFlowKind> kinds)
{
    private readonly Dictionary<string, IFlowKind> byKind = kinds.ToDictionary(k => k.Kind, StringComparer.Ordinal);

    public IFlowKind? For(string kind) => byKind.GetValueOrDefault(kind);
}
