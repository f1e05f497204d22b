using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Rebind.Functions.Http;

/// <summary>
/// The problem writer of last resort. The framework's writer declines when <c>Accept</c> does not allow JSON
/// (<c>text/html</c>, <c>image/png</c>), and the error then left as <c>text/plain</c>, or, from the exception
/// handler, as nothing at all (an empty 400, or a dropped connection). This API speaks only JSON, so every error
/// is <c>application/problem+json</c> whatever the client asks for.
/// </summary>
internal sealed class AnyAcceptProblemWriter(IOptions<ProblemDetailsOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
{
    public const string ContentType = "application/problem+json";

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var response = context.HttpContext.Response;
        var problem = context.ProblemDetails;
        problem.Status ??= response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(response.WriteAsJsonAsync(
            problem, json.Value.SerializerOptions.GetTypeInfo(typeof(ProblemDetails)), ContentType, context.HttpContext.RequestAborted));
    }
}
