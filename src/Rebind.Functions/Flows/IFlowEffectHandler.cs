using Rebind.Core.Flows;

namespace Rebind.Functions.Flows;

/// <summary>
/// Carries out one kind of domain effect (<see cref="EffectType"/>) and says how it went, as the input to feed
/// back to the flow. Must be idempotent: after a crash the cleanup's <see cref="Resume"/> re-emits the same effect
/// and it runs again.
/// </summary>
public interface IFlowEffectHandler
{
    Type EffectType { get; }

    Task<FlowInput> HandleAsync(FlowEffect effect, Flow flow, CancellationToken cancellationToken);
}

/// <summary>Typed base for <see cref="IFlowEffectHandler"/>.</summary>
public abstract class FlowEffectHandler<TEffect> : IFlowEffectHandler where TEffect : FlowEffect
{
    public Type EffectType => typeof(TEffect);

    public Task<FlowInput> HandleAsync(FlowEffect effect, Flow flow, CancellationToken cancellationToken) =>
        HandleAsync((TEffect)effect, flow, cancellationToken);

    protected abstract Task<FlowInput> HandleAsync(TEffect effect, Flow flow, CancellationToken cancellationToken);
}
