namespace Rebind.Functions.Hosting;

public static class CleanupSetup
{
    public static void AddRebindCleanup(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CleanupRunner>();
        builder.Services.AddSingleton<ICleanupTask, ExpiredRowsTask>();
        builder.Services.AddHostedService<CleanupScheduler>();
    }
}
