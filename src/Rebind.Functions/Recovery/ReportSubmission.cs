using Rebind.Azure.Stores;
using Rebind.Core;
using Rebind.Core.Flows;
using Rebind.Core.Security;
using Rebind.Core.Sessions;

namespace Rebind.Functions.Recovery;

/// <summary>How a "this wasn't me" link is submitted, whichever notice carried it (a contact added, a sign-in alert).</summary>
internal static class ReportSubmission
{
    /// <summary>
    /// <c>rate_limited</c> past <paramref name="perIp"/> for the caller's IP; else the code's row, marked used before
    /// anything acts on it (of two submits, a double tap or two tabs, exactly one goes on); else
    /// <c>invalid_report_code</c>, one answer for an unknown, used or expired code.
    /// </summary>
    public static async Task<Result<T>> SubmitAsync<T>(
        this TableReportCodes<T> store, string code, IRateLimiter limiter, RateLimitRule perIp, SessionClient client, DateTimeOffset now,
        CancellationToken cancellationToken)
        where T : class, IReportCodeRow
    {
        if (await limiter.TryAcquireAsync(perIp, client.IpAddress ?? Http.ClientAddress.Unknown, now, cancellationToken) is { } limited)
        {
            return limited;
        }
        if (await store.TakeAsync(code, now, cancellationToken) is not { } report)
        {
            return FlowErrors.InvalidReportCode();
        }
        return report;
    }
}
