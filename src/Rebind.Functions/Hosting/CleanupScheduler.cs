namespace Rebind.Functions.Hosting;

/// <summary>
/// Standalone stand-in for the Functions timer: runs the cleanup every <c>Cleanup:IntervalSeconds</c>
/// (default 60); off when it is 0. Only the local host runs it: in Azure the timer function does.
/// </summary>
public sealed class CleanupScheduler(CleanupRunner runner, IConfiguration configuration, ILogger<CleanupScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = configuration.GetValue<int?>("Cleanup:IntervalSeconds") ?? 60;
        if (seconds <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await runner.RunAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Scheduled cleanup failed; it runs again at the next tick");
            }
        }
    }
}
