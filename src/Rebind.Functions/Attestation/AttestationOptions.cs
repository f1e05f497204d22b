namespace Rebind.Functions.Attestation;

/// <summary>Settings under <c>Attestation</c> (used only when no real <see cref="IClientAttestation"/> is registered).</summary>
public sealed class AttestationOptions
{
    public const string SectionName = "Attestation";

    /// <summary><c>DevToken</c> (default) or <c>Off</c>.</summary>
    public string Mode { get; set; } = "DevToken";

    /// <summary>The token <see cref="DevelopmentAttestation"/> accepts.</summary>
    public string? DevToken { get; set; }

    /// <summary>
    /// Lets a development implementation run outside Development: an explicit opt-out (a staging stack, a load test),
    /// logged as a warning at every start.
    /// </summary>
    public bool AllowInsecure { get; set; }
}
