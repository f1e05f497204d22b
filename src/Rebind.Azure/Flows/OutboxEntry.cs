using Azure;
using Rebind.Core.Messaging;

namespace Rebind.Azure.Flows;

/// <summary>Delivery state of one outbox row.</summary>
public static class OutboxStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";

    /// <summary>Permanent provider failure, or retries exhausted: visible, never retried.</summary>
    public const string Failed = "failed";
}

/// <summary>One message in a flow's outbox (same partition as the flow row).</summary>
public sealed record OutboxEntry(
    string FlowId,
    OutboundMessage Message,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    DateTimeOffset? DeliveredAt,
    string? ProviderMessageId,
    ETag ETag);
