namespace Rebind.Functions.Http;

/// <summary>
/// The client's IP, for per-client limits, sessions and the activity history. Under the Functions host every
/// request comes from the host on loopback; the real client is then the LAST <c>X-Forwarded-For</c> entry, the
/// one the nearest proxy appended (earlier entries are the client's to forge). A direct, non-loopback caller is
/// its connection address, whatever headers it sends.
/// </summary>
public static class ClientAddress
{
    public static string For(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || System.Net.IPAddress.IsLoopback(remote))
        {
            var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
            var last = forwarded.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            if (last is not null && System.Net.IPAddress.TryParse(last, out var parsed))
            {
                return parsed.ToString();
            }
        }
        return remote?.ToString() ?? "unknown";
    }
}
