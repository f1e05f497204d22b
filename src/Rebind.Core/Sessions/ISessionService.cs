namespace Rebind.Core.Sessions;

/// <summary>
/// Sessions of accounts. Other features call <see cref="RevokeAllAsync"/> and <see cref="RotateSecurityStampAsync"/>
/// after a security change (rebind, password reset).
/// </summary>
public interface ISessionService
{
    /// <summary>Mints a session under <paramref name="securityStamp"/> (the account's current stamp) and returns its token.</summary>
    /// <param name="sessionId">The id to give it (a verified new-device sign-in chose it in its flow); null for a new one.</param>
    Task<NewSession> CreateAsync(string accountId, string securityStamp, SessionClient client, string? sessionId = null, CancellationToken cancellationToken = default);

    /// <summary>The alive session the token belongs to, with its account; null when unknown, ended, expired or under an old stamp.</summary>
    Task<AuthenticatedSession?> AuthenticateAsync(string token, CancellationToken cancellationToken = default);

    /// <summary>The account's alive sessions, newest first.</summary>
    Task<IReadOnlyList<Session>> ListAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>Ends one session of the account; false when the account has no such session.</summary>
    Task<bool> RevokeAsync(string accountId, string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Ends every session of the account except <paramref name="exceptSessionId"/>; returns how many ended.</summary>
    Task<int> RevokeAllAsync(string accountId, string? exceptSessionId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives the account a new security stamp, which kills every session at once, then carries
    /// <paramref name="keepSessionId"/> (the caller's own session, if any) over to the new stamp and deletes the rest.
    /// Returns the new stamp.
    /// </summary>
    Task<string> RotateSecurityStampAsync(string accountId, string? keepSessionId = null, CancellationToken cancellationToken = default);

    /// <summary>Records a fresh password proof on the session (re-authentication); false when the session is gone.</summary>
    Task<bool> MarkReauthenticatedAsync(string accountId, string sessionId, CancellationToken cancellationToken = default);
}
