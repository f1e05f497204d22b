using Rebind.Azure.Flows;
using Rebind.Core.Messaging;

namespace Rebind.Functions.Flows;

/// <summary>
/// Delivers a notice's outbox row through <see cref="IMessageSender"/> and records the attempt on the row: delivered,
/// pending (the flow's <c>SendNotices</c> activity retries it), or failed (a permanent error, or attempts exhausted).
/// The idempotency key travels with every attempt.
/// </summary>
public sealed class OutboxDispatcher(TableFlowStore store, IMessageSender sender, FlowOptions options, TimeProvider time, ILogger<OutboxDispatcher> logger)
{
    /// <summary>One attempt; returns the entry as recorded.</summary>
    public async Task<OutboxEntry> AttemptAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        SendOutcome outcome;
        try
        {
            outcome = await sender.SendAsync(entry.Message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            outcome = SendOutcome.Transient("sender error: " + e.GetType().Name);
        }

        var now = time.GetUtcNow();
        var attempts = entry.Attempts + 1;
        var recorded = outcome.Status switch
        {
            SendStatus.Delivered => entry with { Status = OutboxStatus.Delivered, Attempts = attempts, DeliveredAt = now, ProviderMessageId = outcome.ProviderMessageId, NextAttemptAt = null },
            SendStatus.Transient when attempts < options.OutboxMaxAttempts => entry with
            {
                Status = OutboxStatus.Pending,
                Attempts = attempts,
                LastError = outcome.Detail,
            },
            _ => entry with { Status = OutboxStatus.Failed, Attempts = attempts, LastError = outcome.Detail, NextAttemptAt = null },
        };
        if (recorded.Status == OutboxStatus.Failed)
        {
            logger.LogError("Message {MessageKey} ({Kind}) failed for good after {Attempts} attempts: {Detail}",
                entry.Message.IdempotencyKey, entry.Message.Kind, attempts, outcome.Detail);
        }
        await store.UpdateOutboxAsync(recorded, cancellationToken);
        return recorded;
    }
}
