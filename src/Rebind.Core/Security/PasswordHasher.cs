using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rebind.Core.Security;

/// <summary>
/// PBKDF2-HMAC-SHA256 with a 16-byte salt and a 32-byte key, stored as
/// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt b64&gt;$&lt;hash b64&gt;</c>. The iteration count travels with the hash, so
/// raising it only makes <see cref="NeedsRehash"/> true for older hashes. Passwords are hashed after Unicode
/// normalization to NFKC (NIST SP 800-63B 5.1.1.2), so a full-width or composed form typed on another keyboard is
/// the same password; hashes stored before normalization still verify (<see cref="Check"/> says to rehash them).
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

    /// <summary>NFKC, the form every password is hashed and checked in.</summary>
    public static string Normalize(string password) =>
        password.IsNormalized(NormalizationForm.FormKC) ? password : password.Normalize(NormalizationForm.FormKC);

    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var key = Derive(Normalize(password), salt, Iterations, KeyBytes);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(key));
    }

    /// <summary>Constant-time check; false for a wrong password or a malformed hash.</summary>
    public bool Verify(string password, string encodedHash) => Check(password, encodedHash) != PasswordCheck.Failed;

    /// <summary>
    /// Like <see cref="Verify"/>, and says whether a right password's hash should be replaced by <see cref="Hash"/>:
    /// it is weaker than this hasher's settings, or it was stored before passwords were normalized (then the
    /// password as typed matches and its NFKC form does not; a second PBKDF2 run is spent only on such input, which
    /// depends on what was typed, never on whether an account exists).
    /// </summary>
    public PasswordCheck Check(string password, string encodedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParse(encodedHash, out var iterations, out var salt, out var expected))
        {
            return PasswordCheck.Failed;
        }

        var normalized = Normalize(password);
        if (CryptographicOperations.FixedTimeEquals(Derive(normalized, salt, iterations, expected.Length), expected))
        {
            return NeedsRehash(encodedHash) ? PasswordCheck.SucceededRehashNeeded : PasswordCheck.Succeeded;
        }
        if (!ReferenceEquals(normalized, password)
            && CryptographicOperations.FixedTimeEquals(Derive(password, salt, iterations, expected.Length), expected))
        {
            return PasswordCheck.SucceededRehashNeeded;
        }
        return PasswordCheck.Failed;
    }

    private static byte[] Derive(string password, byte[] salt, int iterations, int length) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, length);

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

/// <summary>The outcome of <see cref="PasswordHasher.Check"/>.</summary>
public enum PasswordCheck
{
    Failed,
    Succeeded,

    /// <summary>Right password; store a fresh <see cref="PasswordHasher.Hash"/> of it.</summary>
    SucceededRehashNeeded,
}
