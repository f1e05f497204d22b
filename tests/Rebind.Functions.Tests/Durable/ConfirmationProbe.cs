using Microsoft.DurableTask;
using Rebind.Functions.Durable;

namespace Rebind.Functions.Tests.Durable;

/// <summary>The smallest flow: wait for a confirmation until a deadline set from the input, then say what happened.</summary>
public sealed class ConfirmationProbe : TaskOrchestrator<ConfirmationProbeInput, ConfirmationProbeOutcome>
{
    public const string EventName = "Confirmed";
    public const string Waiting = "awaiting-confirmation";

    public override async Task<ConfirmationProbeOutcome> RunAsync(TaskOrchestrationContext context, ConfirmationProbeInput input)
    {
        var deadline = context.CurrentUtcDateTime.AddSeconds(input.TimeoutSeconds);
        context.SetCustomStatus(new ConfirmationProbeStatus(Waiting, deadline));
        var confirmation = await context.WaitForConfirmationAsync<ConfirmationProbeEvent>(EventName, deadline);
        return confirmation.IsConfirmed
            ? new ConfirmationProbeOutcome("confirmed", confirmation.Value!.Step, deadline, context.CurrentUtcDateTime)
            : new ConfirmationProbeOutcome("timed-out", null, deadline, context.CurrentUtcDateTime);
    }
}

public sealed record ConfirmationProbeInput(int TimeoutSeconds);

public sealed record ConfirmationProbeEvent(string Step);

public sealed record ConfirmationProbeStatus(string State, DateTime Deadline);

/// <param name="EndedAt">Orchestration time when the wait ended.</param>
public sealed record ConfirmationProbeOutcome(string Result, string? Step, DateTime Deadline, DateTime EndedAt);
