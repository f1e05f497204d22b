using System.Security.Cryptography;
using System.Text;

namespace Rebind.Core.Security;

/// <summary>
/// "This wasn't me" codes, sent in the notice of a newly added contact: 130 bits from the CSPRNG as 26 Crockford
/// base32 characters (case-insensitive, no look-alikes). Only the SHA-256 of the normalized code is stored: a
/// high-entropy secret needs no slow hash, and the store never holds anything that opens the report.
/// </summary>
public static class ReportCodes
{
    private const int Length = 26;

    /// <summary>A new code and the hash to store under.</summary>
    public static (string Code, string Hash) New()
    {
        var text = CrockfordBase32.Encode(RandomNumberGenerator.GetBytes(17), Length);
        return (text, Hash(text));
    }

    /// <summary>
    /// The hash of a code as typed (trimmed, any case), or null when it cannot be a code at all: such input is refused
    /// before any storage is read.
    /// </summary>
    public static string? TryHash(string? typed)
    {
        var trimmed = typed?.Trim();
        if (trimmed is null || trimmed.Length != Length)
        {
            return null;
        }

        var upper = trimmed.ToUpperInvariant();
        return CrockfordBase32.IsEncoded(upper) ? Hash(upper) : null;
    }

    private static string Hash(string normalized) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
}
