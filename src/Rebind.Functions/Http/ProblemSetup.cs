using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace Rebind.Functions.Http;

/// <summary>Every failure leaves as <c>application/problem+json</c> with a stable <c>code</c>; never HTML, never a stack trace.</summary>
public static class ProblemSetup
{
    /// <summary>Default request body limit; flows carry a few short strings.</summary>
    public const long DefaultMaxRequestBodyBytes = 64 * 1024;

    public static void AddRebindProblems(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var status = ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode;
            ctx.ProblemDetails.Extensions.TryAdd("code", ProblemCodes.ForStatus(status));
            ctx.ProblemDetails.Extensions.TryAdd("traceId", ctx.HttpContext.TraceIdentifier);
            ctx.ProblemDetails.Extensions.Remove("exception");
            ErrorResults.Localize(ctx.ProblemDetails, ctx.HttpContext);
        });
        // After the default writer: that one answers when the client's Accept allows JSON, this one everyone else.
        builder.Services.AddSingleton<IProblemDetailsWriter, AnyAcceptProblemWriter>();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
    }

    public static void UseRebindProblems(this IApplicationBuilder app)
    {
        // Per request, so that it holds whichever server hands the request over: the local host's Kestrel or the
        // Functions worker's, which is not ours to configure.
        var limit = app.ApplicationServices.GetRequiredService<IConfiguration>().GetValue<long?>("Http:MaxRequestBodyBytes") ?? DefaultMaxRequestBodyBytes;
        app.Use((context, next) =>
        {
            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }
            return next(context);
        });
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A rejected request is logged once, at Information, and an outage once, as a warning, by the handler;
            // only server faults are errors.
            SuppressDiagnosticsCallback = c => ProblemExceptionHandler.Classify(c.Exception) is var (status, code, _, _)
                && (status < 500 || code == ProblemCodes.StorageUnavailable),
        });
        app.UseStatusCodePages();
        app.UseMiddleware<JsonCharsetCheck>();
    }
}

