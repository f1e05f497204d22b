using Rebind.Functions.Apis;
using Rebind.Functions.Attestation;
using Rebind.Functions.Hosting;
using Rebind.Functions.Http;
using Rebind.Functions.Passwords;
using Rebind.Functions.SignIn;
using Rebind.Functions.Sms;

namespace Rebind.Functions;

/// <summary>Builds the app; Program and the tests share this so tests run exactly what ships.</summary>
public static class RebindApp
{
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null, string? contentRoot = null, Action<WebApplication>? configureApp = null)
    {
        var builder = WebApplication.CreateBuilder(HostingSetup.Options(args, contentRoot));
        configure?.Invoke(builder);
        builder.AddRebindHosting();
        builder.AddRebindForwardedHeaders();
        builder.AddRebindProblems();
        builder.AddRebindStorage();
        builder.AddRebindPasswords();
        builder.AddRebindFlows();
        builder.AddRebindSms();
        builder.AddRebindAttestation();
        builder.AddRebindRecovery();
        builder.AddRebindCleanup();
        builder.AddRebindDurable();
        builder.AddRebindSignIn();
        builder.AddRebindOpenApi();

        var app = builder.Build();
        app.ValidateRebindStorage();
        app.ValidateRebindAttestation();
        app.WarnAboutRebindKeys();
        app.UseRebindForwardedHeaders();
        app.UseRebindNoStore();
        app.UseRebindProblems();
        app.UseRebindSessions();
        app.MapRebindOpenApi();
        app.MapHealthApi();
        app.MapSignUpApi();
        app.MapFlowsApi();
        app.MapPasswordResetApi();
        app.MapRecoveryApi();
        app.MapContactsApi();
        app.MapDevInboxApi(app.Environment);
        app.MapFunctionsHostApi();
        app.MapAuthApi();
        app.MapMeApi();
        app.MapPhoneApi();
        app.MapEmailApi();
        configureApp?.Invoke(app);
        return app;
    }
}
