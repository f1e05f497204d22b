using System.Security.Cryptography;
using System.Text;

namespace Rebind.Core.Sessions;

/// <summary>
/// Bearer tokens: 256 bits from a CSPRNG, base64url. Stored only as SHA-256 (hex): a token has full entropy,
/// so a fast hash is enough (no salt or stretching needed, unlike passwords).
/// </summary>
public static class SessionTokens
{
    public const int TokenBytes = 32;

    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(TokenBytes));

    public static string NewSessionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>SHA-256 of the token's UTF-8, lower-case hex; null for input that cannot be one of our tokens.</summary>
    public static string? Hash(string? token)
    {
        // A real token is 43 base64url characters; anything else is refused without touching storage.
        if (token is not { Length: 43 } || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    public static bool IsSessionId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
