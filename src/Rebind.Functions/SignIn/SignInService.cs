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
    private readonly Lazy<string> dummyHash = new(() => hasher.Hash(Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))));
    private readonly RateLimitRule perIp = new("sign_in_ip_hour", options.PerIpPerHour, TimeSpan.FromHours(1));

    // The storage time of recent wrong-password answers for known accounts (account read, counter and history
    // writes: everything after the identifier lookup except PBKDF2). The unknown path, which has none, waits
    // their median after its dummy hash so both answers take about as long. Wall-clock on purpose: this is
    // about response timing, not domain time, so it does not go through TimeProvider.
    private readonly long[] knownFailureSamples = new long[15];
    private int knownFailureCount;

    public async Task<Result<NewSession>> SignInAsync(string? identifier, string? region, string? password, SessionClient client, CancellationToken cancellationToken = default)
    {
        if (await limiter.TryAcquireAsync(perIp, client.IpAddress ?? "unknown", time.GetUtcNow(), cancellationToken) is { } limited)
        {
            return limited;
        }

        var (accountId, normalized) = await FindAccountIdAsync(identifier, region, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var account = accountId is null ? null : await accounts.GetAsync(accountId, cancellationToken);
        if (account is null || string.IsNullOrEmpty(password))
        {
            return await FailUnknownAsync(normalized ?? "raw:" + identifier, password, started, cancellationToken);
        }

        var (checkedAccount, hashTime) = await CheckPasswordAsync(account, password, client, ActivityTypes.SignIn, null, cancellationToken);
        if (!checkedAccount.IsSuccess)
        {
            if (checkedAccount.Error.Code == AccountErrors.InvalidCredentialsCode)
            {
                LearnKnownFailure(Stopwatch.GetElapsedTime(started) - hashTime);
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
        if (await limiter.TryAcquireAsync(perIp, client.IpAddress ?? "unknown", time.GetUtcNow(), cancellationToken) is { } limited)
        {
            return limited;
        }

        var account = await accounts.GetAsync(accountId, cancellationToken);
        if (account is null)
        {
            return AccountErrors.InvalidCredentials();
        }

        var (checkedAccount, _) = await CheckPasswordAsync(account, password ?? string.Empty, client, ActivityTypes.Reauthentication, sessionId, cancellationToken);
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
        var verified = hasher.Verify(password, account.Value.PasswordHash);
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

        if (account.Value.ConsecutiveFailedSignIns > 0 || account.Value.LastFailedSignInAt is not null)
        {
            return (await UpdateAsync(account, a => a with { ConsecutiveFailedSignIns = 0, LastFailedSignInAt = null }, cancellationToken), hashTime);
        }

        return (account.Value, hashTime);
    }

    /// <summary>
    /// An identifier without an account (or no password): the same answers as a wrong password for an account,
    /// including the growing delays (counted per identifier), after the same work: one PBKDF2 run, and storage
    /// time padded to the known path's median, so neither the answer nor its timing tells whether it exists.
    /// </summary>
    private async Task<Error> FailUnknownAsync(string identifier, string? password, long started, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (count, last) = await unknownFailures.GetAsync(identifier, cancellationToken);
        if (throttle.RetryAfterSeconds(count, last, now) is var wait and > 0)
        {
            return AccountErrors.SignInThrottled(wait);
        }

        var hashStarted = Stopwatch.GetTimestamp();
        hasher.Verify(password ?? string.Empty, dummyHash.Value);
        var hashTime = Stopwatch.GetElapsedTime(hashStarted);
        await unknownFailures.RecordFailureAsync(identifier, now, cancellationToken);
        var pad = KnownFailureMedian() - (Stopwatch.GetElapsedTime(started) - hashTime);
        if (pad > TimeSpan.Zero)
        {
            await Task.Delay(pad, cancellationToken);
        }

        return AccountErrors.InvalidCredentials();
    }

    private void LearnKnownFailure(TimeSpan took)
    {
        lock (knownFailureSamples)
        {
            knownFailureSamples[knownFailureCount++ % knownFailureSamples.Length] = took.Ticks;
        }
    }

    private TimeSpan KnownFailureMedian()
    {
        long[] samples;
        lock (knownFailureSamples)
        {
            samples = knownFailureSamples[..Math.Min(knownFailureCount, knownFailureSamples.Length)];
        }

        if (samples.Length == 0)
        {
            return TimeSpan.Zero;
        }

        Array.Sort(samples);
        return TimeSpan.FromTicks(samples[samples.Length / 2]);
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

    /// <summary>Read-modify-write with the ETag; a lost race re-reads and re-applies the change.</summary>
    private async Task<Account> UpdateAsync(Versioned<Account> start, Func<Account, Account> change, CancellationToken cancellationToken)
    {
        var current = start;
        while (true)
        {
            if (await accounts.TryReplaceAsync(change(current.Value), current.Version, cancellationToken) is { } written)
            {
                return written.Value;
            }

            current = await accounts.GetAsync(start.Value.Id, cancellationToken)
                ?? throw new InvalidOperationException("The account vanished during sign-in.");
        }
    }

    private ActivityEvent Event(string type, string outcome, SessionClient client, string? sessionId, string? detail = null) =>
        new(type, outcome, time.GetUtcNow(), client.IpAddress, client.DeviceName, client.UserAgent, sessionId, detail);
}
