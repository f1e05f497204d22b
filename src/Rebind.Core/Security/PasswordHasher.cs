using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rebind.Core.Security;

/// <summary>
/// PBKDF2-HMAC-SHA256 with a 16-byte salt and a 32-byte key, stored as
/// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt b64&gt;$&lt;hash b64&gt;</c>. The iteration count travels with the hash, so
/// raising it only makes <see cref="NeedsRehash"/> true for older hashes.
/// </summary>
public sealed class PasswordHasher
{
    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256; production never goes below it.</summary>
    public const int MinimumIterations = 600_000;

    public const string Scheme = "pbkdf2-sha256";
    public const int SaltBytes = 16;
    public const int KeyBytes = 32;

    // Refuse absurd stored counts: a corrupted row must not pin a CPU for minutes.
    private const int MaximumIterations = 10_000_000;

    public PasswordHasher(int iterations = MinimumIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinimumIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaximumIterations);
        Iterations = iterations;
    }

    private PasswordHasher(int iterations, bool forTests)
    {
        _ = forTests;
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        Iterations = iterations;
    }

    public int Iterations { get; }

    /// <summary>
    /// A hash of a random secret, for "same work whatever the input" paths (unknown accounts, decoy questions):
    /// verifying against it costs one PBKDF2 run at this hasher's count and never succeeds. Built on first use.
    /// </summary>
    public string DummyHash => dummyHash ??= Hash(Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));

    private string? dummyHash;

    /// <summary>A fast hasher for tests only; never wire it in production.</summary>
    internal static PasswordHasher ForTests(int iterations) => new(iterations, forTests: true);

    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, KeyBytes);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(key));
    }

    /// <summary>Constant-time check; false for a wrong password or a malformed hash.</summary>
    public bool Verify(string password, string encodedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParse(encodedHash, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>True when the hash is malformed or weaker than this hasher's settings.</summary>
    public bool NeedsRehash(string encodedHash) =>
        !TryParse(encodedHash, out var iterations, out var salt, out var key)
        || iterations < Iterations || salt.Length < SaltBytes || key.Length < KeyBytes;

    /// <summary>Whether <paramref name="encodedHash"/> has the stored format (used to reject garbage early).</summary>
    public static bool IsWellFormed(string? encodedHash) => TryParse(encodedHash, out _, out _, out _);

    private static bool TryParse(string? encoded, out int iterations, out byte[] salt, out byte[] key)
    {
        iterations = 0;
        salt = key = [];
        var parts = encoded?.Split('$');
        if (parts is not { Length: 4 } || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            || iterations < 1 || iterations > MaximumIterations)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[2]);
            key = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length >= 8 && key.Length >= 16;
    }
}
