using Rebind.Core.Messaging;

namespace Rebind.Azure.Messaging;

/// <summary>Routes each message to the SMS or email sender by its <see cref="OutboundMessage.Channel"/>.</summary>
public sealed class AcsMessageSender(AcsSmsSender sms, AcsEmailSender email) : IMessageSender
{
    /// <inheritdoc />
    public Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Channel switch
        {
            Channel.Sms => sms.SendAsync(message, cancellationToken),
            Channel.Email => email.SendAsync(message, cancellationToken),
            _ => Task.FromResult(SendOutcome.Permanent($"unknown channel {message.Channel}")),
        };
    }
}
