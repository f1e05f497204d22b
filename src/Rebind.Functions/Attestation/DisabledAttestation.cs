namespace Rebind.Functions.Attestation;

/// <summary><c>Attestation__Mode=Off</c>: every request passes, with or without a token.</summary>
public sealed class DisabledAttestation : IClientAttestation
{
    public bool ProvesClient => false;

    public Task<AttestationResult> VerifyAsync(string? token, AttestationContext context, CancellationToken cancellationToken) =>
        Task.FromResult(AttestationResult.Valid);
}
