namespace Rebind.Functions.Hosting;

public static class CleanupSetup
{
    public static void AddRebindCleanup(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CleanupRunner>();
        builder.Services.AddSingleton<ICleanupTask, ExpiredRowsTask>();
        builder.Services.AddSingleton<ICleanupTask, RateLimitPurgeTask>();
        builder.Services.AddSingleton<Durable.OrchestrationPurge>();
    }
}
