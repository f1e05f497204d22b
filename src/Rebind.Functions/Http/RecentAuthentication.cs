using System.Globalization;
using Rebind.Core;
using Rebind.Core.Accounts;
using Rebind.Core.Sessions;

namespace Rebind.Functions.Http;

/// <summary>
/// Security changes need a password proof within <see cref="SessionPolicy.Reauthentication"/> (15 minutes):
/// put <see cref="RequireRecentAuthentication{TBuilder}"/> on the endpoint, or call <see cref="Check"/> in a handler.
/// Too old → 401 <c>reauthentication_required</c>; <c>POST /api/auth/reauthenticate</c> refreshes it.
/// </summary>
public static class RecentAuthentication
{
    /// <summary>Requires a signed-in caller whose last password proof is recent; implies <c>RequireAuthorization</c>.</summary>
    public static TBuilder RequireRecentAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization();
        builder.Fails(StatusCodes.Status401Unauthorized, AccountErrors.ReauthenticationRequiredCode);
        builder.AddEndpointFilter(async (invocation, next) =>
            Check(invocation.HttpContext) is { } error ? ErrorResults.Problem(error) : await next(invocation));
        return builder;
    }

    /// <summary>Null when the caller proved the password recently, else <c>reauthentication_required</c>.</summary>
    public static Error? Check(HttpContext context)
    {
        var policy = context.RequestServices.GetRequiredService<SessionPolicy>();
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var claim = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirst(RebindClaims.AuthTime)?.Value : null;
        return claim is not null
            && DateTimeOffset.TryParse(claim, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var authTime)
            && policy.IsRecent(authTime, now)
                ? null
                : AccountErrors.ReauthenticationRequired();
    }
}
