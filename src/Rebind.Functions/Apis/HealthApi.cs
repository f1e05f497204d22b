using Microsoft.AspNetCore.Mvc;
using Rebind.Functions.Hosting;
using Rebind.Functions.Http;

namespace Rebind.Functions.Apis;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/health").WithTags("Health");
        group.MapGet("/", Alive).WithName("Alive").WithSummary("The app process is up.");
        group.MapGet("/ready", Ready).WithName("Ready").WithSummary("Table Storage (and the Durable task hub, when on) is reachable: 200, else 503.");
        return app;
    }

    public static Ok<HealthStatus> Alive() => TypedResults.Ok(new HealthStatus("alive"));

    public static async Task<Results<Ok<HealthStatus>, ProblemHttpResult>> Ready(
        [FromServices] IEnumerable<IReadinessProbe> probes, CancellationToken cancellationToken)
    {
        // In parallel: each probe answers within its own timeout, so the endpoint does too.
        var reasons = await Task.WhenAll(probes.Select(p => p.CheckAsync(cancellationToken)));
        var reason = reasons.FirstOrDefault(r => r is not null);
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
