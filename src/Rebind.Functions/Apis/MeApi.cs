using System.Security.Claims;
using Rebind.Functions.SignIn;
using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Messaging;
using Rebind.Core.Security;
using Rebind.Core.Sessions;
using Rebind.Functions.Http;

namespace Rebind.Functions.Apis;

/// <summary>The signed-in caller's account: summary, sessions, history, security questions.</summary>
public static class MeApi
{
    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/me").WithTags("Me").RequireAuthorization();
        group.MapGet("/", GetMe).Fails(StatusCodes.Status403Forbidden, Core.Flows.FlowErrorCodes.Forbidden).WithName("GetMe").WithSummary("Account summary with masked contacts.");
        group.MapGet("/sessions", ListSessions).WithName("ListSessions").WithSummary("Signed-in devices; the caller's is marked current.");
        group.MapDelete("/sessions/{id}", EndSession).Fails(StatusCodes.Status404NotFound, AccountErrors.SessionNotFoundCode).WithName("EndSession").WithSummary("Ends one of the caller's sessions.");
        group.MapPost("/sessions/end-others", EndOtherSessions).WithName("EndOtherSessions").WithSummary("Ends every session but the caller's.");
        group.MapGet("/activity", ListActivity).Fails(StatusCodes.Status400BadRequest, ProblemCodes.BadRequest, ProblemResponses.ValidationFailed).WithName("ListActivity").WithSummary("Sign-in and security history, newest first.");
        group.MapGet("/security-questions", GetSecurityQuestions).Fails(StatusCodes.Status403Forbidden, Core.Flows.FlowErrorCodes.Forbidden).WithName("GetSecurityQuestions").WithSummary("The questions, never the answers.");
        group.MapGet("/security-questions/catalogue", GetSecurityQuestionCatalogue).WithName("GetSecurityQuestionCatalogue")
            .WithSummary("The questions an account can choose from, in the caller's language.");
        group.MapPut("/security-questions", PutSecurityQuestions).RequireRecentAuthentication().HeldOnAnomalies()
            .Fails(StatusCodes.Status400BadRequest, AccountErrors.InvalidSecurityQuestionsCode).Fails(StatusCodes.Status403Forbidden, Core.Flows.FlowErrorCodes.Forbidden).WithName("PutSecurityQuestions")
            .Fails(StatusCodes.Status429TooManyRequests, Core.Flows.FlowErrorCodes.RateLimited)
            .WithSummary("Replaces the questions: exactly 3 catalogue ids with answers; needs a sign-in within 15 minutes; at most 5 changes an hour; the bound phone and email are told.");
        group.MapGet("/devices", ListDevices).Fails(StatusCodes.Status403Forbidden, Core.Flows.FlowErrorCodes.Forbidden).WithName("ListDevices")
            .WithSummary("The devices that signed in to the account with the right password, most recent first.");
        group.MapDelete("/devices/{id}", ForgetDevice).Fails(StatusCodes.Status404NotFound, AccountErrors.DeviceNotFoundCode).WithName("ForgetDevice")
            .WithSummary("Forgets a known device: its next sign-in counts as a new device's.");
        group.MapPost("/password", ChangePassword).RequireRecentAuthentication().HeldOnAnomalies()
            .Fails(StatusCodes.Status400BadRequest, ProblemResponses.ValidationFailed, Core.Flows.FlowErrorCodes.WeakPassword, AccountErrors.CurrentPasswordIncorrectCode, AccountErrors.PasswordReusedCode)
            .Fails(StatusCodes.Status403Forbidden, Core.Flows.FlowErrorCodes.Forbidden)
            .Fails(StatusCodes.Status409Conflict, ProblemResponses.FlowConflict)
            .Fails(StatusCodes.Status429TooManyRequests, Core.Flows.FlowErrorCodes.RateLimited)
            .WithName("ChangePassword")
            .WithSummary("Changes the password: the current one, and a new one that passes the rules and is none of the last 5; needs a sign-in within 15 minutes; at most 5 attempts an hour; every other session ends; the bound phone and email are told.");
        return app;
    }

    public static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> GetMe(HttpContext context, IAccountStore accounts, CancellationToken cancellationToken)
    {
        var account = await AccountFlowStart.CallerAccountAsync(context, accounts, cancellationToken);
        if (account is null)
        {
            return ErrorResults.Problem(Core.Flows.FlowErrors.Forbidden());
        }

        var a = account;
        return TypedResults.Ok(new MeResponse(
            a.Id,
            a.Phone is null ? null : Mask.Phone(a.Phone),
            a.Email is null ? null : Mask.Email(a.Email),
            a.CreatedAt,
            a.PasswordChangedAt,
            a.SecurityQuestions.Count));
    }

    public static async Task<Ok<SessionListResponse>> ListSessions(ClaimsPrincipal user, ISessionService sessions, SessionPolicy policy, CancellationToken cancellationToken)
    {
        var current = user.FindFirstValue(RebindClaims.SessionId);
        var list = await sessions.ListAsync(AccountId(user), cancellationToken);
        return TypedResults.Ok(new SessionListResponse(list.Select(s => new SessionView(
            s.Id, s.DeviceName, s.UserAgent, s.IpAddress, s.CreatedAt, s.LastSeenAt,
            Min(s.ExpiresAt, s.LastSeenAt + policy.Idle), s.Id == current)).ToList()));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> EndSession(
        string id, ClaimsPrincipal user, HttpContext context, ISessionService sessions, IActivityLog activity, TimeProvider time, CancellationToken cancellationToken)
    {
        var accountId = AccountId(user);
        // Sessions are looked up only in the caller's own partition: another account's id is simply not found.
        if (!await sessions.RevokeAsync(accountId, id, cancellationToken))
        {
            return ErrorResults.Problem(AccountErrors.SessionNotFound());
        }

        await activity.RecordAsync(accountId, Event(ActivityTypes.SessionEnded, context, time, id), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<EndOthersResponse>> EndOtherSessions(
        ClaimsPrincipal user, HttpContext context, ISessionService sessions, IActivityLog activity, TimeProvider time, CancellationToken cancellationToken)
    {
        var accountId = AccountId(user);
        var current = user.FindFirstValue(RebindClaims.SessionId);
        var ended = await sessions.RevokeAllAsync(accountId, current, cancellationToken);
        await activity.RecordAsync(accountId, Event(ActivityTypes.OtherSessionsEnded, context, time, current, ended.ToString(System.Globalization.CultureInfo.InvariantCulture)), cancellationToken);
        return TypedResults.Ok(new EndOthersResponse(ended));
    }

    /// <param name="limit">1–100, default 20; anything else is 400 <c>validation_failed</c> (never clamped).</param>
    /// <param name="cursor"><c>nextCursor</c> of the previous page; empty or absent for the first. Any other value is
    /// 400 <c>validation_failed</c>: answering it with the first page would let a client loop forever.</param>
    public static async Task<Results<Ok<ActivityPage>, ProblemHttpResult>> ListActivity(
        ClaimsPrincipal user, HttpContext context, IActivityLog activity, CancellationToken cancellationToken, string? limit = null, string? cursor = null)
    {
        var pageSize = RequestFields.Limit(limit);
        if (!pageSize.IsSuccess)
        {
            return ErrorResults.Problem(pageSize.Error, context);
        }
        if (!string.IsNullOrEmpty(cursor) && !activity.IsCursor(cursor))
        {
            return ErrorResults.Problem(RequestErrors.Malformed("cursor", "'cursor' must be the nextCursor of the previous page."), context);
        }
        return TypedResults.Ok(await activity.ListAsync(AccountId(user), pageSize.Value, string.IsNullOrEmpty(cursor) ? null : cursor, cancellationToken));
    }

    public static async Task<Results<Ok<SecurityQuestionsResponse>, ProblemHttpResult>> GetSecurityQuestions(
        HttpContext context, IAccountStore accounts, CancellationToken cancellationToken)
    {
        var account = await AccountFlowStart.CallerAccountAsync(context, accounts, cancellationToken);
        return account is null
            ? ErrorResults.Problem(Core.Flows.FlowErrors.Forbidden())
            : TypedResults.Ok(View(account, ErrorResults.CultureOf(context)));
    }

    public static Ok<SecurityQuestionsResponse> GetSecurityQuestionCatalogue(HttpContext context)
    {
        var culture = ErrorResults.CultureOf(context);
        return TypedResults.Ok(new SecurityQuestionsResponse(
            SecurityQuestionCatalogue.Ids.Select(id => new SecurityQuestionView(id, SecurityQuestionCatalogue.Text(id, culture))).ToList()));
    }

    public static async Task<Results<Ok<SecurityQuestionsResponse>, ProblemHttpResult>> PutSecurityQuestions(
        SecurityQuestionsRequest? request, ClaimsPrincipal user, HttpContext context, IAccountStore accounts, IActivityLog activity,
        PasswordHasher hasher, TimeProvider time, IRateLimiter limiter, IMessageSender sender, CancellationToken cancellationToken)
    {
        // Every entry needs an answer (missing: 400 validation_failed); an entry without a catalogue id (a free-text
        // question sends none) is the domain's refusal, invalid_security_questions with rule question.
        if (QuestionsProblem(request?.Questions) is { } malformed)
        {
            return ErrorResults.Problem(malformed, context);
        }
        var items = request!.Questions!.Select(q => (q!.QuestionId, q.Answer)).ToList();
        if (SecurityAnswers.Check(items) is { } invalid)
        {
            return ErrorResults.Problem(invalid, context);
        }

        // Counted before any hashing (up to three PBKDF2 runs a request): a stolen session cannot burn CPU with it.
        var accountId = AccountId(user);
        if (await limiter.TryAcquireAsync(SecurityQuestionChangesPerHour, accountId, time.GetUtcNow(), cancellationToken) is { } limited)
        {
            return ErrorResults.Problem(limited, context);
        }

        // Hash before the read-modify-write loop: PBKDF2 is the slow part and must not widen the race window. The
        // question is stored by its catalogue id (shown in the reader's language), in catalogue order.
        var questions = items
            .OrderBy(i => SecurityQuestionCatalogue.IndexOf(i.QuestionId!))
            .Select(i => new SecurityQuestion(i.QuestionId!, i.QuestionId!, SecurityAnswers.Hash(hasher, i.Answer!)))
            .ToList();
        var written = await accounts.UpdateAsync(accountId, a => a with { SecurityQuestions = questions }, cancellationToken);
        if (written is null)
        {
            return ErrorResults.Problem(Core.Flows.FlowErrors.Forbidden());
        }

        await activity.RecordAsync(accountId, Event(ActivityTypes.SecurityQuestionsChanged, context, time, user.FindFirstValue(RebindClaims.SessionId)), cancellationToken);
        // Answers are a way back into the account: its owner hears of every change. Sent directly, not through a
        // flow's outbox: a lost notice is retried by nobody.
        await SecurityNotices.SendAsync(sender, written.Value, "security questions changed", "密保问题已修改", ErrorResults.CultureOf(context), time.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(View(written.Value, ErrorResults.CultureOf(context)));
    }

    public static async Task<Results<Ok<DeviceListResponse>, ProblemHttpResult>> ListDevices(ClaimsPrincipal user, HttpContext context, IAccountStore accounts, CancellationToken cancellationToken)
    {
        var stored = await accounts.GetAsync(AccountId(user), cancellationToken);
        if (stored is null)
        {
            return ErrorResults.Problem(Core.Flows.FlowErrors.Forbidden(), context);
        }
        return TypedResults.Ok(new DeviceListResponse(stored.Value.KnownDevices
            .OrderByDescending(d => d.LastSignInAt)
            .Select(d => new DeviceView(d.Id, d.Name, d.FirstSeenAt, d.LastSignInAt))
            .ToList()));
    }

    /// <summary>Removes the device from the account's known ones (one versioned write) and records it in the history.
    /// Another account's device, or an id that is none, is not found: only the caller's own list is looked at.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> ForgetDevice(
        string id, ClaimsPrincipal user, HttpContext context, IAccountStore accounts, IActivityLog activity, TimeProvider time, CancellationToken cancellationToken)
    {
        var accountId = AccountId(user);
        var found = false;
        var written = await accounts.UpdateAsync(accountId, a =>
        {
            found = a.KnownDevices.Any(d => d.Id == id);
            return found ? a with { KnownDevices = [.. a.KnownDevices.Where(d => d.Id != id)] } : null;
        }, cancellationToken);
        if (written is null || !found)
        {
            return ErrorResults.Problem(AccountErrors.DeviceNotFound(), context);
        }

        await activity.RecordAsync(accountId, Event(ActivityTypes.DeviceForgotten, context, time, user.FindFirstValue(RebindClaims.SessionId), id), cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// <c>POST /api/me/password</c>. Counted first (a stolen session cannot burn CPU: each attempt costs up to seven
    /// PBKDF2 runs), then the new password's rules (cheap, then the breached check), then the current password, then
    /// the new one against the remembered ones (<see cref="PasswordHistory"/>), then one write with the account's
    /// version that keeps the old hash in the history. Every other session ends (a new security stamp; the caller's
    /// session is carried over), the history records it and the bound phone and email are told.
    /// </summary>
    public static async Task<Results<Ok<PasswordChangedResponse>, ProblemHttpResult>> ChangePassword(
        PasswordChangeRequest? request, ClaimsPrincipal user, HttpContext context, IAccountStore accounts, ISessionService sessions,
        IActivityLog activity, Passwords.PasswordWork passwords, IBreachedPasswords breached, Passwords.BreachedPasswordOptions breachedOptions,
        IRateLimiter limiter, IMessageSender sender, TimeProvider time, CancellationToken cancellationToken)
    {
        if (RequestFields.First(
                RequestFields.Required(request?.CurrentPassword, "currentPassword"),
                RequestFields.Required(request?.NewPassword, "newPassword")) is { } missing)
        {
            return ErrorResults.Problem(missing, context);
        }
        var (current, replacement) = (request!.CurrentPassword!, request.NewPassword!);
        var accountId = AccountId(user);
        if (await limiter.TryAcquireAsync(PasswordChangesPerHour, accountId, time.GetUtcNow(), cancellationToken) is { } limited)
        {
            return ErrorResults.Problem(limited, context);
        }
        if ((PasswordPolicy.Check(replacement) ?? await Passwords.PasswordSetup.CheckBreachedAsync(breached, breachedOptions, replacement, cancellationToken)) is { } weak)
        {
            return ErrorResults.Problem(weak, context);
        }

        var stored = await accounts.GetAsync(accountId, cancellationToken);
        if (stored is null)
        {
            return ErrorResults.Problem(Core.Flows.FlowErrors.Forbidden(), context);
        }
        var account = stored.Value;
        if (!await passwords.VerifyAsync(current, account.PasswordHash, cancellationToken))
        {
            return ErrorResults.Problem(AccountErrors.CurrentPasswordIncorrect(), context);
        }
        foreach (var remembered in account.RememberedHashes())
        {
            if (await passwords.VerifyAsync(replacement, remembered, cancellationToken))
            {
                return ErrorResults.Problem(AccountErrors.PasswordReused(PasswordHistory.Remembered), context);
            }
        }

        var hash = await passwords.HashAsync(replacement, cancellationToken);
        var now = time.GetUtcNow();
        // Only over the password just verified: a change (or reset) in between wins, and this one is refused.
        var written = await accounts.UpdateAsync(stored, a => a.PasswordHash == account.PasswordHash ? a.WithNewPassword(hash, now) : null, cancellationToken);
        if (written is null)
        {
            return ErrorResults.Problem(Core.Flows.FlowErrors.Forbidden(), context);
        }
        if (written.Value.PasswordHash != hash)
        {
            return ErrorResults.Problem(RequestErrors.FlowConflict(), context);
        }

        var session = user.FindFirstValue(RebindClaims.SessionId);
        await sessions.RotateSecurityStampAsync(accountId, session, cancellationToken);
        await activity.RecordAsync(accountId, Event(ActivityTypes.PasswordChanged, context, time, session), cancellationToken);
        await SecurityNotices.SendAsync(sender, written.Value, "password changed", "密码已修改", ErrorResults.CultureOf(context), now, cancellationToken);
        return TypedResults.Ok(new PasswordChangedResponse(now));
    }

    /// <summary>Password change attempts per account per hour (each costs up to seven PBKDF2 runs).</summary>
    public static readonly RateLimitRule PasswordChangesPerHour = new("password_changes_account_hour", 5, TimeSpan.FromHours(1));

    /// <summary>Changes of the security questions per account per hour (each costs up to three PBKDF2 runs).</summary>
    public static readonly RateLimitRule SecurityQuestionChangesPerHour = new("security_questions_account_hour", 5, TimeSpan.FromHours(1));

    /// <summary>Every entry present with a non-blank answer; the count, ids and lengths are the domain's rules.</summary>
    private static Core.Error? QuestionsProblem(IReadOnlyList<SecurityQuestionInput?>? questions)
    {
        if (questions is null)
        {
            return RequestErrors.Missing("questions");
        }
        for (var i = 0; i < questions.Count; i++)
        {
            var at = $"questions[{i}]";
            if (RequestFields.First(
                    questions[i] is null ? RequestErrors.Missing(at) : null,
                    RequestFields.Required(questions[i]?.Answer, at + ".answer")) is { } error)
            {
                return error;
            }
        }
        return null;
    }

    private static string AccountId(ClaimsPrincipal user) => user.FindFirstValue(RebindClaims.AccountId)!;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>Catalogue questions in the reader's language; free-text ones from before the catalogue as stored.</summary>
    private static SecurityQuestionsResponse View(Account account, string culture) =>
        new(account.SecurityQuestions.Select(q => new SecurityQuestionView(
            q.Id, SecurityQuestionCatalogue.Contains(q.Id) ? SecurityQuestionCatalogue.Text(q.Id, culture) : q.Question)).ToList());

    private static ActivityEvent Event(string type, HttpContext context, TimeProvider time, string? sessionId, string? detail = null)
    {
        var client = ClientInfo.From(context);
        return new ActivityEvent(type, ActivityOutcomes.Success, time.GetUtcNow(), client.IpAddress, client.DeviceName, client.UserAgent, sessionId, detail);
    }
}

public sealed record MeResponse(string Id, string? Phone, string? Email, DateTimeOffset CreatedAt, DateTimeOffset? PasswordChangedAt, int SecurityQuestions);

/// <param name="ExpiresAt">When the session dies if not used again (idle or absolute, whichever comes first).</param>
public sealed record SessionView(string Id, string? DeviceName, string? UserAgent, string? IpAddress, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt, bool Current);

public sealed record SessionListResponse(IReadOnlyList<SessionView> Sessions);

public sealed record EndOthersResponse(int Ended);

/// <param name="QuestionId">An id from <c>GET /api/me/security-questions/catalogue</c>.</param>
public sealed record SecurityQuestionInput(string? QuestionId, string? Answer);

public sealed record SecurityQuestionsRequest(IReadOnlyList<SecurityQuestionInput?>? Questions);

public sealed record SecurityQuestionView(string Id, string Question);

public sealed record SecurityQuestionsResponse(IReadOnlyList<SecurityQuestionView> Questions);

/// <param name="CurrentPassword">The password the account has now.</param>
/// <param name="NewPassword">8 to 128 characters, the rules of every password, none of the last 5.</param>
public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword);

/// <param name="ChangedAt">When the new password took effect; every other session ended then.</param>
public sealed record PasswordChangedResponse(DateTimeOffset ChangedAt);

public sealed record DeviceListResponse(IReadOnlyList<DeviceView> Devices);

/// <param name="Id">The device's reference for <c>DELETE /api/me/devices/{id}</c> (not the id its app sends).</param>
/// <param name="Name">The name the app gave at a sign-in, if any.</param>
/// <param name="FirstSeenAt">Its first sign-in with the right password, when known.</param>
public sealed record DeviceView(string Id, string? Name, DateTimeOffset? FirstSeenAt, DateTimeOffset LastSignInAt);
