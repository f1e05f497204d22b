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
    /// <remarks>
    /// The Azure Storage backend can fire a timer up to a second early (queue visibility is in whole seconds); a
    /// timer that fires before the deadline is set again for the rest, so the flow never gives up on a confirmation
    /// the HTTP function (which checks the stored deadline) still accepts. Both waits are cancelled once one wins, so
    /// a later wait for the same event in the same flow gets the next event, not this one.
    /// </remarks>
    public static async Task<Confirmation<T>> WaitForConfirmationAsync<T>(
        this TaskOrchestrationContext context, string eventName, DateTime deadlineUtc)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var cancel = new CancellationTokenSource();
        var confirmation = context.WaitForExternalEvent<T>(eventName, cancel.Token);
        while (context.CurrentUtcDateTime < deadlineUtc)
        {
            var timer = context.CreateTimer(deadlineUtc, cancel.Token);
            if (await Task.WhenAny(confirmation, timer) == confirmation)
            {
                cancel.Cancel();
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

/// <summary>What <see cref="ConfirmationWait.WaitForConfirmationAsync{T}"/> ended with.</summary>
public sealed record Confirmation<T>(bool IsConfirmed, T? Value)
{
    public static Confirmation<T> TimedOut { get; } = new(false, default);

    public static Confirmation<T> Received(T value) => new(true, value);
}
