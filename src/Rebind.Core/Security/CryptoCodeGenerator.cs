using System.Globalization;
using System.Security.Cryptography;

namespace Rebind.Core.Security;

/// <summary>Uniform codes from <see cref="RandomNumberGenerator"/> (no modulo bias: <c>GetInt32</c> rejects).</summary>
public sealed class CryptoCodeGenerator : ICodeGenerator
{
    public static CryptoCodeGenerator Instance { get; } = new();

    public string Generate(int digits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digits, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, 9);
        var upper = (int)Math.Pow(10, digits);
        return RandomNumberGenerator.GetInt32(0, upper).ToString(new string('0', digits), CultureInfo.InvariantCulture);
    }
}
