namespace Rebind.Functions.Passwords;

/// <summary>The <c>Passwords:BreachedCheck</c> settings. Off unless <see cref="Endpoint"/> is set.</summary>
public sealed class BreachedPasswordOptions
{
    public const string SectionName = "Passwords:BreachedCheck";

    /// <summary>Base URL of a Pwned Passwords–style range API, e.g. <c>https://api.pwnedpasswords.com</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>How long a new password waits for the service before it is accepted unchecked (or refused, see <see cref="FailClosed"/>).</summary>
    public double TimeoutSeconds { get; set; } = 2;

    /// <summary>Refuse new passwords while the service cannot be asked (default: accept them, and log).</summary>
    public bool FailClosed { get; set; }
}
