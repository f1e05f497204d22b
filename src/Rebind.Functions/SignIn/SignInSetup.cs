using Microsoft.Extensions.DependencyInjection.Extensions;
using Rebind.Azure.Stores;
using Azure.Data.Tables;
using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Flows;
using Rebind.Core.Flows.DeviceSignIn;
using Rebind.Functions.Flows;
using Rebind.Functions.Flows.Effects;
using Rebind.Core.Security;
using Rebind.Core.Sessions;
using Rebind.Functions.Hosting;
using Rebind.Functions.Http;

namespace Rebind.Functions.SignIn;

public static class SignInSetup
{
    /// <summary>Sessions, the "Session" bearer scheme, sign-in, activity history and their cleanup steps.</summary>
    public static void AddRebindSignIn(this IHostApplicationBuilder builder)
    {
        var sessionOptions = builder.Configuration.GetSection("Sessions").Get<SessionOptions>() ?? new SessionOptions();
        var historyOptions = builder.Configuration.GetSection("History").Get<HistoryOptions>() ?? new HistoryOptions();
        var signInOptions = builder.Configuration.GetSection("SignIn").Get<SignInOptions>() ?? new SignInOptions();
        var services = builder.Services;

        services.AddSingleton(new SessionPolicy(
            TimeSpan.FromDays(sessionOptions.IdleDays),
            TimeSpan.FromDays(sessionOptions.AbsoluteDays),
            TimeSpan.FromMinutes(sessionOptions.ReauthenticationMinutes),
            SessionPolicy.Default.LastSeenResolution));
        services.AddSingleton(new SignInThrottle(
            signInOptions.FreeFailures,
            TimeSpan.FromSeconds(signInOptions.BaseDelaySeconds),
            TimeSpan.FromSeconds(signInOptions.MaxDelaySeconds),
            signInOptions.FailureCeiling));
        services.AddSingleton(signInOptions);
        services.AddSingleton<TableSessionService>();
        services.AddSingleton<ISessionService>(sp => sp.GetRequiredService<TableSessionService>());
        services.AddSingleton(sp => new TableActivityLog(
            sp.GetRequiredService<RebindTables>(), TimeSpan.FromDays(historyOptions.RetentionDays), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IActivityLog>(sp => sp.GetRequiredService<TableActivityLog>());
        services.AddSingleton<TableSignInClientFailures>();
        services.AddSingleton<SignInFailureNotices>();
        services.AddHostedService(sp => sp.GetRequiredService<SignInFailureNotices>());
        services.AddSingleton<SignInService>();
        services.AddSingleton(builder.Configuration.GetSection("Holds").Get<HoldOptions>() ?? new HoldOptions());
        services.AddSingleton<SecurityHolds>();
        services.AddSingleton<TableSignInReports>();
        services.AddSingleton<SignInReports>();
        services.AddSingleton<DeviceSignIns>();
        services.AddSingleton<IFlowDefinition>(sp => new DeviceSignInFlow(sp.GetRequiredService<FlowPolicy>(), sp.GetRequiredService<CodeKeyRing>()));
        services.AddSingleton<IFlowKind, DeviceSignInKind>();
        services.AddSingleton<IFlowEffectHandler, TrustDeviceHandler>();
        services.AddSingleton<ICleanupTask, SessionPurgeTask>();
        services.AddSingleton<ICleanupTask, ActivityPurgeTask>();

        services.AddAuthentication(RebindClaims.Scheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, SessionAuthenticationHandler>(RebindClaims.Scheme, null);
        services.AddAuthorization();
        // AddAuthentication brings data protection, whose hosted service loads the key ring at every start (and on a new
        // machine creates and writes one): ~30 ms of the host's start. Nothing here protects data with it (sessions are
        // opaque tokens kept in Table Storage, the console's anti-forgery token is its own), and a key ring anything
        // did need would still load at its first use.
        if (services.FirstOrDefault(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.FullName == DataProtectionKeyRingLoader) is { } loader)
        {
            services.Remove(loader);
        }
    }

    /// <summary>The hosted service of data protection that loads its key ring at start.</summary>
    internal const string DataProtectionKeyRingLoader = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";

    /// <summary>Authentication after the problem middleware, so its 401s and 403s are problem+json too.</summary>
    public static void UseRebindSessions(this IApplicationBuilder app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
    }
}
