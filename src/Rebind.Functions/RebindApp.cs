using Microsoft.Extensions.DependencyInjection.Extensions;
using Rebind.Functions.Apis;
using Rebind.Functions.Attestation;
using Rebind.Functions.Hosting;
using Rebind.Functions.Http;
using Rebind.Functions.Passwords;
using Rebind.Functions.Flows.SignUp;
using Rebind.Functions.SignIn;
using Rebind.Functions.Sms;
using Rebind.Functions.Support;

namespace Rebind.Functions;

/// <summary>
/// The app, once, for both hosts: the services (<see cref="AddRebindServices"/>), the request pipeline
/// (<see cref="UseRebindPipeline"/>) and the routes (<see cref="MapRebindApi"/>). <see cref="Create"/> builds the local
/// host from them (Program, <c>./run.sh</c> and the tests run exactly that); <see cref="Worker.FunctionsWorker"/> builds
/// the Functions isolated worker from the same three.
/// </summary>
public static class RebindApp
{
    /// <summary>The category of the app's start-up warnings (the application name, as <c>WebApplication.Logger</c> uses).</summary>
    public const string LogCategory = "Rebind.Functions";

    /// <summary>The local host: one ASP.NET Core process with the Durable Task sidecar and the cleanup scheduler.</summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null, string? contentRoot = null, Action<WebApplication>? configureApp = null)
    {
        var builder = WebApplication.CreateBuilder(HostingSetup.Options(args, contentRoot));
        configure?.Invoke(builder);
        builder.AddRebindHosting();
        builder.AddRebindServices(behindFunctionsHost: false);
        builder.AddRebindDurable();
        builder.Services.AddHostedService<CleanupScheduler>();

        var app = builder.Build();
        app.Services.ValidateRebind();
        app.UseRebindPipeline();
        app.MapRebindApi(app.Environment);
        configureApp?.Invoke(app);
        return app;
    }

    /// <summary>Every service the handlers use, in either host.</summary>
    /// <param name="behindFunctionsHost">The Functions host forwards every request over loopback: it is the one trusted proxy.</param>
    public static void AddRebindServices(this IHostApplicationBuilder builder, bool behindFunctionsHost)
    {
        // The framework's request, routing and server logs carry full URLs: flow ids (capabilities of
        // unauthenticated flows) and, for the dev inbox, phone numbers. Only its warnings and errors are kept;
        // our own logs name routes, never paths.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Tests register a manual clock before this runs; TryAdd keeps theirs.
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddRouting();

        builder.AddRebindForwardedHeaders(behindFunctionsHost);
        builder.AddRebindProblems();
        builder.AddRebindStorage();
        builder.AddRebindPasswords();
        builder.AddRebindFlows();
        builder.AddRebindSms();
        builder.AddRebindAttestation();
        builder.AddRebindRecovery();
        builder.AddRebindSupport();
        builder.AddRebindCleanup();
        builder.AddRebindSignIn();
        builder.AddRebindOpenApi();
        builder.AddRebindTelemetry(behindFunctionsHost);
    }

    /// <summary>Start-up checks that need the built services: a misconfigured app refuses to start.</summary>
    public static void ValidateRebind(this IServiceProvider services)
    {
        services.ValidateRebindStorage();
        services.ValidateRebindAttestation();
        services.WarnAboutRebindKeys();
    }

    /// <summary>
    /// The middleware every request passes before its handler, in either host: client address, no-store, body limit
    /// and problem mapping, then the bearer session. The handlers' own filters (idempotency, attestation, recent
    /// sign-in, timing) travel with the routes.
    /// </summary>
    public static void UseRebindPipeline(this IApplicationBuilder app)
    {
        app.UseRebindForwardedHeaders();
        app.UseRebindNoStore();
        app.UseRebindProblems();
        app.UseRebindSessions();
    }

    /// <summary>Every route of the API. The Functions app has one HTTP function per route (a test keeps them equal).</summary>
    public static void MapRebindApi(this IEndpointRouteBuilder app, IHostEnvironment environment)
    {
        app.MapRebindOpenApi();
        app.MapHealthApi();
        app.MapSignUpApi();
        app.MapFlowsApi();
        app.MapPasswordResetApi();
        app.MapRecoveryApi();
        app.MapSupportApi();
        app.MapProfileApi();
        app.MapContactsApi();
        app.MapDevInboxApi(environment);
        app.MapAuthApi();
        app.MapMeApi();
        app.MapPhoneApi();
        app.MapEmailApi();
    }
}
