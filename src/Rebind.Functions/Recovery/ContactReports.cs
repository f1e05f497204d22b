using Rebind.Azure.Stores;
using Rebind.Core;
using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;
using Rebind.Core.Identity;
using Rebind.Core.Messaging;
using Rebind.Core.Security;
using Rebind.Core.Sessions;

namespace Rebind.Functions.Recovery;

/// <summary>What a "this wasn't me" report did.</summary>
/// <param name="Contact"><c>phone</c> or <c>email</c>: the contact that was reported.</param>
/// <param name="Removed">The contact was still bound and is now removed; false when it was gone already (or was the account's last contact).</param>
public sealed record ContactReportView(string Contact, bool Removed, bool SignedOut);

/// <summary>
/// The one-tap "this wasn't me" remedy for a newly bound contact (issue 18). A bind issues a single-use code
/// (<see cref="IssueAsync"/>) whose link goes in the notice to every existing contact; within the contact's holding
/// period, <see cref="ReportAsync"/> removes the contact if it is still bound, rotates the security stamp (every
/// session ends: the owner says someone else was in), records it in the history and tells the remaining contacts.
/// </summary>
public sealed class ContactReports(
    TableContactReports store,
    IAccountStore accounts,
    ISessionService sessions,
    IActivityLog activity,
    IMessageSender sender,
    IRateLimiter limiter,
    RecoveryOptions options,
    TimeProvider time)
{
    /// <summary>Reports per client IP per hour: a code has 130 bits, so this only keeps the endpoint cheap to abuse.</summary>
    public static readonly RateLimitRule PerIpPerHour = new("contact_report_ip_hour", 30, TimeSpan.FromHours(1));

    /// <summary>
    /// Stores a new report code for <paramref name="value"/>, just bound to the account and held until
    /// <paramref name="heldUntil"/>, and returns the link for the notices; null without a holding period.
    /// </summary>
    public async Task<string?> IssueAsync(string accountId, IdentifierKind contact, string value, DateTimeOffset heldUntil, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (heldUntil <= now)
        {
            return null;
        }

        var (code, hash) = ReportCodes.New();
        await store.AddAsync(hash, accountId, contact, value, now, heldUntil, cancellationToken);
        return options.ReportUrlFormat.Replace("{code}", Uri.EscapeDataString(code), StringComparison.Ordinal);
    }

    /// <summary>
    /// Acts on a report: <c>invalid_report_code</c> for an unknown, used or expired code (one answer for all, and a
    /// string that cannot be a code reads no storage); <c>rate_limited</c> past <see cref="PerIpPerHour"/>.
    /// </summary>
    public async Task<Result<ContactReportView>> ReportAsync(string code, SessionClient client, string culture, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var submitted = await store.SubmitAsync(code, limiter, PerIpPerHour, client, now, cancellationToken);
        if (submitted.Error is { } error)
        {
            return error;
        }
        var report = submitted.Value;

        // One conditional write (the account's ETag) removes the contact, ends its hold and changes the stamp. The
        // account keeps at least one contact: a bind is only reported through a contact the account already had, so
        // removing the added one never leaves none; should that other contact be gone meanwhile, the added one stays
        // (an account without any contact could neither sign in by code nor be recovered) and only the stamp changes.
        var removed = false;
        var written = await accounts.UpdateAsync(report.AccountId, account =>
        {
            removed = account.Contact(report.Contact) == report.Value && account.Contact(Other(report.Contact)) is not null;
            var stamped = account with { SecurityStamp = Account.NewSecurityStamp() };
            return !removed ? stamped
                : report.Contact == IdentifierKind.Phone ? stamped with { Phone = null, PhoneRecoveryHeldUntil = null }
                : stamped with { Email = null, EmailRecoveryHeldUntil = null };
        }, cancellationToken);
        if (written is null)
        {
            // The account is gone: nothing left to secure.
            return FlowErrors.InvalidReportCode();
        }

        if (removed)
        {
            // Released only after the account stopped pointing at it (as the unbind handler does).
            await accounts.ReleaseAsync(report.Contact, report.Value, report.AccountId, cancellationToken);
        }
        await sessions.RevokeAllAsync(report.AccountId, null, cancellationToken);

        var kind = report.Contact == IdentifierKind.Phone ? "phone" : "email";
        var detail = removed ? kind + "_removed" : written.Value.Contact(report.Contact) == report.Value ? kind + "_kept_last_contact" : kind + "_not_bound";
        await activity.RecordAsync(report.AccountId, new ActivityEvent(
            ActivityTypes.ContactReported, ActivityOutcomes.Success, now,
            IpAddress: client.IpAddress, DeviceName: client.DeviceName, UserAgent: client.UserAgent, Detail: detail), cancellationToken);

        var masked = report.Contact == IdentifierKind.Phone ? PhoneNumber.MaskE164(report.Value) : Mask.Email(report.Value);
        var (en, zh) = removed
            ? ($"{masked} was removed after you reported it as not yours, and every device was signed out",
               $"您报告{masked}并非本人添加，已将其移除，所有设备均已退出登录")
            : ($"you reported {masked} as not yours; every device was signed out",
               $"您报告{masked}并非本人添加，所有设备均已退出登录");
        // Sent directly (no flow, no outbox), to the contacts the account has now: never to the removed one.
        await SecurityNotices.SendAsync(sender, written.Value, en, zh, culture, now, cancellationToken);
        return new ContactReportView(kind, removed, SignedOut: true);
    }

    private static IdentifierKind Other(IdentifierKind kind) => kind == IdentifierKind.Phone ? IdentifierKind.Email : IdentifierKind.Phone;
}
