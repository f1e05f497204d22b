using System.Collections.Concurrent;

namespace Rebind.Functions.Flows;

/// <summary>
/// Tells a request waiting on its flow's orchestration (<see cref="FlowInputs"/>) that an activity in this process has
/// just moved the flow's row (a code sent, an effect applied with its notices), so it reads the row once, then, instead
/// of polling storage. An activity that ran on another instance is seen by the waiting request's slower fallback read.
/// </summary>
public sealed class FlowSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> next = new(StringComparer.Ordinal);

    /// <summary>Completes at the next <see cref="Signal"/> for <paramref name="flowId"/> (take it before reading the row).</summary>
    public Task NextAsync(string flowId) =>
        next.GetOrAdd(flowId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Drops the flow's pending signal once nobody waits for it any more (a waiter on the same flow then reads
    /// on its fallback schedule), so flows whose activities ran elsewhere leave nothing behind.</summary>
    public void Forget(string flowId) => next.TryRemove(flowId, out _);

    public void Signal(string flowId)
    {
        if (next.TryRemove(flowId, out var waiting))
        {
            waiting.TrySetResult();
        }
    }
}
