using System.Security.Cryptography;
using System.Text;

namespace Rebind.Azure.Stores;

/// <summary>
/// Keys built from user input (emails, IPs, client idempotency keys) are hashed: Table keys forbid
/// <c>/ \ # ?</c> and control characters, and a fixed-length hex key can never hit those rules.
/// </summary>
public static class StoreKeys
{
    public static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..40];

    /// <summary>UTC ticks, fixed width, so string order is time order.</summary>
    public static string Ticks(DateTimeOffset at) => at.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
}
