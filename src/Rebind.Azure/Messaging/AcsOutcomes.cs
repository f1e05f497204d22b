using System.Globalization;
using Azure;
using Microsoft.Extensions.Logging;
using Rebind.Core.Messaging;

namespace Rebind.Azure.Messaging;

/// <summary>
/// The steps every sender shares: rendering (a template failure is permanent), mapping ACS failures to outcomes,
/// and the outcome log line. Details and logs hold kind, key, masked recipient, status and error code only, never
/// message content.
/// </summary>
internal static class AcsOutcomes
{
    /// <returns>False, with a permanent <paramref name="failure"/> (logged), when the message cannot be rendered.</returns>
    public static bool TryRender(OutboundMessage message, ILogger logger, string channel, string maskedTo, out RenderedMessage rendered, out SendOutcome failure)
    {
        try
        {
            rendered = MessageTemplates.Render(message);
            failure = null!;
            return true;
        }
        catch (ArgumentException e)
        {
            logger.LogError("{Channel} {Kind} {MessageKey} to {To} cannot be rendered: {Reason}", channel, message.Kind, message.IdempotencyKey, maskedTo, e.Message);
            rendered = null!;
            failure = SendOutcome.Permanent("template: " + e.Message);
            return false;
        }
    }

    /// <summary>
    /// The outcome of a send that threw: ACS answered with an error, or nothing answered (every retry failed, or
    /// the call timed out). Null for anything else, which is a bug and should propagate.
    /// </summary>
    public static SendOutcome? FromFailure(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        RequestFailedException e => FromException(e),
        // Azure.Core's retry policy gives up with every attempt's exception: nothing answered.
        AggregateException e when e.InnerExceptions.All(inner => inner is RequestFailedException or IOException or OperationCanceledException)
            => SendOutcome.Transient("acs unreachable after retries"),
        OperationCanceledException when !cancellationToken.IsCancellationRequested => SendOutcome.Transient("acs timed out"),
        _ => null,
    };

    public static void Log(ILogger logger, string channel, OutboundMessage message, string maskedTo, SendOutcome outcome)
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

    public static SendOutcome FromException(RequestFailedException exception)
    {
        var detail = exception.Status == 0
            ? $"acs unreachable: {exception.InnerException?.GetType().Name ?? "network error"}"
            : $"acs {exception.Status} {exception.ErrorCode}".TrimEnd();
        return IsTransient(exception.Status)
            ? SendOutcome.Transient(detail, RetryAfter(exception.GetRawResponse()))
            : SendOutcome.Permanent(detail);
    }

    /// <summary>Status 0 is "no response" (network); 408, 429 and 5xx may pass.</summary>
    public static bool IsTransient(int status) => status is 0 or 408 or 429 or >= 500;

    public static TimeSpan? RetryAfter(Response? response)
    {
        if (response is null)
        {
            return null;
        }
        if ((response.Headers.TryGetValue("retry-after-ms", out var ms) || response.Headers.TryGetValue("x-ms-retry-after-ms", out ms))
            && int.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }
        if (response.Headers.TryGetValue("Retry-After", out var value))
        {
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }
            if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var at)
                && response.Headers.Date is { } now)
            {
                return at > now ? at - now : TimeSpan.Zero;
            }
        }
        return null;
    }
}
