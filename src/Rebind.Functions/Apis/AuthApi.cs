using System.Security.Claims;
using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;
using Rebind.Core.Sessions;
using Rebind.Functions.Flows;
using Rebind.Functions.Http;
using Rebind.Functions.SignIn;

namespace Rebind.Functions.Apis;

/// <summary>Sign-in, sign-out and re-authentication.</summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/sign-in", SignIn).Fails(ProblemResponses.PasswordCheck).Fails(ProblemResponses.SendsSms)
            .Fails(StatusCodes.Status429TooManyRequests, FlowErrorCodes.RateLimited)
            .WithName("SignIn")
            .WithSummary("Phone or email plus password → a bearer token; from a device the account does not know, 201 and a code first.");
        group.MapPost("/sign-in/verify", VerifyDevice).WithName("VerifyDeviceSignIn")
            .WithSummary("The code of a new-device sign-in (the flow the sign-in answered with 201) → the bearer token.")
            .Fails(ProblemResponses.FlowStep)
            .Fails(StatusCodes.Status400BadRequest, ProblemResponses.ValidationFailed, FlowErrorCodes.InvalidCode)
            .Fails(StatusCodes.Status403Forbidden, AccountErrors.PasswordResetRequiredCode)
            .Fails(StatusCodes.Status409Conflict, FlowErrorCodes.CodeUsed, FlowErrorCodes.AccountChanged)
            .Fails(StatusCodes.Status410Gone, FlowErrorCodes.CodeExpired)
            .Fails(StatusCodes.Status429TooManyRequests, FlowErrorCodes.TooManyAttempts);
        group.MapPost("/not-me", NotMe).WithName("ReportSignInNotMe")
            .WithSummary("With the code from a sign-in alert: ends that session and requires a password reset before the next sign-in; no sign-in needed.")
            .Fails(StatusCodes.Status400BadRequest, ProblemResponses.ValidationFailed, FlowErrorCodes.InvalidReportCode)
            .Fails(StatusCodes.Status429TooManyRequests, FlowErrorCodes.RateLimited);
        group.MapPost("/sign-out", SignOut).RequireAuthorization().WithName("SignOut").WithSummary("Ends the caller's session.");
        group.MapPost("/reauthenticate", Reauthenticate).RequireAuthorization().Fails(ProblemResponses.PasswordCheck).WithName("Reauthenticate")
            .WithSummary("Proves the password again; security changes need this within 15 minutes.");
        return app;
    }

    public static async Task<Results<Ok<SignInResponse>, Created<FlowView>, ProblemHttpResult>> SignIn(
        SignInRequest request, HttpContext context, SignInService signIn, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken)
    {
        var deviceId = ClientInfo.DeviceId(context, request.DeviceId);
        var result = await signIn.SignInAsync(
            request.Identifier, request.Region, request.Password, deviceId, ClientInfo.From(context, request.DeviceName), ErrorResults.CultureOf(context), cancellationToken);
        if (!result.IsSuccess)
        {
            return ErrorResults.Problem(result.Error);
        }

        if (result.Value.Verification is { } flow)
        {
            return TypedResults.Created($"/api/flows/{flow.Id}", FlowView.From(flow, kinds.For(flow.Kind), policy));
        }

        return Answer(result.Value.Session!);
    }

    public static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> VerifyDevice(
        VerifyDeviceRequest? request, HttpContext context, DeviceSignIns devices, CancellationToken cancellationToken)
    {
        var result = await devices.VerifyAsync(request?.FlowId, request?.Code, ClientInfo.From(context, request?.DeviceName), cancellationToken);
        return result.IsSuccess ? Answer(result.Value) : ErrorResults.Problem(result.Error, context);
    }

    public static async Task<Results<Ok<SignInReportView>, ProblemHttpResult>> NotMe(
        SignInReportRequest? request, HttpContext context, SignInReports reports, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.Code))
        {
            return ErrorResults.Problem(RequestErrors.Missing("code"), context);
        }

        var result = await reports.ReportAsync(request.Code, ClientInfo.From(context), ErrorResults.CultureOf(context), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ErrorResults.Problem(result.Error, context);
    }

    private static Ok<SignInResponse> Answer(NewSession created) =>
        TypedResults.Ok(new SignInResponse(created.Token, created.Session.Id, created.Session.AccountId, created.Session.ExpiresAt));

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
/// A random id the app makes once per install (e.g. a UUID) and keeps private (or the <c>X-Device-Id</c> header). A device
/// the account does not know (or no id at all) gets, for the right password, <c>201</c> with a <c>verify_device</c> flow: a
/// code went to the bound phone (else the email), and <c>POST /api/auth/sign-in/verify</c> with it answers the token.
/// After that the device is known: no code next time, and its failures no longer count with other clients', whose
/// failures cannot keep it out.
/// </param>
public sealed record SignInRequest(string? Identifier, string? Password, string? Region = null, string? DeviceName = null, string? DeviceId = null);

/// <param name="Token">Send as <c>Authorization: Bearer {token}</c>; shown once, never stored by the server.</param>
/// <param name="ExpiresAt">Absolute expiry; the session dies earlier when unused for the idle period.</param>
public sealed record SignInResponse(string Token, string SessionId, string AccountId, DateTimeOffset ExpiresAt);

public sealed record ReauthenticateRequest(string? Password);

/// <param name="RecentUntil">Security changes are allowed until then without another re-authentication.</param>
public sealed record ReauthenticateResponse(DateTimeOffset AuthenticatedAt, DateTimeOffset RecentUntil);

/// <param name="FlowId">The id of the flow the sign-in answered with 201.</param>
/// <param name="Code">The code sent to the bound phone (or email).</param>
/// <param name="DeviceName">Shown in the session list; defaults to the one the sign-in gave.</param>
public sealed record VerifyDeviceRequest(string? FlowId, string? Code, string? DeviceName = null);

/// <param name="Code">The code from the sign-in alert's "this wasn't me" link.</param>
public sealed record SignInReportRequest(string? Code = null);
