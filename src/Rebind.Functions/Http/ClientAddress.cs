using Rebind.Functions.Hosting;

namespace Rebind.Functions.Http;

/// <summary>
/// The client's IP for per-client limits. Under the Functions host every request comes from the host on
/// loopback and the real client is the first <c>X-Forwarded-For</c> entry; standalone, the header is anyone's to
/// forge, so only the connection counts.
/// </summary>
public static class ClientAddress
{
    public static string For(HttpContext context)
    {
        if (HostingSetup.UnderFunctionsHost)
        {
            var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
            var first = forwarded.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            if (!string.IsNullOrEmpty(first))
            {
                return first;
            }
        }
        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }
}
