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
            ClientAddress.For(context));
}
