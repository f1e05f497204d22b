namespace Rebind.Functions.Worker;

/// <summary>
/// The local host's request pipeline, built once inside the Functions worker: the same middleware
/// (<see cref="RebindApp.UseRebindPipeline"/>) and the same routes (<see cref="RebindApp.MapRebindApi"/>) over the
/// worker's services. Each HTTP function passes its request here, so a request behaves the same whichever host took it:
/// problem mapping, sessions, body limits, filters and handlers are one code path.
/// </summary>
public sealed class RebindPipeline(IServiceProvider services, IHostEnvironment environment)
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
    public async Task<IResult> InvokeAsync(HttpRequest request)
    {
        await app.Value(request.HttpContext);
        return Results.Empty;
    }
}
