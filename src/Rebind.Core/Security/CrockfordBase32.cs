using System.Text;

namespace Rebind.Core.Security;

/// <summary>
/// Crockford's base32 (digits and upper-case letters without I, L, O, U): codes people copy from a message, read
/// case-insensitively, with no look-alike characters.
/// </summary>
public static class CrockfordBase32
{
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>The bits of <paramref name="bytes"/>, 5 to a character, most significant first; at most
    /// <paramref name="maxChars"/> characters (leftover bits are dropped).</summary>
    public static string Encode(ReadOnlySpan<byte> bytes, int maxChars = int.MaxValue)
    {
        var text = new StringBuilder(Math.Min(maxChars, (bytes.Length * 8 + 4) / 5));
        ulong buffer = 0;
        var bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5 && text.Length < maxChars)
            {
                bits -= 5;
                text.Append(Alphabet[(int)((buffer >> bits) & 31)]);
            }
        }
        return text.ToString();
    }

    /// <summary>Whether every character of an upper-cased <paramref name="text"/> is in the alphabet.</summary>
    public static bool IsEncoded(string text) => text.All(c => Alphabet.Contains(c, StringComparison.Ordinal));
}
