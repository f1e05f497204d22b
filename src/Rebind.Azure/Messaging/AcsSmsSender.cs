using Microsoft.Extensions.Logging;
using Rebind.Azure.Communication.Sms;
using Rebind.Core.Messaging;

namespace Rebind.Azure.Messaging;

/// <summary>
/// Sends <see cref="Channel.Sms"/> messages through ACS. The message's <see cref="OutboundMessage.IdempotencyKey"/>
/// and <see cref="OutboundMessage.CreatedAt"/> are the repeatability id and first-sent time, so every attempt
/// of one outbox row is one SMS at most. Logs kind, key, masked number and outcome; never the text or values.
/// </summary>
public sealed class AcsSmsSender(SmsClient client, AcsOptions options, ILogger<AcsSmsSender> logger) : IMessageSender
{
    /// <inheritdoc />
    public async Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Channel != Channel.Sms)
        {
            return SendOutcome.Permanent($"channel {message.Channel} is not SMS");
        }

        var to = Mask.Phone(message.To);
        if (!AcsOutcomes.TryRender(message, logger, "SMS", to, out var rendered, out var unrenderable))
        {
            return unrenderable;
        }

        SendOutcome outcome;
        try
        {
            var recipient = new SmsRecipient(message.To, message.IdempotencyKey, message.CreatedAt);
            var result = (await client.SendAsync(options.SmsFrom, recipient, rendered.Text, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            outcome = result.Successful
                ? SendOutcome.Delivered(result.MessageId)
                : AcsOutcomes.IsTransient(result.HttpStatusCode)
                    ? SendOutcome.Transient($"acs recipient {result.HttpStatusCode}")
                    : SendOutcome.Permanent($"acs recipient {result.HttpStatusCode} {result.RepeatabilityResult}".TrimEnd());
        }
        catch (Exception e) when (AcsOutcomes.FromFailure(e, cancellationToken) is { } failed)
        {
            outcome = failed;
        }

        AcsOutcomes.Log(logger, "SMS", message, to, outcome);
        return outcome;
    }
}
