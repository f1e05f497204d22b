using System.Globalization;
using Azure;
using Rebind.Core.Messaging;

namespace Rebind.Azure.Messaging;

/// <summary>Maps ACS failures to outcomes. Details hold status and error code only, never message content.</summary>
internal static class AcsOutcomes
{
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
