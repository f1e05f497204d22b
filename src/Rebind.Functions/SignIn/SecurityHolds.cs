using Rebind.Core;
using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;
using Rebind.Core.Sessions;
using Rebind.Functions.Http;

namespace Rebind.Functions.SignIn;

/// <summary>A rule that holds security changes, and when it lets them through again.</summary>
public sealed record SecurityHold(string Reason, DateTimeOffset OpensAt);

/// <summary>
/// The anomaly holds on security changes (phone, email, password, security questions), each a rule of
/// <see cref="HoldOptions"/> that is off at 0:
/// <list type="bullet">
/// <item><c>sign_in_reported</c>: the owner used a sign-in alert's "this wasn't me" within <c>AfterSignInReportHours</c>.</item>
/// <item><c>failed_codes</c>: <c>FailedCodesPerHour</c> wrong codes (or challenges killed by them) on the account's flows
/// within the last hour; it opens when the oldest of those is an hour old.</item>
/// <item><c>new_device</c>: the caller's session is on a device first seen less than <c>NewDeviceHours</c> ago — unless
/// that was within the account's own first <c>NewDeviceHours</c> (the device it was made on). A session whose app sent no
/// device id counts as a device first seen when the session began.</item>
/// </list>
/// The latest opening wins. A password reset by code (the old channel) is never held.
/// </summary>
public sealed class SecurityHolds(HoldOptions options, IActivityLog activity, TimeProvider time)
{
    public const string SignInReported = "sign_in_reported";
    public const string FailedCodes = "failed_codes";
    public const string NewDevice = "new_device";

    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>The hold on <paramref name="account"/> for a change made in <paramref name="session"/>, or null.</summary>
    public async Task<SecurityHold?> FindAsync(Account account, Session? session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var now = time.GetUtcNow();
        var holds = new List<SecurityHold>();
        if (options.AfterSignInReportHours > 0 && account.SignInReportedAt is { } reported && reported.AddHours(options.AfterSignInReportHours) > now)
        {
            holds.Add(new(SignInReported, reported.AddHours(options.AfterSignInReportHours)));
        }

        if (options.NewDeviceHours > 0 && session is not null)
        {
            var window = TimeSpan.FromHours(options.NewDeviceHours);
            var known = session.DeviceHash is { } hash ? account.KnownDevices.FirstOrDefault(d => d.Hash == hash) : null;
            // A device remembered before first-seen times were kept is old; one the account does not know is as new as the session.
            var firstSeen = known is not null ? known.FirstSeenAt ?? DateTimeOffset.MinValue : session.CreatedAt;
            if (firstSeen + window > now && firstSeen - account.CreatedAt > window)
            {
                holds.Add(new(NewDevice, firstSeen + window));
            }
        }

        if (options.FailedCodesPerHour > 0)
        {
            var page = await activity.ListAsync(account.Id, Math.Max(50, options.FailedCodesPerHour * 3), cancellationToken: cancellationToken);
            var failures = page.Items
                .Where(e => e.Outcome == ActivityOutcomes.Failure && e.OccurredAt > now - Hour
                    && e.Detail is FlowErrorCodes.InvalidCode or FlowErrorCodes.TooManyAttempts)
                .Select(e => e.OccurredAt)
                .OrderByDescending(at => at)
                .ToList();
            if (failures.Count >= options.FailedCodesPerHour)
            {
                holds.Add(new(FailedCodes, failures[options.FailedCodesPerHour - 1] + Hour));
            }
        }

        return holds.MaxBy(h => h.OpensAt);
    }

    /// <summary>The caller's hold as an error (<c>403 security_change_held</c>), or null.</summary>
    public async Task<Error?> CheckAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.CallerAccount()?.Value is { } account
            && await FindAsync(account, context.CallerSession(), cancellationToken) is { } hold
                ? AccountErrors.SecurityChangeHeld(hold.Reason, hold.OpensAt)
                : null;
    }
}

/// <summary>Puts <see cref="SecurityHolds"/> in front of a security-change endpoint.</summary>
public static class SecurityHoldFilter
{
    /// <summary>Refuses the change with <c>403 security_change_held</c> while a hold is on; after the recent-sign-in check.</summary>
    public static TBuilder HeldOnAnomalies<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Fails(StatusCodes.Status403Forbidden, AccountErrors.SecurityChangeHeldCode);
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var holds = context.RequestServices.GetRequiredService<SecurityHolds>();
            return await holds.CheckAsync(context, context.RequestAborted) is { } held ? ErrorResults.Problem(held) : await next(invocation);
        });
        return builder;
    }
}
