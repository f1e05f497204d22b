using Rebind.Core.Sessions;

namespace Rebind.Functions.Http;

/// <summary>What a request says about its client, for sessions and the activity history.</summary>
public static class ClientInfo
{
    /// <summary>Optional header naming the device when the body cannot (e.g. sign-out).</summary>
    public const string DeviceNameHeader = "X-Device-Name";

    public static SessionClient From(HttpContext context, string? deviceName = null) =>
        SessionClient.Create(
            deviceName ?? context.CallerSession()?.DeviceName ?? context.Request.Headers[DeviceNameHeader].ToString(),
            context.Request.Headers.UserAgent.ToString(),
            ClientIp(context));

    /// <summary>
    /// The remote address; when it is loopback (the Functions host or a local proxy in front of us), the last
    /// <c>X-Forwarded-For</c> entry, which the nearest proxy appended (earlier entries are the client's to forge).
    /// </summary>
    public static string? ClientIp(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is not null && System.Net.IPAddress.IsLoopback(remote))
        {
            var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
            var last = forwarded.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            if (last is not null && System.Net.IPAddress.TryParse(last, out var parsed))
            {
                return parsed.ToString();
            }
        }

        return remote?.ToString();
    }
}
