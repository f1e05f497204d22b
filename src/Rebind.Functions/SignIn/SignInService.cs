using Stopwatch = System.Diagnostics.Stopwatch;
using Rebind.Azure.Stores;
using Rebind.Core;
using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Identity;
using Rebind.Core.Security;
using Rebind.Core.Sessions;

namespace Rebind.Functions.SignIn;

/// <summary>
/// Password checks for sign-in and re-authentication. Failures count per account and client: the account's own
/// clients (its known devices, re-authentication in its sessions) on the account row, with growing delays and the
/// failure ceiling; every other client on a counter of its own (keyed by IP) plus one for all of them together, with
/// growing delays only — so strangers can slow each other but never keep a known device out nor lock the account.
/// Identifiers without an account go through the strangers' steps on counters of their own, with the same answers
/// (and one PBKDF2 run) and the same timing; per-IP caps on top.
/// </summary>
public sealed class SignInService(
    IAccountStore accounts,
    ISessionService sessions,
    IActivityLog activity,
    IRateLimiter limiter,
    PasswordHasher hasher,
    Passwords.PasswordWork passwords,
    SignInThrottle throttle,
    SignInOptions options,
    TableSignInClientFailures clientFailures,
    SignInFailureNotices notices,
    DeviceSignIns devices,
    TimeProvider time)
{
    // Built now, not on first use: the first unknown sign-in would otherwise run PBKDF2 twice.
    private readonly string dummyHash = hasher.DummyHash;
    private readonly RateLimitRule perIp = new("sign_in_ip_hour", options.PerIpPerHour, TimeSpan.FromHours(1));

    // Strangers together: the same delays from a higher count, and never a lock.
    private readonly SignInThrottle together = throttle with { FreeFailures = options.AccountFreeFailures, Ceiling = int.MaxValue };

    // The stranger path's storage time per answer on an account (account and counter reads, counter and history
    // writes: everything after the identifier lookup except PBKDF2); the unknown path pads its own to their median.
    private readonly Http.ResponseTiming<string> timing = new();

    /// <param name="deviceId">The app's id for the device, if it sends one (<see cref="Http.RequestFields.DeviceId"/>).</param>
    /// <param name="culture">For the owner's notice when strangers' failures pile up.</param>
    public async Task<Result<SignInOutcome>> SignInAsync(
        string? identifier, string? region, string? password, string? deviceId, SessionClient client, string culture, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);

        // Before any lookup, and so the same for every identifier: an attempt without a password is not a guess to
        // count (counting it on the unknown-identifier counter but never on an account's told them apart).
        if (Http.RequestFields.First(
                Http.RequestFields.Required(identifier, "identifier"),
                string.IsNullOrEmpty(password) ? Http.RequestErrors.Missing("password") : null,
                Http.RequestFields.DeviceId(deviceId)) is { } invalid)
        {
            return invalid;
        }

        if (await limiter.TryAcquireAsync(perIp, client.IpAddress ?? Http.ClientAddress.Unknown, time.GetUtcNow(), cancellationToken) is { } limited)
        {
            return limited;
        }

        var (accountId, normalized) = await FindAccountIdAsync(identifier, region, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var ipClient = TableSignInClientFailures.IpClient(client.IpAddress ?? Http.ClientAddress.Unknown);
        if (accountId is null)
        {
            return await FailUnknownAsync(TableSignInClientFailures.IdentifierSubject(normalized, identifier!), ipClient, password!, started, cancellationToken);
        }

        // The stranger's counters are read alongside the account (which says whether the caller is a stranger), so an
        // account's answer costs about one read more than an unknown identifier's, whoever asks.
        var subject = TableSignInClientFailures.AccountSubject(accountId);
        var countersRead = clientFailures.GetAsync(subject, ipClient, cancellationToken);
        var account = await accounts.GetAsync(accountId, cancellationToken);
        var counters = await countersRead;
        if (account is null)
        {
            return await FailUnknownAsync(TableSignInClientFailures.IdentifierSubject(normalized, identifier!), ipClient, password!, started, cancellationToken);
        }

        var known = KnownDevice.IsKnown(account.Value.KnownDevices, deviceId);
        // Everything up to here, and the password check below, is the same for known and new devices: only after the
        // right password does a new device learn that it needs a code (and the device is remembered only after it).
        var verify = !known && options.VerifyNewDevices && (account.Value.Phone is not null || account.Value.Email is not null);
        var checkedAccount = known
            ? (await CheckOwnClientAsync(account, password!, deviceId, client, ActivityTypes.SignIn, null, cancellationToken)).Result
            : await CheckStrangerAsync(account, subject, ipClient, counters, password!, verify ? null : deviceId, client, culture, started, cancellationToken);
        if (!checkedAccount.IsSuccess)
        {
            return checkedAccount.Error;
        }

        client = client with { DeviceHash = deviceId is null ? null : KnownDevice.HashOf(deviceId) };
        if (verify)
        {
            var flow = await devices.StartAsync(checkedAccount.Value, client, culture, cancellationToken);
            return flow.IsSuccess ? new SignInOutcome(null, flow.Value) : flow.Error;
        }

        var session = await sessions.CreateAsync(checkedAccount.Value.Id, checkedAccount.Value.SecurityStamp, client, cancellationToken: cancellationToken);
        await activity.RecordAsync(session.Session.AccountId, Event(ActivityTypes.SignIn, ActivityOutcomes.Success, client, session.Session.Id), cancellationToken);
        return new SignInOutcome(session, null);
    }

    /// <summary>
    /// Proves the password again inside a session; on success the session's auth time is now. A signed-in session is
    /// one of the account's own clients: strangers' failures do not hold it back.
    /// </summary>
    public async Task<Result<DateTimeOffset>> ReauthenticateAsync(string accountId, string sessionId, string? password, SessionClient client, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(password))
        {
            return Http.RequestErrors.Missing("password");
        }

        if (await limiter.TryAcquireAsync(perIp, client.IpAddress ?? Http.ClientAddress.Unknown, time.GetUtcNow(), cancellationToken) is { } limited)
        {
            return limited;
        }

        var account = await accounts.GetAsync(accountId, cancellationToken);
        if (account is null)
        {
            return AccountErrors.InvalidCredentials();
        }

        var (checkedAccount, _) = await CheckOwnClientAsync(account, password, null, client, ActivityTypes.Reauthentication, sessionId, cancellationToken);
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

    /// <summary>A known device or a session: the account row's counter, its delays and its ceiling.</summary>
    /// <returns>The outcome and how long PBKDF2 took (zero when throttled before hashing).</returns>
    private async Task<(Result<Account> Result, TimeSpan HashTime)> CheckOwnClientAsync(
        Versioned<Account> account, string password, string? deviceId, SessionClient client, string type, string? sessionId, CancellationToken cancellationToken)
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
        var check = await passwords.CheckAsync(password, account.Value.PasswordHash, cancellationToken);
        var hashTime = Stopwatch.GetElapsedTime(hashStarted);
        if (check == PasswordCheck.Failed)
        {
            await Task.WhenAll(
                reserved
                    ? Task.CompletedTask
                    : UpdateAsync(account, a => a with { ConsecutiveFailedSignIns = a.ConsecutiveFailedSignIns + 1, LastFailedSignInAt = now }, cancellationToken),
                activity.RecordAsync(account.Value.Id, Event(type, ActivityOutcomes.Failure, client, sessionId, AccountErrors.InvalidCredentialsCode), cancellationToken));
            return (AccountErrors.InvalidCredentials(), hashTime);
        }

        if (await LockedAsync(account.Value, client, type, sessionId, cancellationToken) is { } locked)
        {
            return (locked, hashTime);
        }

        return (await SucceedAsync(account, password, check, deviceId, client.DeviceName, cancellationToken), hashTime);
    }

    /// <summary>
    /// Any other client of an account: its own counter and the strangers' together, as an unknown identifier's
    /// (<see cref="FailUnknownAsync"/>), plus the real hash check and the history. Crossing
    /// <see cref="SignInOptions.NoticeAfterFailures"/> queues a notice to the owner.
    /// </summary>
    private async Task<Result<Account>> CheckStrangerAsync(
        Versioned<Account> account, string subject, string ipClient, ClientFailures counters, string password, string? deviceId,
        SessionClient client, string culture, long started, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (wait, current, counted) = await ClaimAsync(subject, ipClient, counters, now, cancellationToken);
        if (wait > 0)
        {
            await activity.RecordAsync(account.Value.Id, Event(ActivityTypes.SignIn, ActivityOutcomes.Throttled, client, null), cancellationToken);
            var throttled = AccountErrors.SignInThrottled(wait);
            timing.Learn(throttled.Code, Stopwatch.GetElapsedTime(started));
            return throttled;
        }

        var hashStarted = Stopwatch.GetTimestamp();
        var check = await passwords.CheckAsync(password, account.Value.PasswordHash, cancellationToken);
        var hashTime = Stopwatch.GetElapsedTime(hashStarted);
        if (check == PasswordCheck.Failed)
        {
            var record = counted is null ? clientFailures.RecordFailureAsync(subject, ipClient, current, now, cancellationToken) : Task.FromResult(counted);
            await Task.WhenAll(
                record,
                activity.RecordAsync(account.Value.Id, Event(ActivityTypes.SignIn, ActivityOutcomes.Failure, client, null, AccountErrors.InvalidCredentialsCode), cancellationToken));
            if ((await record).All.Count == options.NoticeAfterFailures)
            {
                notices.Enqueue(account.Value.Id, culture, now);
            }

            var wrong = AccountErrors.InvalidCredentials();
            timing.Learn(wrong.Code, Stopwatch.GetElapsedTime(started) - hashTime);
            return wrong;
        }

        if (await LockedAsync(account.Value, client, ActivityTypes.SignIn, null, cancellationToken) is { } locked)
        {
            return locked;
        }

        // The owner, from somewhere new: this client and the strangers' count start again.
        var clear = clientFailures.ClearAsync(subject, ipClient, counted ?? current, cancellationToken);
        var succeeded = SucceedAsync(account, password, check, deviceId, client.DeviceName, cancellationToken);
        await Task.WhenAll(clear, succeeded);
        return await succeeded;
    }

    /// <summary>
    /// An identifier without an account: the strangers' steps on counters of its own — check the delays, in the
    /// delayed regime count the attempt before hashing (one of parallel guesses gets through), one PBKDF2 run, count
    /// the failure — and an account's storage time for the same answer, so neither the answers nor their timing tell
    /// whether the account exists.
    /// </summary>
    private async Task<Error> FailUnknownAsync(string subject, string ipClient, string password, long started, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (wait, current, counted) = await ClaimAsync(subject, ipClient, await clientFailures.GetAsync(subject, ipClient, cancellationToken), now, cancellationToken);
        Error answer;
        var hashTime = TimeSpan.Zero;
        if (wait > 0)
        {
            // The account path writes a history row here: a write of its own keeps the two alike.
            await clientFailures.MarkThrottledAsync(subject, ipClient, current, now, cancellationToken);
            answer = AccountErrors.SignInThrottled(wait);
        }
        else
        {
            var hashStarted = Stopwatch.GetTimestamp();
            await passwords.VerifyAsync(password, dummyHash, cancellationToken);
            hashTime = Stopwatch.GetElapsedTime(hashStarted);
            if (counted is null)
            {
                await clientFailures.RecordFailureAsync(subject, ipClient, current, now, cancellationToken);
            }
            answer = AccountErrors.InvalidCredentials();
        }

        await timing.PadAsync(answer.Code, Stopwatch.GetElapsedTime(started) - hashTime, cancellationToken);
        return answer;
    }

    /// <summary>
    /// The wait the client's counter and the strangers' together impose; with none due but either in the delayed
    /// regime, this attempt is counted as a failure now, before hashing, with the read's ETags: of parallel attempts
    /// that all passed the same check, one is counted (<c>Counted</c>) and the rest are told to wait.
    /// </summary>
    private async Task<(int Wait, ClientFailures Current, ClientFailures? Counted)> ClaimAsync(
        string subject, string ipClient, ClientFailures current, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var wait = WaitFor(current, now);
        if (wait == 0 && (throttle.DelayAfter(current.Client.Count) > TimeSpan.Zero || together.DelayAfter(current.All.Count) > TimeSpan.Zero))
        {
            if (await clientFailures.TryCountAsync(subject, ipClient, current, now, cancellationToken) is { } counted)
            {
                return (0, current, counted);
            }

            current = await clientFailures.GetAsync(subject, ipClient, cancellationToken);
            wait = Math.Max(1, WaitFor(current, now));
        }

        return (wait, current, null);
    }

    private int WaitFor(ClientFailures failures, DateTimeOffset now) => Math.Max(
        throttle.RetryAfterSeconds(failures.Client.Count, failures.Client.LastFailedAt, now),
        together.RetryAfterSeconds(failures.All.Count, failures.All.LastFailedAt, now));

    /// <summary>
    /// The right password on an account its own clients' failures took over the ceiling, or one flagged for a reset
    /// (<see cref="Account.PasswordResetRequiredAt"/>): only a reset helps.
    /// </summary>
    private async Task<Error?> LockedAsync(Account account, SessionClient client, string type, string? sessionId, CancellationToken cancellationToken)
    {
        if (!throttle.IsAtCeiling(account.ConsecutiveFailedSignIns) && account.PasswordResetRequiredAt is null)
        {
            return null;
        }

        await activity.RecordAsync(account.Id, Event(type, ActivityOutcomes.Locked, client, sessionId, AccountErrors.PasswordResetRequiredCode), cancellationToken);
        return AccountErrors.PasswordResetRequired();
    }

    /// <summary>
    /// The right password: the own counter starts again, the device is remembered, and a hash from a lower work factor
    /// (or from before NFKC) is upgraded while the password is at hand — only if no reset replaced it in between.
    /// </summary>
    private async Task<Account> SucceedAsync(Versioned<Account> account, string password, PasswordCheck check, string? deviceId, string? deviceName, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var upgraded = check == PasswordCheck.SucceededRehashNeeded ? await passwords.HashAsync(password, cancellationToken) : null;
        var value = account.Value;
        if (value.ConsecutiveFailedSignIns == 0 && value.LastFailedSignInAt is null && upgraded is null
            && value.FailedSecurityAnswers == 0 && value.SecurityAnswersLockedAt is null
            && KnownDevice.Remember(value.KnownDevices, deviceId, now) is null)
        {
            return value;
        }

        var seen = value.PasswordHash;
        return await UpdateAsync(account, a => a with
        {
            ConsecutiveFailedSignIns = 0,
            LastFailedSignInAt = null,
            // The owner is back: wrong security answers by others no longer count, the method opens again.
            FailedSecurityAnswers = 0,
            SecurityAnswersLockedAt = null,
            PasswordHash = upgraded is not null && a.PasswordHash == seen ? upgraded : a.PasswordHash,
            KnownDevices = KnownDevice.Remember(a.KnownDevices, deviceId, now, deviceName) ?? a.KnownDevices,
        }, cancellationToken);
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

/// <summary>A sign-in with the right password: a session, or (a device the account does not know) the flow that verifies it.</summary>
public sealed record SignInOutcome(NewSession? Session, Rebind.Core.Flows.Flow? Verification);
