using Microsoft.Azure.Functions.Worker.Builder;

namespace Rebind.Functions.Worker;

/// <summary>
/// The app as Azure runs it: an isolated-worker Functions app with the ASP.NET Core integration. It registers the same
/// services as the local host (<see cref="RebindApp.AddRebindServices"/>); its HTTP functions
/// (<see cref="HttpFunctions"/>) hand each request to <see cref="RebindPipeline"/>, the same middleware and routes the
/// local host serves; the timer (<see cref="CleanupFunction"/>) runs the same cleanup. The Durable extension's runtime
/// lives in the Functions host there; the local host runs its own sidecar instead.
/// </summary>
public static class FunctionsWorker
{
    /// <summary>
    /// The Functions host starts the worker with its gRPC address on the command line (<c>--functions-uri</c>, with
    /// <c>--functions-worker-id</c> etc.; older hosts <c>--host</c>/<c>--port</c>/<c>--workerId</c>) or in
    /// <c>Functions__Worker__HostEndpoint</c>. Without them the process is the local host.
    /// </summary>
    public static bool IsStartedByHost(string[] args) =>
        args.Any(a => a.StartsWith("--functions-", StringComparison.Ordinal) || a == "--workerId")
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("Functions__Worker__HostEndpoint"));

    /// <summary>The worker's host, built and checked but not started (the Functions host connects once it runs).</summary>
    public static IHost Build(string[] args, Action<FunctionsApplicationBuilder>? configure = null)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        configure?.Invoke(builder);
        builder.AddRebindServices(behindFunctionsHost: true);
        builder.Services.AddSingleton<RebindPipeline>();
        // The Functions host runs the orchestrations; a request reaches them through the client bound to its call.
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<Durable.IFlowOrchestrations>(sp =>
            new Durable.DurableFlowOrchestrations(() => BoundDurableClient.Of(sp.GetRequiredService<IHttpContextAccessor>())));

        var host = builder.Build();
        host.Services.ValidateRebind();
        return host;
    }
}
