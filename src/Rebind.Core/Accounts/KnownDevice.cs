using System.Security.Cryptography;
using System.Text;

namespace Rebind.Core.Accounts;

/// <summary>
/// A device that signed in to the account with the right password: the SHA-256 of the device id its app sends (the
/// id itself, a random value the app keeps, is never stored). Its failures count on the account's own counter, not
/// with strangers', so strangers' failures never keep it out.
/// </summary>
public sealed record KnownDevice(string Hash, DateTimeOffset LastSignInAt)
{
    /// <summary>The name the app gave with its last written sign-in (<c>deviceName</c>, or <c>X-Device-Name</c>), if any.</summary>
    public string? Name { get; init; }

    /// <summary>Its first sign-in with the right password (null for devices remembered before this was kept).</summary>
    public DateTimeOffset? FirstSeenAt { get; init; }

    /// <summary>How the owner names it in <c>/api/me/devices</c>: a prefix of <see cref="Hash"/> (of a random id the
    /// app keeps), enough to tell 20 devices apart and useless for anything else. Derived, so never stored.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Id => Hash[..16];

    /// <summary>Devices remembered per account; the one that signed in longest ago is forgotten first.</summary>
    public const int MaxPerAccount = 20;

    /// <summary>How stale <see cref="LastSignInAt"/> may get before a sign-in writes it again (it only orders forgetting).</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromDays(1);

    public static string HashOf(string deviceId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(deviceId)));

    /// <summary>Whether <paramref name="deviceId"/> is one of <paramref name="devices"/>.</summary>
    public static bool IsKnown(IReadOnlyList<KnownDevice> devices, string? deviceId)
    {
        ArgumentNullException.ThrowIfNull(devices);
        if (deviceId is null || devices.Count == 0)
        {
            return false;
        }

        var hash = HashOf(deviceId);
        return devices.Any(d => d.Hash == hash);
    }

    /// <summary>
    /// <paramref name="devices"/> with <paramref name="deviceId"/> signed in at <paramref name="now"/>, or null when the
    /// list need not be written (the device is known and was seen within <see cref="Refresh"/>).
    /// </summary>
    /// <param name="name">The device's name, kept with the entry when it is written.</param>
    public static IReadOnlyList<KnownDevice>? Remember(IReadOnlyList<KnownDevice> devices, string? deviceId, DateTimeOffset now, string? name = null) =>
        deviceId is null ? null : RememberHash(devices, HashOf(deviceId), now, name);

    /// <summary><see cref="Remember"/> by the device id's hash (<see cref="HashOf"/>), as flows and sessions keep it.</summary>
    public static IReadOnlyList<KnownDevice>? RememberHash(IReadOnlyList<KnownDevice> devices, string hash, DateTimeOffset now, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentException.ThrowIfNullOrEmpty(hash);
        var existing = devices.FirstOrDefault(d => d.Hash == hash);
        if (existing is not null && now - existing.LastSignInAt < Refresh)
        {
            return null;
        }

        var entry = new KnownDevice(hash, now)
        {
            Name = string.IsNullOrWhiteSpace(name) ? existing?.Name : name,
            FirstSeenAt = existing is null ? now : existing.FirstSeenAt,
        };
        return [.. devices.Where(d => d.Hash != hash).Append(entry)
            .OrderByDescending(d => d.LastSignInAt).Take(MaxPerAccount)];
    }
}
