using Rebind.Core.Accounts;
using Rebind.Core.Sessions;

namespace Rebind.Functions.Http;

/// <summary>
/// The session and account the session authentication found for this request (device name, the account as read
/// to check the session), beside the claims.
/// </summary>
public static class CallerSessionExtensions
{
    internal const string ItemKey = "Rebind.Session";

    public static Session? CallerSession(this HttpContext context) => Authenticated(context)?.Session;

    /// <summary>The caller's account as read when the session was checked (this request); null when not signed in.</summary>
    public static Versioned<Account>? CallerAccount(this HttpContext context) => Authenticated(context)?.Account;

    private static AuthenticatedSession? Authenticated(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true ? context.Items[ItemKey] as AuthenticatedSession : null;
}
