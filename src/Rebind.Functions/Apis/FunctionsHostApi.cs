using System.Text.Json.Serialization;
using Rebind.Functions.Hosting;

namespace Rebind.Functions.Apis;

/// <summary>
/// Non-HTTP functions the Functions host invokes on the custom handler: it POSTs
/// <c>{"Data":{...},"Metadata":{...}}</c> to <c>/{FunctionName}</c> and expects a 2xx
/// <c>{"Outputs":{},"Logs":[...],"ReturnValue":null}</c>. Only loopback callers that no proxy forwarded are
/// served: in Azure the host is the only such caller, and public traffic reaches the app only under <c>/api</c>.
/// </summary>
public static class FunctionsHostApi
{
    public const string CleanupFunctionName = "Cleanup";

    public static IEndpointRouteBuilder MapFunctionsHostApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/" + CleanupFunctionName, RunCleanup).ExcludeFromDescription();
        return app;
    }

    /// <remarks>
    /// A pass where a step failed answers 500 (still with the invocation body and its logs), so the host records
    /// a failed invocation that monitoring sees; the next tick retries, as after any failure.
    /// </remarks>
    public static async Task<Results<Ok<InvocationResponse>, JsonHttpResult<InvocationResponse>, NotFound>> RunCleanup(
        HttpContext context, InvocationRequest? request, CleanupRunner runner, CancellationToken cancellationToken)
    {
        if (!Http.ClientAddress.IsLocalUnforwarded(context))
        {
            return TypedResults.NotFound();
        }

        var report = await runner.RunAsync(cancellationToken);
        var body = new InvocationResponse(new Dictionary<string, object?>(), [report.ToString()], null);
        return report.Failed.Count == 0
            ? TypedResults.Ok(body)
            : TypedResults.Json(body, statusCode: StatusCodes.Status500InternalServerError);
    }
}

public sealed record InvocationRequest(
    [property: JsonPropertyName("Data")] Dictionary<string, System.Text.Json.JsonElement>? Data,
    [property: JsonPropertyName("Metadata")] Dictionary<string, System.Text.Json.JsonElement>? Metadata);

public sealed record InvocationResponse(
    [property: JsonPropertyName("Outputs")] Dictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue);
