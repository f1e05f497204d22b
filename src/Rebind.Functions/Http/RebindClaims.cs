namespace Rebind.Functions.Http;

/// <summary>
/// Claims the session authentication puts on <c>HttpContext.User</c> for a valid bearer token; endpoints
/// read the caller from these and nothing else.
/// </summary>
public static class RebindClaims
{
    /// <summary>The signed-in account id.</summary>
    public const string AccountId = "sub";

    /// <summary>The session id (the row key of the session, not the token).</summary>
    public const string SessionId = "sid";

    /// <summary>When the session last proved the password (sign-in or re-authentication), ISO 8601.</summary>
    public const string AuthTime = "auth_time";

    /// <summary>The authentication scheme name.</summary>
    public const string Scheme = "Session";

    public static string? CallerAccountId(this HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true ? context.User.FindFirst(AccountId)?.Value : null;
}
