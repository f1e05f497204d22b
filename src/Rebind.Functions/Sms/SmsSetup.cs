using Rebind.Core.Messaging;

namespace Rebind.Functions.Sms;

public static class SmsSetup
{
    /// <summary>The SMS allow-list and the hourly budgets (<see cref="SmsOptions"/>), read and checked at start-up.</summary>
    public static void AddRebindSms(this IHostApplicationBuilder builder)
    {
        var options = SmsOptions.Read(builder.Configuration);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<SmsRegions>(options.AllowedRegions);
        builder.Services.AddSingleton<SmsBudget>();
    }
}
