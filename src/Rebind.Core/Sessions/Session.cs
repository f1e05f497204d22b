namespace Rebind.Core.Sessions;

/// <summary>A signed-in device. The token is never stored; only its SHA-256 (see <see cref="SessionTokens"/>).</summary>
/// <param name="SecurityStamp">The account's stamp when the session was made; a different current stamp kills it.</param>
/// <param name="AuthenticatedAt">Last proof of the password (sign-in or re-authentication).</param>
/// <param name="ExpiresAt">Absolute expiry, fixed at creation.</param>
public sealed record Session(
    string AccountId,
    string Id,
    string SecurityStamp,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset AuthenticatedAt,
    DateTimeOffset ExpiresAt,
    string? DeviceName,
    string? UserAgent,
    string? IpAddress)
{
    /// <summary>SHA-256 of the device id the session signed in with (<c>KnownDevice.HashOf</c>), if the app sent one.</summary>
    public string? DeviceHash { get; init; }
}
