using Microsoft.DurableTask;

namespace Rebind.Functions.Durable;

/// <summary>
/// The wait every flow makes for a person: a confirmation event (sent by an HTTP function once the code or answer
/// checked out) raced against a durable timer set to the step's deadline.
/// </summary>
public static class ConfirmationWait
{
    /// <summary>
    /// Waits for <paramref name="eventName"/> until <paramref name="deadlineUtc"/> (orchestration time). The event's
    /// payload must carry no secret: it is stored in the orchestration's history.
    /// </summary>
    /// <returns>The event when it came first, else <see cref="Confirmation{T}.TimedOut"/>.</returns>
    public static async Task<Confirmation<T>> WaitForConfirmationAsync<T>(
        this TaskOrchestrationContext context, string eventName, DateTime deadlineUtc)
    {
        var timer = new DeadlineTimer(context);
        try
        {
            return await context.WaitForConfirmationAsync<T>(eventName, timer, deadlineUtc);
        }
        finally
        {
            timer.Cancel();
        }
    }

    /// <summary>
    /// Waits for <paramref name="eventName"/> until <paramref name="deadlineUtc"/>, on <paramref name="timer"/>: the
    /// waits of one orchestration share one durable timer for as long as their deadline is the same.
    /// </summary>
    /// <remarks>
    /// The Azure Storage backend can fire a timer up to a second early (queue visibility is in whole seconds); a
    /// timer that fires before the deadline is set again for the rest, so the flow never gives up on a confirmation
    /// the HTTP function (which checks the stored deadline) still accepts. The event's wait is cancelled once the
    /// timer wins, so a later wait for the same event in the same flow gets the next event, not this one.
    /// </remarks>
    public static async Task<Confirmation<T>> WaitForConfirmationAsync<T>(
        this TaskOrchestrationContext context, string eventName, DeadlineTimer timer, DateTime deadlineUtc)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(timer);
        using var cancel = new CancellationTokenSource();
        var confirmation = context.WaitForExternalEvent<T>(eventName, cancel.Token);
        while (context.CurrentUtcDateTime < deadlineUtc)
        {
            if (await Task.WhenAny(confirmation, timer.At(deadlineUtc)) == confirmation)
            {
                return Confirmation<T>.Received(await confirmation);
            }
        }
        // A confirmation raised in the same batch as the timer firing is already in hand: take it.
        if (confirmation.IsCompletedSuccessfully)
        {
            return Confirmation<T>.Received(confirmation.Result);
        }
        cancel.Cancel();
        return Confirmation<T>.TimedOut;
    }
}

/// <summary>
/// One durable timer for the successive waits of an orchestration with the same deadline. On the Azure Storage
/// backend a timer is a queue message that stays in the control queue, invisible, until it fires, whether or not the
/// wait that set it is over: a flow that set a new timer for each wait (each code, each resend) left one message per
/// step behind. Each of them is dequeued, looked up and deleted when it fires (storage transactions for nothing once
/// the flow is over), and in Azurite every dequeue slows with the messages a queue holds. A new timer is set only when
/// the deadline moves (a cool-off) or the last one fired early.
/// </summary>
public sealed class DeadlineTimer(TaskOrchestrationContext context)
{
    private Task? timer;
    private CancellationTokenSource? cancel;
    private DateTime fireAt;

    /// <summary>The timer for <paramref name="deadlineUtc"/>: the pending one when it is for the same time.</summary>
    public Task At(DateTime deadlineUtc)
    {
        if (timer is null || timer.IsCompleted || fireAt != deadlineUtc)
        {
            Cancel();
            cancel = new CancellationTokenSource();
            timer = context.CreateTimer(deadlineUtc, cancel.Token);
            fireAt = deadlineUtc;
        }
        return timer;
    }

    /// <summary>
    /// Cancels the pending timer, if any: an orchestration does not complete while a timer it set is pending and not
    /// cancelled. The message stays in the queue either way.
    /// </summary>
    public void Cancel()
    {
        cancel?.Cancel();
        cancel?.Dispose();
        cancel = null;
        timer = null;
    }
}

/// <summary>What <see cref="ConfirmationWait.WaitForConfirmationAsync{T}(TaskOrchestrationContext, string, DeadlineTimer, DateTime)"/> ended with.</summary>
public sealed record Confirmation<T>(bool IsConfirmed, T? Value)
{
    public static Confirmation<T> TimedOut { get; } = new(false, default);

    public static Confirmation<T> Received(T value) => new(true, value);
}
