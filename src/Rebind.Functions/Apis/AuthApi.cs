using System.Security.Claims;
using Rebind.Core.Activity;
using Rebind.Core.Sessions;
using Rebind.Functions.Http;
using Rebind.Functions.SignIn;

namespace Rebind.Functions.Apis;

/// <summary>Sign-in, sign-out and re-authentication.</summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/sign-in", SignIn).Fails(ProblemResponses.PasswordCheck).WithName("SignIn").WithSummary("Phone or email plus password → a bearer token.");
        group.MapPost("/sign-out", SignOut).RequireAuthorization().WithName("SignOut").WithSummary("Ends the caller's session.");
        group.MapPost("/reauthenticate", Reauthenticate).RequireAuthorization().Fails(ProblemResponses.PasswordCheck).WithName("Reauthenticate")
            .WithSummary("Proves the password again; security changes need this within 15 minutes.");
        return app;
    }

    public static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> SignIn(
        SignInRequest request, HttpContext context, SignInService signIn, CancellationToken cancellationToken)
    {
        var result = await signIn.SignInAsync(
            request.Identifier, request.Region, request.Password, request.DeviceId, ClientInfo.From(context, request.DeviceName), ErrorResults.CultureOf(context), cancellationToken);
        if (!result.IsSuccess)
        {
            return ErrorResults.Problem(result.Error);
        }

        var session = result.Value.Session;
        return TypedResults.Ok(new SignInResponse(result.Value.Token, session.Id, session.AccountId, session.ExpiresAt));
    }

    public static async Task<NoContent> SignOut(
        ClaimsPrincipal user, HttpContext context, ISessionService sessions, IActivityLog activity, TimeProvider time, CancellationToken cancellationToken)
    {
        var accountId = user.FindFirstValue(RebindClaims.AccountId)!;
        var sessionId = user.FindFirstValue(RebindClaims.SessionId)!;
        var client = ClientInfo.From(context);
        if (await sessions.RevokeAsync(accountId, sessionId, cancellationToken))
        {
            await activity.RecordAsync(accountId, new ActivityEvent(ActivityTypes.SignOut, ActivityOutcomes.Success, time.GetUtcNow(),
                client.IpAddress, client.DeviceName, client.UserAgent, sessionId), cancellationToken);
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ReauthenticateResponse>, ProblemHttpResult>> Reauthenticate(
        ReauthenticateRequest request, ClaimsPrincipal user, HttpContext context, SignInService signIn, SessionPolicy policy, CancellationToken cancellationToken)
    {
        var result = await signIn.ReauthenticateAsync(
            user.FindFirstValue(RebindClaims.AccountId)!, user.FindFirstValue(RebindClaims.SessionId)!, request.Password, ClientInfo.From(context), cancellationToken);
        return result.IsSuccess
            ? TypedResults.Ok(new ReauthenticateResponse(result.Value, result.Value + policy.Reauthentication))
            : ErrorResults.Problem(result.Error);
    }
}

/// <param name="Identifier">A phone number (E.164, or national with <paramref name="Region"/>) or an email address.</param>
/// <param name="Region">ISO region for a national phone number, e.g. <c>CN</c>.</param>
/// <param name="DeviceName">Shown in the session list and the history, e.g. "Xiaomi 14".</param>
/// <param name="DeviceId">
/// A random id the app makes once per install (e.g. a UUID) and keeps private. After a sign-in with the right password the
/// device is known to the account: its failures no longer count with other clients', whose failures cannot keep it out.
/// </param>
public sealed record SignInRequest(string? Identifier, string? Password, string? Region = null, string? DeviceName = null, string? DeviceId = null);

/// <param name="Token">Send as <c>Authorization: Bearer {token}</c>; shown once, never stored by the server.</param>
/// <param name="ExpiresAt">Absolute expiry; the session dies earlier when unused for the idle period.</param>
public sealed record SignInResponse(string Token, string SessionId, string AccountId, DateTimeOffset ExpiresAt);

public sealed record ReauthenticateRequest(string? Password);

/// <param name="RecentUntil">Security changes are allowed until then without another re-authentication.</param>
public sealed record ReauthenticateResponse(DateTimeOffset AuthenticatedAt, DateTimeOffset RecentUntil);
