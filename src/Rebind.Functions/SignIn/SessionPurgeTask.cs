using Rebind.Azure.Stores;
using Rebind.Functions.Hosting;

namespace Rebind.Functions.SignIn;

/// <summary>Cleanup step: sessions past their absolute expiry (and ended sessions' leftover token rows).</summary>
public sealed class SessionPurgeTask(TableSessionService sessions) : ICleanupTask
{
    public const int MaxPerRun = 1000;

    public string Name => "sessions_expired";

    public Task<int> RunAsync(CancellationToken cancellationToken) => sessions.PurgeExpiredAsync(MaxPerRun, cancellationToken);
}
