namespace Rebind.Functions.Hosting;

/// <summary>
/// The scheduled cleanup: one pass over what is due. Called by the Functions timer (POST /Cleanup) in
/// Azure and by <see cref="CleanupScheduler"/> when the app runs standalone.
/// </summary>
public sealed class CleanupRunner(ILogger<CleanupRunner> logger, TimeProvider time)
{
    public Task<CleanupReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var report = new CleanupReport(time.GetUtcNow());
        logger.LogInformation("Cleanup ran at {At:o}", report.StartedAt);
        return Task.FromResult(report);
    }
}

public sealed record CleanupReport(DateTimeOffset StartedAt)
{
    public override string ToString() => $"cleanup ran at {StartedAt:o}";
}
