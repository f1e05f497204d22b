using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace Rebind.Functions.Http;

/// <summary>Every failure leaves as <c>application/problem+json</c> with a stable <c>code</c>; never HTML, never a stack trace.</summary>
public static class ProblemSetup
{
    /// <summary>Default request body limit; flows carry a few short strings.</summary>
    public const long DefaultMaxRequestBodyBytes = 64 * 1024;

    public static void AddRebindProblems(this WebApplicationBuilder builder)
    {
        var maxBody = builder.Configuration.GetValue<long?>("Http:MaxRequestBodyBytes") ?? DefaultMaxRequestBodyBytes;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBody);
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

    public static void UseRebindProblems(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A rejected request is logged once, at Information, by the handler; only server faults are errors.
            SuppressDiagnosticsCallback = c => ProblemExceptionHandler.Classify(c.Exception).Status < 500,
        });
        app.UseStatusCodePages();
        app.UseMiddleware<JsonCharsetCheck>();
    }
}

/// <summary>Maps request-shape exceptions to 4xx codes and everything else to a logged 500.</summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail, field) = Classify(exception);
        if (status >= 500)
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
                Extensions = { ["code"] = code },
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

    private static string Title(int status) => ReasonPhrases.GetReasonPhrase(status);
}
