using System.Security.Cryptography;
using System.Text;

namespace Rebind.Functions.Attestation;

/// <summary>
/// <c>Attestation__Mode=DevToken</c>: accepts one fixed token (<c>Attestation__DevToken</c>; in Development without one,
/// <see cref="DefaultToken"/>). It proves nothing (anyone who reads the app has the token): it lets local runs and tests
/// exercise the same header, answers and ordering a real implementation has.
/// </summary>
public sealed class DevelopmentAttestation(string token) : IClientAttestation
{
    /// <summary>The token Development accepts when none is configured.</summary>
    public const string DefaultToken = "development-attestation";

    private readonly byte[] expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public bool ProvesClient => false;

    public Task<AttestationResult> VerifyAsync(string? token, AttestationContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return Task.FromResult(AttestationResult.Missing);
        }
        // Hashes of equal length, compared in constant time: the answer's timing says nothing about the token.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        return Task.FromResult(CryptographicOperations.FixedTimeEquals(given, expected)
            ? AttestationResult.Valid
            : AttestationResult.Invalid("not the development token"));
    }
}
