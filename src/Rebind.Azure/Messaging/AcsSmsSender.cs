using Azure;
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
        RenderedMessage rendered;
        try
        {
            rendered = MessageTemplates.Render(message);
        }
        catch (ArgumentException e)
        {
            logger.LogError("SMS {Kind} {MessageKey} to {To} cannot be rendered: {Reason}", message.Kind, message.IdempotencyKey, to, e.Message);
            return SendOutcome.Permanent("template: " + e.Message);
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
        catch (RequestFailedException e)
        {
            outcome = AcsOutcomes.FromException(e);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is RequestFailedException or IOException or OperationCanceledException))
        {
            // Azure.Core's retry policy gives up with every attempt's exception: nothing answered.
            outcome = SendOutcome.Transient("acs unreachable after retries");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = SendOutcome.Transient("acs timed out");
        }

        Log(logger, "SMS", message, to, outcome);
        return outcome;
    }

    internal static void Log(ILogger logger, string channel, OutboundMessage message, string maskedTo, SendOutcome outcome)
    {
        var level = outcome.Status switch
        {
            SendStatus.Delivered => LogLevel.Information,
            SendStatus.Transient => LogLevel.Warning,
            _ => LogLevel.Error,
        };
        logger.Log(level, "{Channel} {Kind} {MessageKey} to {To}: {Outcome} {ProviderMessageId} {Detail}",
            channel, message.Kind, message.IdempotencyKey, maskedTo, outcome.Status, outcome.ProviderMessageId, outcome.Detail);
    }
}
