namespace Rebind.Functions.Attestation;

/// <summary>The verdict on a token. <see cref="Reason"/> is for the log only (never a token), never for the client.</summary>
public sealed record AttestationResult(AttestationOutcome Outcome, string? Reason = null)
{
    public static AttestationResult Valid { get; } = new(AttestationOutcome.Valid);

    public static AttestationResult Missing { get; } = new(AttestationOutcome.Missing, "no token");

    public static AttestationResult Invalid(string reason) => new(AttestationOutcome.Invalid, reason);
}

public enum AttestationOutcome
{
    Valid,

    /// <summary>No token was sent: <c>400 attestation_required</c>.</summary>
    Missing,

    /// <summary>A token that does not verify (forged, expired, replayed, another app, bound to another request): <c>403 attestation_failed</c>.</summary>
    Invalid,
}
