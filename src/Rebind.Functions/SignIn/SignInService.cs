using Stopwatch = System.Diagnostics.Stopwatch;
using Rebind.Core;
using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Identity;
using Rebind.Core.Security;
using Rebind.Core.Sessions;

namespace Rebind.Functions.SignIn;

/// <summary>
/// Password checks for sign-in and re-authentication: per-IP caps, per-account growing delays and the failure
/// ceiling, the same answer (and one PBKDF2 run) for unknown accounts and wrong passwords, and the history.
/// </summary>
public sealed class SignInService(
    IAccountStore accounts,
    ISessionService sessions,
    IActivityLog activity,
    IRateLimiter limiter,
    PasswordHasher hasher,
    SignInThrottle throttle,
    SignInOptions options,
    Rebind.Azure.Stores.TableSignInFailures unknownFailures,
    TimeProvider time)
{
    // Built now, not on first use: the first unknown sign-in would otherwise run PBKDF2 twice.
    private readonly string dummyHash = hasher.DummyHash;
    private readonly RateLimitRule perIp = new("sign_in_ip_hour", options.PerIpPerHour, TimeSpan.FromHours(1));

    // The known path's storage time per answer (account read, counter and history writes: everything after the
    // identifier lookup except PBKDF2); the unknown path pads its own to their median.
    private readonly Http.ResponseTiming<string> timing = new();

    public async Task<Result<NewSession>> SignInAsync(string? identifier, string? region, string? password, SessionClient client, CancellationToken cancellationToken = default)
    {
        // Before any lookup, and so the same for every identifier: an attempt without a password is not a guess to
        // count (counting it on the unknown-identifier counter but never on an account's told them apart).
        if (string.IsNullOrWhiteSpace(identifier))
        {
            return Http.RequestErrors.Missing("identifier");
        }

        if (string.IsNullOrEmpty(password))
        {
            return Http.RequestErrors.Missing("password");
        }

        if (await limiter.TryAcquireAsync(perIp, client.IpAddress ?? "unknown", time.GetUtcNow(), cancellationToken) is { } limited)
        {
            return limited;
        }

        var (accountId, normalized) = await FindAccountIdAsync(identifier, region, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var account = accountId is null ? null : await accounts.GetAsync(accountId, cancellationToken);
        if (account is null)
        {
            return await FailUnknownAsync(normalized ?? "raw:" + identifier, password, started, cancellationToken);
        }

        var (checkedAccount, hashTime) = await CheckPasswordAsync(account, password, client, ActivityTypes.SignIn, null, cancellationToken);
        if (!checkedAccount.IsSuccess)
        {
            if (checkedAccount.Error.Code is AccountErrors.InvalidCredentialsCode or AccountErrors.SignInThrottledCode)
            {
                timing.Learn(checkedAccount.Error.Code, Stopwatch.GetElapsedTime(started) - hashTime);
            }

            return checkedAccount.Error;
        }

        var session = await sessions.CreateAsync(checkedAccount.Value.Id, checkedAccount.Value.SecurityStamp, client, cancellationToken);
        await activity.RecordAsync(session.Session.AccountId, Event(ActivityTypes.SignIn, ActivityOutcomes.Success, client, session.Session.Id), cancellationToken);
        return session;
    }

    /// <summary>Proves the password again inside a session; on success the session's auth time is now.</summary>
    public async Task<Result<DateTimeOffset>> ReauthenticateAsync(string accountId, string sessionId, string? password, SessionClient client, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(password))
        {
            return Http.RequestErrors.Missing("password");
        }

        if (await limiter.TryAcquireAsync(perIp, client.IpAddress ?? "unknown", time.GetUtcNow(), cancellationToken) is { } limited)
        {
            return limited;
        }

        var account = await accounts.GetAsync(accountId, cancellationToken);
        if (account is null)
        {
            return AccountErrors.InvalidCredentials();
        }

        var (checkedAccount, _) = await CheckPasswordAsync(account, password, client, ActivityTypes.Reauthentication, sessionId, cancellationToken);
        if (!checkedAccount.IsSuccess)
        {
            return checkedAccount.Error;
        }

        if (!await sessions.MarkReauthenticatedAsync(accountId, sessionId, cancellationToken))
        {
            return AccountErrors.InvalidCredentials();
        }

        var now = time.GetUtcNow();
        await activity.RecordAsync(accountId, Event(ActivityTypes.Reauthentication, ActivityOutcomes.Success, client, sessionId), cancellationToken);
        return now;
    }

    /// <returns>The outcome and how long PBKDF2 took (zero when throttled before hashing).</returns>
    private async Task<(Result<Account> Result, TimeSpan HashTime)> CheckPasswordAsync(
        Versioned<Account> account, string password, SessionClient client, string type, string? sessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var wait = throttle.RetryAfterSeconds(account.Value.ConsecutiveFailedSignIns, account.Value.LastFailedSignInAt, now);
        var reserved = false;
        if (wait == 0 && throttle.DelayAfter(account.Value.ConsecutiveFailedSignIns) > TimeSpan.Zero)
        {
            // In the delayed regime, count this attempt as a failure before hashing, with the read's ETag: of
            // parallel attempts that all passed the same check, one wins and the rest see the new delay.
            var claimed = await accounts.TryReplaceAsync(
                account.Value with { ConsecutiveFailedSignIns = account.Value.ConsecutiveFailedSignIns + 1, LastFailedSignInAt = now },
                account.Version,
                cancellationToken);
            if (claimed is null)
            {
                var fresh = await accounts.GetAsync(account.Value.Id, cancellationToken) ?? account;
                wait = Math.Max(1, throttle.RetryAfterSeconds(fresh.Value.ConsecutiveFailedSignIns, fresh.Value.LastFailedSignInAt, now));
            }
            else
            {
                (account, reserved) = (claimed with { Value = account.Value }, true);
            }
        }

        if (wait > 0)
        {
            await activity.RecordAsync(account.Value.Id, Event(type, ActivityOutcomes.Throttled, client, sessionId), cancellationToken);
            return (AccountErrors.SignInThrottled(wait), TimeSpan.Zero);
        }

        var hashStarted = Stopwatch.GetTimestamp();
        var check = hasher.Check(password, account.Value.PasswordHash);
        var verified = check != PasswordCheck.Failed;
        var hashTime = Stopwatch.GetElapsedTime(hashStarted);
        if (!verified)
        {
            // Both writes at once: the failure path should cost about what the unknown-account path costs.
            await Task.WhenAll(
                reserved
                    ? Task.CompletedTask
                    : UpdateAsync(account, a => a with { ConsecutiveFailedSignIns = a.ConsecutiveFailedSignIns + 1, LastFailedSignInAt = now }, cancellationToken),
                activity.RecordAsync(account.Value.Id, Event(type, ActivityOutcomes.Failure, client, sessionId, AccountErrors.InvalidCredentialsCode), cancellationToken));
            return (AccountErrors.InvalidCredentials(), hashTime);
        }

        if (throttle.IsAtCeiling(account.Value.ConsecutiveFailedSignIns))
        {
            await activity.RecordAsync(account.Value.Id, Event(type, ActivityOutcomes.Locked, client, sessionId, AccountErrors.PasswordResetRequiredCode), cancellationToken);
            return (AccountErrors.PasswordResetRequired(), hashTime);
        }

        // A hash from a lower work factor (or from before NFKC) is upgraded now, while the password is at hand;
        // only if no reset replaced it in between.
        var upgraded = check == PasswordCheck.SucceededRehashNeeded ? hasher.Hash(password) : null;
        if (account.Value.ConsecutiveFailedSignIns > 0 || account.Value.LastFailedSignInAt is not null || upgraded is not null
            || account.Value.FailedSecurityAnswers > 0 || account.Value.SecurityAnswersLockedAt is not null)
        {
            var seen = account.Value.PasswordHash;
            return (await UpdateAsync(account, a => a with
            {
                ConsecutiveFailedSignIns = 0,
                LastFailedSignInAt = null,
                // The owner is back: wrong security answers by others no longer count, the method opens again.
                FailedSecurityAnswers = 0,
                SecurityAnswersLockedAt = null,
                PasswordHash = upgraded is not null && a.PasswordHash == seen ? upgraded : a.PasswordHash,
            }, cancellationToken), hashTime);
        }

        return (account.Value, hashTime);
    }

    /// <summary>
    /// An identifier without an account: the same steps as a wrong password for an account, on a
    /// counter of its own — check the delay, in the delayed regime count the attempt before hashing (one of
    /// parallel guesses gets through), one PBKDF2 run, count the failure — and the known path's storage time for
    /// the same answer, so neither the answers nor their timing tell whether the account exists.
    /// </summary>
    private async Task<Error> FailUnknownAsync(string identifier, string password, long started, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var failures = await unknownFailures.GetAsync(identifier, cancellationToken);
        var wait = throttle.RetryAfterSeconds(failures.Count, failures.LastFailedAt, now);
        var counted = false;
        if (wait == 0 && throttle.DelayAfter(failures.Count) > TimeSpan.Zero)
        {
            counted = await unknownFailures.TryCountAsync(identifier, failures, now, cancellationToken);
            if (!counted)
            {
                failures = await unknownFailures.GetAsync(identifier, cancellationToken);
                wait = Math.Max(1, throttle.RetryAfterSeconds(failures.Count, failures.LastFailedAt, now));
            }
        }

        Error answer;
        var hashTime = TimeSpan.Zero;
        if (wait > 0)
        {
            // The account path writes a history row here: a write of its own keeps the two alike.
            await unknownFailures.MarkThrottledAsync(identifier, failures, now, cancellationToken);
            answer = AccountErrors.SignInThrottled(wait);
        }
        else
        {
            var hashStarted = Stopwatch.GetTimestamp();
            hasher.Verify(password, dummyHash);
            hashTime = Stopwatch.GetElapsedTime(hashStarted);
            if (!counted)
            {
                await unknownFailures.RecordFailureAsync(identifier, failures, now, cancellationToken);
            }
            answer = AccountErrors.InvalidCredentials();
        }

        await timing.PadAsync(answer.Code, Stopwatch.GetElapsedTime(started) - hashTime, cancellationToken);
        return answer;
    }

    /// <returns>The account holding the identifier, if any, and the normalized identifier, if it is one.</returns>
    private async Task<(string? AccountId, string? Normalized)> FindAccountIdAsync(string? identifier, string? region, CancellationToken cancellationToken)
    {
        if (identifier is not null && identifier.Contains('@', StringComparison.Ordinal))
        {
            if (EmailAddress.TryParse(identifier, out var email, out _))
            {
                return (await accounts.FindAccountIdAsync(IdentifierKind.Email, email.Value, cancellationToken), email.Value);
            }
        }
        else if (PhoneNumber.TryParse(identifier, region, out var phone, out _))
        {
            return (await accounts.FindAccountIdAsync(IdentifierKind.Phone, phone.E164, cancellationToken), phone.E164);
        }

        return (null, null);
    }

    private async Task<Account> UpdateAsync(Versioned<Account> start, Func<Account, Account> change, CancellationToken cancellationToken) =>
        (await accounts.UpdateAsync(start, change, cancellationToken) ?? throw new InvalidOperationException("The account vanished during sign-in.")).Value;

    private ActivityEvent Event(string type, string outcome, SessionClient client, string? sessionId, string? detail = null) =>
        new(type, outcome, time.GetUtcNow(), client.IpAddress, client.DeviceName, client.UserAgent, sessionId, detail);
}
