namespace Rebind.Core.Sessions;

/// <summary>Who is asking, as far as a request tells: recorded on sessions and in the activity history.</summary>
public sealed record SessionClient(string? DeviceName, string? UserAgent, string? IpAddress)
{
    public const int MaxDeviceNameLength = 100;

    /// <summary>SHA-256 of the device id the app sent with a sign-in (<c>KnownDevice.HashOf</c>), kept on the session it gets.</summary>
    public string? DeviceHash { get; init; }
    public const int MaxUserAgentLength = 300;

    /// <summary>Trims and caps the client-supplied strings so a row never grows past what we mean to keep.</summary>
    public static SessionClient Create(string? deviceName, string? userAgent, string? ipAddress) =>
        new(Cap(deviceName, MaxDeviceNameLength), Cap(userAgent, MaxUserAgentLength), Cap(ipAddress, 64));

    private static string? Cap(string? value, int max)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        // Control characters have no business in a device name and would break log lines.
        var clean = new string(trimmed.Where(c => !char.IsControl(c)).ToArray());
        return clean.Length <= max ? clean : clean[..max];
    }
}
