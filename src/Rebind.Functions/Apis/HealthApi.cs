using Rebind.Functions.Hosting;
using Rebind.Functions.Http;

namespace Rebind.Functions.Apis;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/health").WithTags("Health");
        group.MapGet("/", Alive).WithName("Alive").WithSummary("The app process is up.");
        group.MapGet("/ready", Ready).WithName("Ready").WithSummary("Table Storage is reachable: 200, else 503.");
        return app;
    }

    public static Ok<HealthStatus> Alive() => TypedResults.Ok(new HealthStatus("alive"));

    public static async Task<Results<Ok<HealthStatus>, ProblemHttpResult>> Ready(IReadinessProbe probe, CancellationToken cancellationToken)
    {
        var reason = await probe.CheckAsync(cancellationToken);
        return reason is null
            ? TypedResults.Ok(new HealthStatus("ready"))
            : TypedResults.Problem(
                detail: reason,
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Not ready",
                extensions: new Dictionary<string, object?>
                {
                    ["code"] = ProblemCodes.StorageUnavailable,
                    ["retryAfterSeconds"] = ProblemExceptionHandler.StorageRetryAfterSeconds,
                });
    }
}

public sealed record HealthStatus(string Status);
