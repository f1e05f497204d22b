namespace Rebind.Core.Messaging;

/// <summary>Delivers one message. Implementations never throw for provider failures: they return an outcome.</summary>
public interface IMessageSender
{
    Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken = default);
}
