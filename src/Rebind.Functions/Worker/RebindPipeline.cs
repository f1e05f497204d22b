using Microsoft.DurableTask.Client;
namespace Rebind.Functions.Worker;

/// <summary>
/// The local host's request pipeline, built once inside the Functions worker: the same middleware
/// (<see cref="RebindApp.UseRebindPipeline"/>) and the same routes (<see cref="RebindApp.MapRebindApi"/>) over the
/// worker's services. Each HTTP function passes its request here, so a request behaves the same whichever host took it:
/// problem mapping, sessions, body limits, filters and handlers are one code path.
/// </summary>
public sealed class RebindPipeline(IServiceProvider services, IHostEnvironment environment, IHttpContextAccessor accessor)
{
    private readonly Lazy<RequestDelegate> app = new(() =>
    {
        var builder = new ApplicationBuilder(services);
        builder.UseRouting();
        builder.UseRebindPipeline();
        builder.UseEndpoints(endpoints => endpoints.MapRebindApi(environment));
        return builder.Build();
    });

    /// <summary>
    /// Serves <paramref name="request"/>: the answer is written to its <see cref="HttpContext.Response"/>, so the function's
    /// own result is the empty one (the integration executes it after the function, and it writes nothing).
    /// </summary>
    /// <param name="durable">The Durable client the Functions host bound to the call: the flows' orchestrations are
    /// reached through it (<see cref="BoundDurableClient"/>).</param>
    public async Task<IResult> InvokeAsync(HttpRequest request, DurableTaskClient durable)
    {
        request.HttpContext.Features.Set(new BoundDurableClient(durable));
        // The Functions integration sets it already; set here too so any server handing requests in gets the same.
        accessor.HttpContext = request.HttpContext;
        // The support console is /support on the local host; the host's route prefix puts it under /api here.
        if (request.Path.StartsWithSegments("/api/support", out var rest))
        {
            request.PathBase = request.PathBase.Add("/api");
            request.Path = new PathString("/support").Add(rest);
        }
        await app.Value(request.HttpContext);
        return Results.Empty;
    }
}

/// <summary>The Durable client of the function call serving a request (the worker has none in its services).</summary>
public sealed record BoundDurableClient(DurableTaskClient Client)
{
    /// <summary>The client bound to the request being served; throws outside one (a flow is reached only from a request).</summary>
    public static DurableTaskClient Of(IHttpContextAccessor accessor) =>
        accessor.HttpContext?.Features.Get<BoundDurableClient>()?.Client
        ?? throw new InvalidOperationException("No Durable client is bound to this call: flows are reached from HTTP functions only.");
}
