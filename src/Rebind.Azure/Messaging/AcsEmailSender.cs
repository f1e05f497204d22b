using Azure;
using Microsoft.Extensions.Logging;
using Rebind.Azure.Communication.Email;
using Rebind.Core.Messaging;

namespace Rebind.Azure.Messaging;

/// <summary>
/// Sends <see cref="Channel.Email"/> messages through ACS with <c>Operation-Id</c> =
/// <see cref="OutboundMessage.IdempotencyKey"/>, then polls the operation for at most
/// <see cref="AcsOptions.EmailMaxWait"/>: Succeeded is delivered, Failed or Canceled is permanent, still running is
/// transient (the outbox tries again later under the same operation id, which is safe).
/// Logs kind, key, masked address and outcome; never the text or values.
/// </summary>
public sealed class AcsEmailSender(EmailClient client, AcsOptions options, ILogger<AcsEmailSender> logger, TimeProvider? timeProvider = null) : IMessageSender
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public async Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Channel != Channel.Email)
        {
            return SendOutcome.Permanent($"channel {message.Channel} is not email");
        }

        var to = Mask.Email(message.To);
        if (!AcsOutcomes.TryRender(message, logger, "Email", to, out var rendered, out var unrenderable))
        {
            return unrenderable;
        }

        var email = new EmailMessage(options.EmailFrom, message.To, new EmailContent(rendered.Subject) { PlainText = rendered.Text, Html = rendered.Html })
        {
            // Security mail carries no tracking links.
            UserEngagementTrackingDisabled = true,
        };

        EmailSendOperation? operation = null;
        SendOutcome outcome;
        try
        {
            operation = await client.SendAsync(WaitUntil.Started, email, message.IdempotencyKey, cancellationToken).ConfigureAwait(false);
            var deadline = time.GetUtcNow() + options.EmailMaxWait;
            while (!operation.HasCompleted && time.GetUtcNow() < deadline)
            {
                await Task.Delay(options.EmailPollInterval, time, cancellationToken).ConfigureAwait(false);
                await operation.UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
            }

            outcome = !operation.HasCompleted
                ? SendOutcome.Transient($"email operation still {operation.LastStatus}", options.EmailPollInterval)
                : operation.HasValue
                    ? SendOutcome.Delivered(operation.Id)
                    : SendOutcome.Permanent($"email operation {operation.LastStatus}");
        }
        catch (RequestFailedException e) when (operation is { HasCompleted: true })
        {
            outcome = SendOutcome.Permanent($"email operation {operation.LastStatus} {e.ErrorCode}".TrimEnd());
        }
        catch (Exception e) when (AcsOutcomes.FromFailure(e, cancellationToken) is { } failed)
        {
            outcome = failed;
        }

        AcsOutcomes.Log(logger, "Email", message, to, outcome);
        return outcome;
    }
}
