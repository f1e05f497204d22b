using Rebind.Core.Sessions;

namespace Rebind.Functions.Http;

/// <summary>What a request says about its client, for sessions and the activity history.</summary>
public static class ClientInfo
{
    /// <summary>Optional header naming the device when the body cannot (e.g. sign-out).</summary>
    public const string DeviceNameHeader = "X-Device-Name";

    /// <summary>The header that may carry the app's device id instead of a body's <c>deviceId</c>.</summary>
    public const string DeviceIdHeader = "X-Device-Id";

    /// <summary>The app's device id: the body's <paramref name="fromBody"/>, else the <c>X-Device-Id</c> header, else null.</summary>
    public static string? DeviceId(HttpContext context, string? fromBody) =>
        fromBody ?? (context.Request.Headers.TryGetValue(DeviceIdHeader, out var header) ? header.ToString() : null);

    public static SessionClient From(HttpContext context, string? deviceName = null) =>
        SessionClient.Create(
            deviceName ?? context.CallerSession()?.DeviceName ?? context.Request.Headers[DeviceNameHeader].ToString(),
            context.Request.Headers.UserAgent.ToString(),
            ClientAddress.For(context));
}
