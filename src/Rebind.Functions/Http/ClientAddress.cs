using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Rebind.Functions.Http;

/// <summary>
/// The client's IP, for per-client limits, sessions and the activity history: the connection address after the
/// forwarded-headers middleware (<see cref="ForwardedHeadersSetup"/>) applied what trusted proxies said. When that is
/// still a trusted proxy (it sent no usable <c>X-Forwarded-For</c>), the client is <c>unknown</c>: never the proxy's
/// loopback, which would put every such client in one bucket that looks local.
/// </summary>
public static class ClientAddress
{
    public const string Unknown = "unknown";

    public static string For(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null)
        {
            return Unknown;
        }
        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }
        var options = context.RequestServices.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        return ForwardedHeadersSetup.IsTrustedProxy(options, remote) ? Unknown : remote.ToString();
    }
}
