namespace Rebind.Core.Messaging;

public enum SendStatus
{
    /// <summary>Accepted by the provider (or stored in the development inbox).</summary>
    Delivered,

    /// <summary>Worth retrying later (throttled, provider fault, network).</summary>
    Transient,

    /// <summary>Will never succeed (invalid number, rejected request): recorded as failed, not retried.</summary>
    Permanent,
}

/// <param name="Detail">Short reason for logs and the outbox row; never contains the message text or code.</param>
/// <param name="RetryAfter">Provider's hint for transient failures, when it gave one.</param>
public sealed record SendOutcome(SendStatus Status, string? ProviderMessageId = null, string? Detail = null, TimeSpan? RetryAfter = null)
{
    public static SendOutcome Delivered(string? providerMessageId = null) => new(SendStatus.Delivered, providerMessageId);

    public static SendOutcome Transient(string detail, TimeSpan? retryAfter = null) => new(SendStatus.Transient, null, detail, retryAfter);

    public static SendOutcome Permanent(string detail) => new(SendStatus.Permanent, null, detail);
}
