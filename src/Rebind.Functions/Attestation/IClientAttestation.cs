namespace Rebind.Functions.Attestation;

/// <summary>
/// Checks that an anonymous request comes from the real app on a real device (Google Play Integrity, Apple App Attest)
/// or from a person in a browser (reCAPTCHA, hCaptcha), before a sign-in-page flow may send a code. The token comes in
/// the <see cref="AttestationFilter.HeaderName"/> header. Register an implementation before the app is built
/// (<c>services.AddSingleton&lt;IClientAttestation, PlayIntegrityAttestation&gt;()</c>); without one,
/// <c>Attestation__Mode</c> picks a development implementation (README, "Client attestation").
/// </summary>
public interface IClientAttestation
{
    /// <summary>
    /// False only for the development implementations, which prove nothing about the client: the app refuses to start
    /// with one outside Development unless <c>Attestation__AllowInsecure</c> says so.
    /// </summary>
    bool ProvesClient { get; }

    /// <summary>
    /// Verifies <paramref name="token"/> (null when the header is missing) for the request described by
    /// <paramref name="context"/>. Must not throw for a bad token (that is <see cref="AttestationResult.Invalid"/>),
    /// and must not depend on any account: it runs before the identifier is looked up.
    /// </summary>
    Task<AttestationResult> VerifyAsync(string? token, AttestationContext context, CancellationToken cancellationToken);
}
