using System.Diagnostics.Metrics;

namespace Rebind.Functions.Flows;

/// <summary>
/// How long a request waited for its flow's orchestration to make the next move after it raised the event (metric
/// <c>rebind.flows.orchestration_wait</c>, milliseconds; tags <c>move</c> = <c>code_sent</c> | <c>effect_applied</c>,
/// <c>outcome</c> = <c>moved</c> | <c>timed_out</c>): the event → next-state latency an operator watches.
/// </summary>
public sealed class OrchestrationWaitMetrics(IMeterFactory meters)
{
    public const string OrchestrationWait = "rebind.flows.orchestration_wait";

    private readonly Histogram<double> waits = meters.Create(PasswordStepMetrics.MeterName).CreateHistogram<double>(OrchestrationWait, "ms");

    public void Waited(bool effect, bool moved, TimeSpan took) =>
        waits.Record(took.TotalMilliseconds, new("move", effect ? "effect_applied" : "code_sent"), new("outcome", moved ? "moved" : "timed_out"));
}
