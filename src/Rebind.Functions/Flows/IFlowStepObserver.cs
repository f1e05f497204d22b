using Rebind.Core.Flows;

namespace Rebind.Functions.Flows;

/// <summary>
/// Sees every step <see cref="FlowInputs"/> has committed (start, input, effect outcome, cleanup), before its
/// messages and effects run. Best effort: a failure is logged, never answered.
/// </summary>
public interface IFlowStepObserver
{
    /// <param name="before">The flow before the step; null when the step started it.</param>
    Task OnStepAsync(Flow? before, FlowStep step, CancellationToken cancellationToken);
}
