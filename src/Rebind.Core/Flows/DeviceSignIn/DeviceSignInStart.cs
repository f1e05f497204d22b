namespace Rebind.Core.Flows.DeviceSignIn;

/// <summary>
/// A sign-in whose password was right, from a device <paramref name="Account"/> does not know.
/// </summary>
/// <param name="DeviceHash">SHA-256 of the device id the app sent (<c>KnownDevice.HashOf</c>), or of nothing when it
/// sent none: such a device is verified for this session only and never remembered.</param>
/// <param name="DeviceName">The name the app gave, for the alert and the device list.</param>
/// <param name="Place">Where the sign-in came from, for the alert (an IP address; a country where known).</param>
public sealed record DeviceSignInStart(AccountSnapshot Account, string? DeviceHash, string? DeviceName, string Place, string Culture) : FlowStart(Culture);
