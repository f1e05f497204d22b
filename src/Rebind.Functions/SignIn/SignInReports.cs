using Rebind.Azure.Stores;
using Rebind.Core;
using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;
using Rebind.Core.Messaging;
using Rebind.Core.Security;
using Rebind.Core.Sessions;
using Rebind.Functions.Recovery;

namespace Rebind.Functions.SignIn;

/// <summary>What a sign-in alert's "this wasn't me" did.</summary>
/// <param name="SessionEnded">The reported session was still alive and is now ended.</param>
/// <param name="PasswordResetRequired">Always true: the next sign-in needs a password reset first.</param>
/// <param name="ChangesHeldUntil">Security changes are held until then (null when that hold is off).</param>
public sealed record SignInReportView(bool SessionEnded, bool PasswordResetRequired, DateTimeOffset? ChangesHeldUntil);

/// <summary>
/// The "this wasn't me" remedy of a sign-in alert. A verified new-device sign-in issues a single-use code for its
/// session (<see cref="IssueAsync"/>) whose link goes in the alert; <see cref="ReportAsync"/> ends that session, makes
/// the right password answer <c>password_reset_required</c> until a reset (<see cref="Account.PasswordResetRequiredAt"/>),
/// starts the hold on security changes (<see cref="Account.SignInReportedAt"/>), records it and tells the contacts.
/// </summary>
public sealed class SignInReports(
    TableSignInReports store,
    IAccountStore accounts,
    ISessionService sessions,
    IActivityLog activity,
    IMessageSender sender,
    IRateLimiter limiter,
    SignInOptions options,
    HoldOptions holds,
    Recovery.RecoveryOptions recovery,
    TimeProvider time)
{
    /// <summary>Reports per client IP per hour: a code has 130 bits, so this only keeps the endpoint cheap to abuse.</summary>
    public static readonly RateLimitRule PerIpPerHour = new("sign_in_report_ip_hour", 30, TimeSpan.FromHours(1));

    private readonly string urlFormat = options.ReportUrlFormat is { Length: > 0 } format ? format
        : recovery.ReportUrlFormat + (recovery.ReportUrlFormat.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "kind=sign_in";

    /// <summary>Stores a new code for <paramref name="sessionId"/> and returns the link for the alert.</summary>
    public async Task<string> IssueAsync(string accountId, string sessionId, CancellationToken cancellationToken)
    {
        var (code, hash) = ReportCodes.New();
        await store.AddAsync(hash, accountId, sessionId, time.GetUtcNow().AddHours(options.ReportValidHours), cancellationToken);
        return urlFormat.Replace("{code}", Uri.EscapeDataString(code), StringComparison.Ordinal);
    }

    /// <summary>
    /// Acts on a report: <c>invalid_report_code</c> for an unknown, used or expired code (one answer for all; a string
    /// that cannot be a code reads no storage); <c>rate_limited</c> past <see cref="PerIpPerHour"/>.
    /// </summary>
    public async Task<Result<SignInReportView>> ReportAsync(string code, SessionClient client, string culture, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var submitted = await store.SubmitAsync(code, limiter, PerIpPerHour, client, now, cancellationToken);
        if (submitted.Error is { } error)
        {
            return error;
        }
        var report = submitted.Value;

        var written = await accounts.UpdateAsync(report.AccountId, account => account with
        {
            PasswordResetRequiredAt = account.PasswordResetRequiredAt ?? now,
            SignInReportedAt = now,
        }, cancellationToken);
        if (written is null)
        {
            return FlowErrors.InvalidReportCode();
        }

        var ended = await sessions.RevokeAsync(report.AccountId, report.SessionId, cancellationToken);
        await activity.RecordAsync(report.AccountId, new ActivityEvent(
            ActivityTypes.SignInReported, ActivityOutcomes.Success, now,
            IpAddress: client.IpAddress, DeviceName: client.DeviceName, UserAgent: client.UserAgent, SessionId: report.SessionId,
            Detail: ended ? "session_ended" : "session_already_ended"), cancellationToken);
        await SecurityNotices.SendAsync(sender, written.Value,
            "you reported a sign-in as not yours; that device was signed out and the password must be reset before the next sign-in",
            "您报告了一次非本人的登录，该设备已退出登录，下次登录前须重置密码",
            culture, now, cancellationToken);
        return new SignInReportView(ended, PasswordResetRequired: true,
            holds.AfterSignInReportHours > 0 ? now.AddHours(holds.AfterSignInReportHours) : null);
    }
}
