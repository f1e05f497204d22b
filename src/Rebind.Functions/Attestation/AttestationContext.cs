using System.Security.Cryptography;
using System.Text;

namespace Rebind.Functions.Attestation;

/// <summary>What the request is, for binding the token to it.</summary>
/// <param name="Operation">The endpoint's name, e.g. <c>StartSignUp</c>, <c>StartPasswordReset</c>.</param>
/// <param name="ClientAddress">The client IP as the app sees it (<c>ClientAddress.For</c>).</param>
/// <param name="IdempotencyKey">The request's <c>Idempotency-Key</c>, when sent: a ≥ 128-bit random value per request.</param>
public sealed record AttestationContext(string Operation, string ClientAddress, string? IdempotencyKey)
{
    /// <summary>
    /// The value a token must be bound to (Play Integrity's <c>requestHash</c>, the nonce of App Attest's client data,
    /// reCAPTCHA's <c>action</c> plus this): base64url of SHA-256 over <c>{Operation}\n{IdempotencyKey}</c>, null without
    /// a key. The app computes it the same way before asking the platform for a token, so a token answers one request.
    /// </summary>
    public string? RequestHash => IdempotencyKey is null
        ? null
        : Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Operation + "\n" + IdempotencyKey)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
