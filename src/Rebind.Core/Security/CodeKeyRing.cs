using System.Security.Cryptography;
using System.Text;

namespace Rebind.Core.Security;

/// <summary>
/// Server secrets for code HMACs. Codes are issued with <see cref="CurrentKeyId"/> and verified with the key id
/// stored on the challenge, so keys rotate without breaking codes in flight: add the new key, make it current,
/// drop the old one after a code lifetime.
/// </summary>
public sealed class CodeKeyRing
{
    public const int MinKeyBytes = 32;

    private readonly Dictionary<string, byte[]> keys;

    public CodeKeyRing(string currentKeyId, IReadOnlyDictionary<string, byte[]> keys)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currentKeyId);
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var (id, key) in keys)
        {
            if (string.IsNullOrWhiteSpace(id) || key is null || key.Length < MinKeyBytes)
            {
                throw new ArgumentException($"Code key '{id}' must have a name and at least {MinKeyBytes} bytes.", nameof(keys));
            }
        }

        if (!keys.ContainsKey(currentKeyId))
        {
            throw new ArgumentException($"The current key '{currentKeyId}' is not in the ring.", nameof(currentKeyId));
        }

        CurrentKeyId = currentKeyId;
        this.keys = keys.ToDictionary(k => k.Key, k => k.Value.ToArray(), StringComparer.Ordinal);
    }

    public string CurrentKeyId { get; }

    public bool HasKey(string keyId) => keys.ContainsKey(keyId);

    /// <summary>
    /// A key for another purpose (e.g. the support console's anti-forgery tokens), derived from the current key by
    /// HMAC-SHA256 over <paramref name="purpose"/>: it changes when the current key rotates.
    /// </summary>
    public byte[] DeriveKey(string purpose)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        return HMACSHA256.HashData(keys[CurrentKeyId], System.Text.Encoding.UTF8.GetBytes("rebind-derived|" + purpose));
    }

    /// <summary>A ring with one fresh random key; for tests and local development only.</summary>
    public static CodeKeyRing CreateRandom(string keyId = "k1") =>
        new(keyId, new Dictionary<string, byte[]> { [keyId] = RandomNumberGenerator.GetBytes(MinKeyBytes) });

    /// <summary>
    /// HMAC-SHA256 over the length-prefixed UTF-8 of flow id, step, destination and code, base64. Null when
    /// <paramref name="keyId"/> is not in the ring.
    /// </summary>
    public string? Hash(string keyId, string flowId, string step, string destination, string code)
    {
        if (!keys.TryGetValue(keyId, out var key))
        {
            return null;
        }

        return Convert.ToBase64String(HMACSHA256.HashData(key, Encode(flowId, step, destination, code)));
    }

    /// <summary>
    /// The code of send number <paramref name="send"/> of <paramref name="step"/> in flow <paramref name="flowId"/>, derived
    /// with the key (HMAC-SHA256 as a pseudo-random function, reduced to <paramref name="digits"/> decimal digits; the
    /// bias of reducing 64 bits is below 10^-12). As unpredictable as a random code to anyone without the key, and the
    /// same however often it is computed: a durable step that is retried or replayed sends the very code whose hash it
    /// stored, never a second one. Null when <paramref name="keyId"/> is not in the ring.
    /// </summary>
    public string? DeriveCode(string keyId, string flowId, string step, int send, int digits)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(send);
        ArgumentOutOfRangeException.ThrowIfLessThan(digits, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, 9);
        if (!keys.TryGetValue(keyId, out var key))
        {
            return null;
        }

        var mac = HMACSHA256.HashData(key, Encode("derived-code", flowId, step, send.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(mac) % (ulong)Math.Pow(10, digits);
        return value.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    /// <summary>Constant-time check of <paramref name="code"/> against a stored hash; false for an unknown key.</summary>
    public bool Verify(string keyId, string storedHash, string flowId, string step, string destination, string code)
    {
        // An unknown (rotated-out) key still costs one HMAC, so timing says nothing about the key id.
        var known = keys.TryGetValue(keyId, out var key);
        var actual = HMACSHA256.HashData(key ?? keys[CurrentKeyId], Encode(flowId, step, destination, code));
        Span<byte> expected = stackalloc byte[32];
        if (!Convert.TryFromBase64String(storedHash, expected, out var written) || written != expected.Length)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(actual, expected) && known;
    }

    private static byte[] Encode(params string[] parts)
    {
        // Length prefixes make the encoding injective: ("ab","c") and ("a","bc") never collide.
        using var stream = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        foreach (var part in parts)
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            stream.Write(length);
            stream.Write(bytes);
        }

        return stream.ToArray();
    }
}
