using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Rebind.Core.Flows;

namespace Rebind.Functions.Durable;

/// <summary>
/// How the HTTP functions reach a flow's orchestration: start it (instance id <see cref="FlowIds.InstanceId"/>, one per
/// flow) and tell it that the flow's row moved. Both carry ids, names and states only, never what a person typed.
/// </summary>
public interface IFlowOrchestrations
{
    Task StartAsync(string orchestrator, Flow flow, CancellationToken cancellationToken);

    Task RaiseAsync(string flowId, FlowMoved moved, CancellationToken cancellationToken);
}

/// <summary>Over a <see cref="DurableTaskClient"/>: the local host's (from DI), or the one the Functions host binds to a call.</summary>
public sealed class DurableFlowOrchestrations(Func<DurableTaskClient> client) : IFlowOrchestrations
{
    public Task StartAsync(string orchestrator, Flow flow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flow);
        // A new flow holds at most the challenge its start issued.
        var code = flow.Challenges.FirstOrDefault();
        return client().ScheduleNewOrchestrationInstanceAsync(
            orchestrator, new FlowRef(flow.Id, flow.Deadline, code?.Step, flow.State), new StartOrchestrationOptions(FlowIds.InstanceId(flow.Id)), cancellationToken);
    }

    public Task RaiseAsync(string flowId, FlowMoved moved, CancellationToken cancellationToken) =>
        client().RaiseEventAsync(FlowIds.InstanceId(flowId), FlowSteps.MovedEvent, moved, cancellationToken);
}

/// <summary>
/// An orchestration's input: its flow, the flow's deadline when it started, and the step whose code the start issued
/// (none for a kind that starts with questions). The flow id sits in the task hub's history as it sits in the flow's
/// own row (the same storage account); it never reaches a log line.
/// </summary>
public sealed record FlowRef(string FlowId, DateTimeOffset Deadline, string? StartCodeStep = null, string? StartState = null);

/// <summary>
/// The event an HTTP function raises after it committed a step to the flow's row: the input it applied, the state the
/// row is now in, its deadline (a cool-off moves it), the code the step issued (a resend, a new contact's code), if
/// any, and how many notices it queued in the flow's outbox rows, for the orchestration to send.
/// </summary>
public sealed record FlowMoved(string Input, string State, DateTimeOffset Deadline, string? CodeStep = null, int CodeSend = 0, int Notices = 0);

/// <summary>What an orchestration ends with: the flow's terminal state and the error code that ended it, if any.</summary>
public sealed record FlowEnd(string State, string? Outcome);

/// <summary>The flow's row as an activity found or left it (no secrets: a state, a deadline, an outcome code), and how
/// many of its notices are still to send (the activity tried once; <see cref="FlowActivities.SendNotices"/> retries).</summary>
public sealed record FlowState(string State, DateTimeOffset Deadline, string? Outcome, int PendingNotices = 0)
{
    public bool IsTerminal => FlowStates.IsTerminal(State);

    public static FlowState Of(Flow flow, int pendingNotices = 0) => new(flow.State, flow.Deadline, flow.Outcome, pendingNotices);
}

/// <summary>One send of a step's code, as the orchestration asks for it.</summary>
public sealed record CodeSendRef(string FlowId, string Step, int Send);
