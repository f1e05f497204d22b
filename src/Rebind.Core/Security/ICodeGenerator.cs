namespace Rebind.Core.Security;

/// <summary>Makes verification codes. Production uses <see cref="CryptoCodeGenerator"/>; tests may pin codes.</summary>
public interface ICodeGenerator
{
    /// <summary>A code of exactly <paramref name="digits"/> decimal digits, leading zeros kept.</summary>
    string Generate(int digits);
}
