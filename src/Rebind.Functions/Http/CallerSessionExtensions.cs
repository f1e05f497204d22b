using Rebind.Core.Sessions;

namespace Rebind.Functions.Http;

/// <summary>The session the session authentication found for this request (device name etc.), beside the claims.</summary>
public static class CallerSessionExtensions
{
    internal const string ItemKey = "Rebind.Session";

    public static Session? CallerSession(this HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true ? context.Items[ItemKey] as Session : null;
}
