using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Rebind.Core.Sessions;

namespace Rebind.Functions.Http;

/// <summary>
/// Scheme <see cref="RebindClaims.Scheme"/>: <c>Authorization: Bearer &lt;token&gt;</c> → SHA-256 → token row →
/// session row and account row → alive (stamp, idle, absolute) → claims per <see cref="RebindClaims"/>.
/// Anything else is 401 <c>unauthorized</c> with no hint why.
/// </summary>
internal sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ISessionService sessions,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("Not a bearer token.");
        }

        var authenticated = await sessions.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (authenticated is null)
        {
            return AuthenticateResult.Fail("Unknown, ended or expired session.");
        }

        var session = authenticated.Session;
        Context.Items[CallerSessionExtensions.ItemKey] = authenticated;
        var identity = new ClaimsIdentity(
            [
                new Claim(RebindClaims.AccountId, session.AccountId),
                new Claim(RebindClaims.SessionId, session.Id),
                new Claim(RebindClaims.AuthTime, session.AuthenticatedAt.ToString("o", CultureInfo.InvariantCulture)),
            ],
            RebindClaims.Scheme,
            RebindClaims.AccountId,
            null);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), RebindClaims.Scheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return WriteProblemAsync(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized, "Sign in to do this.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "You may not do this.");

    private async Task WriteProblemAsync(int status, string code, string detail)
    {
        Response.StatusCode = status;
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = status,
                Title = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
                Detail = detail,
                Extensions = { ["code"] = code },
            },
        });
    }
}
