using System.Security.Cryptography;
using System.Text;

namespace Rebind.Core.Flows;

/// <summary>
/// Cancel codes for changes waiting out a cool-off: <c>{flowId}.{secret}</c>, the secret 80 bits from the CSPRNG
/// in Crockford base32. The flow id part lets the integrator load the flow without any index; the flow stores
/// only the SHA-256 of the whole code (a high-entropy secret needs no slow hash).
/// </summary>
public static class CancelCodes
{
    private const int SecretBytes = 10;

    /// <summary>A new code for <paramref name="flowId"/> and the hash to store.</summary>
    public static (string Code, string Hash) New(string flowId)
    {
        var secret = Security.CrockfordBase32.Encode(RandomNumberGenerator.GetBytes(SecretBytes));
        var code = flowId + "." + secret;
        return (code, Hash(code));
    }

    /// <summary>The flow id part of a code as typed; false when it has no such part.</summary>
    public static bool TryGetFlowId(string? code, out string flowId)
    {
        flowId = string.Empty;
        var trimmed = code?.Trim();
        var dot = trimmed?.LastIndexOf('.') ?? -1;
        if (trimmed is null || dot <= 0 || dot == trimmed.Length - 1 || trimmed.Length > 128)
        {
            return false;
        }

        flowId = trimmed[..dot];
        return true;
    }

    /// <summary>Constant-time check of a typed code (trimmed, secret upper-cased) against <paramref name="hash"/>.</summary>
    public static bool Matches(string? code, string hash)
    {
        var trimmed = code?.Trim() ?? string.Empty;
        var dot = trimmed.LastIndexOf('.');
        var normalized = dot < 0 ? trimmed : trimmed[..(dot + 1)] + trimmed[(dot + 1)..].ToUpperInvariant();
        Span<byte> expected = stackalloc byte[32];
        if (!Convert.TryFromBase64String(hash, expected, out var written) || written != expected.Length)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)), expected);
    }

    private static string Hash(string code) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
}
