namespace Rebind.Core.Sessions;

/// <summary>
/// When a session is alive: its stamp equals the account's, it was seen within <paramref name="Idle"/>, and
/// its absolute expiry (creation + <paramref name="Absolute"/>) has not passed. Last-seen is written at most
/// once per <paramref name="LastSeenResolution"/> so an authenticated request is normally read-only.
/// </summary>
public sealed record SessionPolicy(TimeSpan Idle, TimeSpan Absolute, TimeSpan Reauthentication, TimeSpan LastSeenResolution)
{
    public static SessionPolicy Default { get; } = new(TimeSpan.FromDays(30), TimeSpan.FromDays(90), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(1));

    public bool IsAlive(Session session, string currentStamp, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        return string.Equals(session.SecurityStamp, currentStamp, StringComparison.Ordinal)
            && now < session.LastSeenAt + Idle
            && now < session.ExpiresAt;
    }

    public bool NeedsTouch(Session session, DateTimeOffset now) => now - session.LastSeenAt >= LastSeenResolution;

    /// <summary>Whether a password proof at <paramref name="authenticatedAt"/> is recent enough for a security change.</summary>
    public bool IsRecent(DateTimeOffset authenticatedAt, DateTimeOffset now) => now - authenticatedAt <= Reauthentication;
}
