using Rebind.Azure.Flows;
using Rebind.Core.Messaging;

namespace Rebind.Functions.Flows;

/// <summary>
/// Delivers outbox messages through <see cref="IMessageSender"/> and records each attempt on the outbox row:
/// delivered, pending with the next attempt time (exponential backoff, at least the provider's Retry-After), or
/// failed (permanent error, or attempts exhausted). The idempotency key travels with every attempt.
/// </summary>
public sealed class OutboxDispatcher(TableFlowStore store, IMessageSender sender, FlowOptions options, TimeProvider time, ILogger<OutboxDispatcher> logger)
{
    /// <summary>First attempt right after the commit; failures are left to the cleanup.</summary>
    public async Task DispatchNewAsync(string flowId, IEnumerable<OutboundMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            try
            {
                await AttemptAsync(new OutboxEntry(flowId, message, OutboxStatus.Pending, 0, null, null, null, null, default), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The row is committed and its due row exists: the cleanup will deliver it.
                logger.LogWarning(e, "Immediate delivery of {MessageKey} failed; the cleanup retries it", message.IdempotencyKey);
            }
        }
    }

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
                NextAttemptAt = now + options.Backoff(attempts, outcome.RetryAfter),
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
