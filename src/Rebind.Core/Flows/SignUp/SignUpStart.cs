using Rebind.Core.Identity;

namespace Rebind.Core.Flows.SignUp;

/// <summary>Start sign-up for <paramref name="Phone"/>; messages use <paramref name="Culture"/>.</summary>
public sealed record SignUpStart(PhoneNumber Phone, string Culture) : FlowStart(Culture)
{
    /// <summary>SHA-256 of the device id the app sent (<c>KnownDevice.HashOf</c>): the new account knows that device.</summary>
    public string? DeviceHash { get; init; }

    /// <summary>The name the app gave the device, kept with it.</summary>
    public string? DeviceName { get; init; }
}
