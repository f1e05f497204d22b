namespace Rebind.Functions.Http;

/// <summary>
/// Whether an <c>Idempotency-Key</c> has the shape of a random token of at least 128 bits: 32 hex digits (a UUID,
/// hyphens being separators) or 22 base64/base64url characters, with at least 8 different characters (which turns
/// away zeros, counters of one digit and repeated characters). No single string proves its own randomness: what
/// keeps a key's answer from other callers is that it is also bound to the client (<see cref="IdempotencyFilter"/>).
/// </summary>
public static class IdempotencyKeys
{
    public const int MinimumBits = 128;

    private const int MinimumDistinct = 8;

    public static bool IsStrong(string key)
    {
        var symbols = key.TrimEnd('=');
        var hexDigits = symbols.Replace("-", "", StringComparison.Ordinal);
        if (symbols.Distinct().Count(c => c != '-') < MinimumDistinct)
        {
            return false;
        }
        if (hexDigits.All(char.IsAsciiHexDigit))
        {
            return hexDigits.Length * 4 >= MinimumBits;
        }
        return symbols.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '+' or '/')
            && symbols.Length * 6 >= MinimumBits;
    }
}
