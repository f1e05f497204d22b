using System.Text.Json;
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
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
    }

    public static void UseRebindProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
    }
}

/// <summary>Maps request-shape exceptions to 4xx codes and everything else to a logged 500.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail) = Classify(exception);
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Route}", context.Request.Method, RouteOf(context));
        }
        else
        {
            logger.LogInformation("Rejected {Method} {Route}: {Code}", context.Request.Method, RouteOf(context), code);
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = status,
                Title = Title(status),
                Detail = detail,
                Extensions = { ["code"] = code },
            },
        });
    }

    /// <summary>The route template (<c>/api/flows/{id}</c>), never the path: paths hold flow ids and phone numbers.</summary>
    /// The exception handler clears the endpoint before handlers run; the feature keeps the one that threw.
    private static string RouteOf(HttpContext context) =>
        ((context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint()) as RouteEndpoint)?.RoutePattern.RawText
        ?? "(no route)";

    private static (int Status, string Code, string Detail) Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case JsonException:
                    return (400, ProblemCodes.MalformedJson, "The request body is not valid JSON of the expected shape.");
                case Microsoft.AspNetCore.Http.BadHttpRequestException { StatusCode: 413 }:
                    return (413, ProblemCodes.PayloadTooLarge, "The request body is too large.");
                case Microsoft.AspNetCore.Http.BadHttpRequestException { StatusCode: 415 }:
                    return (415, ProblemCodes.UnsupportedMediaType, "Send the body as application/json.");
                case Microsoft.AspNetCore.Http.BadHttpRequestException bad when bad.Message.Contains("JSON", StringComparison.OrdinalIgnoreCase):
                    return (400, ProblemCodes.MalformedJson, "The request body is not valid JSON of the expected shape.");
                case Microsoft.AspNetCore.Http.BadHttpRequestException bad:
                    return (bad.StatusCode, ProblemCodes.ForStatus(bad.StatusCode), "The request is not valid.");
            }
        }
        return (500, ProblemCodes.InternalError, "Something went wrong on our side. Try again later.");
    }

    private static string Title(int status) => ReasonPhrases.GetReasonPhrase(status);
}
