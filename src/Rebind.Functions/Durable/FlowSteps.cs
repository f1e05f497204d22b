using Microsoft.DurableTask;
using Rebind.Core.Flows;

namespace Rebind.Functions.Durable;

/// <summary>
/// The steps every flow orchestrator is written with. The flow's Table row stays the one place what a person typed is
/// checked (by the HTTP functions, synchronously, with its ETag); the orchestration owns what happens between and
/// after: sending each code, the deadline (a durable timer), applying the change, and ending. It publishes the row's
/// state as its custom status.
/// </summary>
public sealed class FlowSteps
{
    /// <summary>The event the HTTP functions raise after committing a step (<see cref="FlowMoved"/>).</summary>
    public const string MovedEvent = "flow-moved";

    /// <summary>Retries of an activity: storage or the provider away for a few seconds must not end the flow.</summary>
    public static readonly TaskOptions Retries = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 6, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(30)));

    private readonly TaskOrchestrationContext context;
    private readonly string? startCodeStep;
    private readonly DeadlineTimer timer;
    private DateTime deadline;

    public FlowSteps(TaskOrchestrationContext context, FlowRef flow)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(flow);
        this.context = context;
        timer = new DeadlineTimer(context);
        FlowId = flow.FlowId;
        deadline = flow.Deadline.UtcDateTime;
        startCodeStep = flow.StartCodeStep;
        State = flow.StartState ?? State;
    }

    public string FlowId { get; }

    /// <summary>The row's state as the orchestration last heard it.</summary>
    public string State { get; private set; } = "started";

    /// <summary>The error code the flow ended with, once it has.</summary>
    public string? Outcome { get; private set; }

    public bool Ended => FlowStates.IsTerminal(State);

    /// <summary>
    /// Sends send <paramref name="send"/> of <paramref name="step"/>'s code: the activity builds the message from the
    /// challenge in the row (the code is derived from the key ring, never passed here) with an idempotency key of its
    /// own, so a retried or replayed send is the same message. Nothing goes out for a pretend or held-back code.
    /// </summary>
    /// <returns>False when the send was superseded, or failed through every retry: the flow goes on (the person can ask
    /// for a new code), and the activity's failure is in the history.</returns>
    public async Task<bool> SendCodeAsync(string step, int send = 1)
    {
        try
        {
            return await context.CallActivityAsync<bool>(FlowActivities.SendCode, new CodeSendRef(FlowId, step, send), Retries);
        }
        catch (TaskFailedException)
        {
            return false;
        }
    }

    /// <summary>Sends the code the flow's start issued (see <see cref="SendCodeAsync"/>); nothing for a kind that starts without one.</summary>
    public async Task SendStartCodeAsync()
    {
        if (startCodeStep is not null)
        {
            await SendCodeAsync(startCodeStep);
        }
        // Published once the send is in the history: from here the orchestration only waits.
        context.SetCustomStatus(State);
    }

    /// <summary>
    /// Waits until the row is in one of <paramref name="states"/> or has ended, sending every code a resend issues on
    /// the way. At the flow's deadline it asks the row to expire (the stored deadline decides: the backend's timers can
    /// fire a little early), and goes on waiting if the row says it is not over.
    /// </summary>
    public async Task<string> WaitUntilAsync(params string[] states)
    {
        while (!Ended && !states.Contains(State))
        {
            var moved = await context.WaitForConfirmationAsync<FlowMoved>(MovedEvent, timer, deadline);
            if (!moved.IsConfirmed)
            {
                await HeardAsync(await context.CallActivityAsync<FlowState>(FlowActivities.ExpireFlow, FlowId, Retries));
                if (!Ended && !states.Contains(State))
                {
                    // Not over by the row's clock yet: look again a second later at the earliest.
                    var soonest = context.CurrentUtcDateTime.AddSeconds(1);
                    deadline = deadline > soonest ? deadline : soonest;
                }
                continue;
            }

            var input = moved.Value!;
            // A step that moved the deadline (a cool-off) moves the timer; the row stays the judge of it.
            deadline = input.Deadline.UtcDateTime;
            if (input.CodeStep is { } step)
            {
                await SendCodeAsync(step, input.CodeSend);
            }
            if (input.Notices > 0)
            {
                await SendNoticesAsync();
            }
            if (FlowStates.IsTerminal(input.State) || states.Contains(input.State))
            {
                Heard(input.State, outcome: null);
            }
        }
        return State;
    }

    /// <summary>
    /// The shared "new phone or email" step: waits until the person gives the new contact (the HTTP function issued its
    /// code; the resend loop sends it) and then until that code is confirmed, i.e. the row is in one of
    /// <paramref name="then"/> or has ended.
    /// </summary>
    /// <param name="awaitingItsCode">The state in which the row waits for the new contact's code.</param>
    public async Task<string> NewContactAsync(string awaitingItsCode, params string[] then)
    {
        await WaitUntilAsync([awaitingItsCode, .. then]);
        return await WaitUntilAsync(then);
    }

    /// <summary>Runs the change the row waits for (an idempotent activity: the same handlers whatever the retry) and
    /// records its outcome in the row.</summary>
    public async Task<string> ApplyAsync()
    {
        await HeardAsync(await context.CallActivityAsync<FlowState>(FlowActivities.ApplyEffect, FlowId, Retries));
        return State;
    }

    /// <summary>
    /// How every flow ends: the change the row waits for (<see cref="ApplyAsync"/>) unless the flow ended on the way
    /// (expired, cancelled, failed), then the end (<see cref="EndAsync"/>).
    /// </summary>
    public async Task<FlowEnd> ApplyAndEndAsync()
    {
        if (!Ended)
        {
            await ApplyAsync();
        }
        return await EndAsync();
    }

    /// <summary>
    /// Sends the notices a step queued in the flow's outbox rows (the activity reads them there: a notice can carry a
    /// one-time link, which must not enter this history), retried like every activity with the same idempotency key.
    /// </summary>
    /// <returns>False when some were still not taken after every retry (their rows say so); the flow goes on.</returns>
    public async Task<bool> SendNoticesAsync()
    {
        try
        {
            await context.CallActivityAsync<int>(FlowActivities.SendNotices, FlowId, Retries);
            return true;
        }
        catch (TaskFailedException)
        {
            return false;
        }
    }

    /// <summary>What an activity that moved the row reports; the notices it could not send at once are sent now.</summary>
    private async Task HeardAsync(FlowState state)
    {
        Heard(state);
        if (state.PendingNotices > 0)
        {
            await SendNoticesAsync();
        }
    }

    /// <summary>The orchestration's result: the row's terminal state and outcome (read once more if only an event told it).</summary>
    public async Task<FlowEnd> EndAsync()
    {
        if (Outcome is null && State != FlowStates.Completed)
        {
            Heard(await context.CallActivityAsync<FlowState>(FlowActivities.ReadFlow, FlowId, Retries));
        }
        // The orchestration completes only once no timer it set is pending.
        timer.Cancel();
        return new FlowEnd(State, Outcome);
    }

    private void Heard(FlowState state)
    {
        deadline = state.Deadline.UtcDateTime;
        Heard(state.State, state.Outcome);
    }

    private void Heard(string state, string? outcome)
    {
        if (state != State)
        {
            State = state;
            context.SetCustomStatus(state);
        }
        Outcome = outcome ?? Outcome;
    }
}