/// <summary>
/// Maps request-shape exceptions to 4xx codes, storage that cannot be reached to <c>503 storage_unavailable</c> with
/// <c>Retry-After</c>, and everything else to a logged 500.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>What <c>Retry-After</c> suggests on a 503: long enough for a blip to pass, short enough for a user who waits.</summary>
    public const int StorageRetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail, field) = Classify(exception);
        if (code == ProblemCodes.StorageUnavailable)
        {
            // Expected in an outage and not a bug: no stack trace, one line per request.
            logger.LogWarning("Storage unavailable on {Method} {Route}: {Reason}", context.Request.Method, RouteOf(context), Reason(exception));
        }
        else if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Route}", context.Request.Method, RouteOf(context));
        }
        else
        {
            logger.LogInformation("Rejected {Method} {Route}: {Code}", context.Request.Method, RouteOf(context), code);
        }

        context.Response.StatusCode = status;
        var problem = new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = status,
                Title = Title(status),
                Detail = detail,
                Extensions = code == ProblemCodes.StorageUnavailable
                    ? new Dictionary<string, object?> { ["code"] = code, ["retryAfterSeconds"] = StorageRetryAfterSeconds }
                    : new Dictionary<string, object?> { ["code"] = code },
            },
        };
        if (field is not null)
        {
            problem.ProblemDetails.Extensions["field"] = field;
        }
        return await problems.TryWriteAsync(problem);
    }

    /// <summary>The route template (<c>/api/flows/{id}</c>), never the path: paths hold flow ids and phone numbers.</summary>
    /// The exception handler clears the endpoint before handlers run; the feature keeps the one that threw.
    private static string RouteOf(HttpContext context) =>
        ((context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint()) as RouteEndpoint)?.RoutePattern.RawText
        ?? "(no route)";

    internal static (int Status, string Code, string Detail, string? Field) Classify(Exception exception)
    {
        if (IsStorageUnavailable(exception))
        {
            return (503, ProblemCodes.StorageUnavailable, "The service is briefly unavailable. Try again in a few seconds.", null);
        }

        // The framework wraps the serializer's error ("Failed to read parameter ... as JSON"): the inner one says more.
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is JsonException json)
            {
                return FieldOf(json) is { } field
                    ? (400, RequestErrors.ValidationFailedCode, $"'{field}' is not valid.", field)
                    : (400, ProblemCodes.MalformedJson, "The request body is not valid JSON of the expected shape.", null);
            }
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Microsoft.AspNetCore.Http.BadHttpRequestException { StatusCode: 413 }:
                    return (413, ProblemCodes.PayloadTooLarge, "The request body is too large.", null);
                case Microsoft.AspNetCore.Http.BadHttpRequestException { StatusCode: 415 }:
                    return (415, ProblemCodes.UnsupportedMediaType, JsonCharsetCheck.Detail, null);
                case Microsoft.AspNetCore.Http.BadHttpRequestException { StatusCode: 400 } bad when ParameterOf(bad) is { } parameter:
                    return (400, RequestErrors.ValidationFailedCode, $"'{parameter}' is missing or not valid.", parameter);
                case Microsoft.AspNetCore.Http.BadHttpRequestException bad when bad.Message.Contains("JSON", StringComparison.OrdinalIgnoreCase):
                    return (400, ProblemCodes.MalformedJson, "The request body is not valid JSON of the expected shape.", null);
                case Microsoft.AspNetCore.Http.BadHttpRequestException bad:
                    return (bad.StatusCode, ProblemCodes.ForStatus(bad.StatusCode), "The request is not valid.", null);
            }
        }
        return (500, ProblemCodes.InternalError, "Something went wrong on our side. Try again later.", null);
    }

    /// <summary>
    /// The member a well-formed body has a wrong value in (<c>{"phone": 5}</c> → <c>phone</c>,
    /// <c>$.questions[0].answer</c> → <c>questions[0].answer</c>): by the one rule a <c>validation_failed</c> with
    /// <c>field</c>. Null for broken JSON (the reader failed: a syntax error) and for a body of the wrong shape as a
    /// whole (path <c>$</c>), which stay <c>malformed_json</c>.
    /// </summary>
    private static string? FieldOf(JsonException json) =>
        json.InnerException is not JsonException && json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal)
            ? path[2..]
            : null;

    /// <summary>The parameter a minimal-API binding failure names, e.g. <c>Failed to bind parameter "int limit" from "abc"</c>.</summary>
    private static string? ParameterOf(Microsoft.AspNetCore.Http.BadHttpRequestException bad) =>
        BindingFailure().Match(bad.Message) is { Success: true } m ? m.Groups["name"].Value : null;

    [GeneratedRegex("^(?:Failed to bind parameter|Required parameter) \"[^\"]* (?<name>[A-Za-z_][A-Za-z0-9_]*)\" (?:from|was not provided)")]
    private static partial Regex BindingFailure();

    /// <summary>
    /// Storage (or the network to it) failed, not our code: the transport gave up (status 0, refused, reset), an
    /// attempt timed out (a cancellation nobody asked for: a client's abort never gets here, the exception handler
    /// middleware answers it with 499 and logs nothing above Debug), or the service
    /// answered a server error after the retries. An <see cref="AggregateException"/> is the retries' failures.
    /// </summary>
    internal static bool IsStorageUnavailable(Exception exception) => exception switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsStorageUnavailable),
        RequestFailedException { Status: 0 or 408 or >= 500 } => true,
        HttpRequestException or TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException => true,
        _ => false,
    };

    private static string Reason(Exception exception) => exception switch
    {
        AggregateException aggregate => $"{aggregate.InnerExceptions.Count} attempts: {string.Join(", ", aggregate.InnerExceptions.Select(Reason).Distinct())}",
        RequestFailedException { Status: > 0 } failed => $"{nameof(RequestFailedException)} {failed.Status}",
        _ => exception.InnerException is { } inner ? $"{exception.GetType().Name} ({inner.GetType().Name})" : exception.GetType().Name,
    };

    private static string Title(int status) => ReasonPhrases.GetReasonPhrase(status);
}
