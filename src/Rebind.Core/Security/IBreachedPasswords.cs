namespace Rebind.Core.Security;

/// <summary>Whether a new password is known from data breaches (a k-anonymity range service, or nothing).</summary>
public interface IBreachedPasswords
{
    /// <summary>True when breached, false when not known, null when the service could not be asked.</summary>
    Task<bool?> IsBreachedAsync(string password, CancellationToken cancellationToken = default);
}
