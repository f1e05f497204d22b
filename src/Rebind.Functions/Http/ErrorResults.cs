using System.Globalization;
using Rebind.Core;
using Microsoft.AspNetCore.Mvc;
using Rebind.Core.Flows;

namespace Rebind.Functions.Http;

/// <summary>
/// The one mapper from domain <see cref="Error"/> values to problem responses: status from the kind, stable
/// <c>code</c>, details as members, <c>detail</c> in the caller's language (<c>Accept-Language</c>: zh* → zh-CN,
/// else English), and <c>Retry-After</c> on errors that carry <c>retryAfterSeconds</c>.
/// </summary>
public static class ErrorResults
{
    public static int StatusFor(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Gone => StatusCodes.Status410Gone,
        ErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>The status for <paramref name="error"/>: by kind, except the few codes HTTP has a better status for.</summary>
    public static int StatusFor(Error error) => error.Code switch
    {
        RequestErrors.IdempotencyKeyReusedCode => StatusCodes.Status422UnprocessableEntity,
        _ => StatusFor(error.Kind),
    };

    /// <remarks>
    /// Language and <c>Retry-After</c> are applied when the response is written (<see cref="Localize"/>, from the
    /// problem-details customization), so every problem gets them whether or not a context is passed here.
    /// </remarks>
    public static ProblemHttpResult Problem(Error error, HttpContext? context = null, string? detail = null)
    {
        var extensions = new Dictionary<string, object?>(error.Details) { ["code"] = error.Code };
        return TypedResults.Problem(
            detail: detail ?? error.Message,
            statusCode: StatusFor(error),
            title: error.Code,
            extensions: extensions);
    }

    /// <summary>
    /// Puts the catalogue text for the problem's <c>code</c> into <c>detail</c> for non-English callers, and a
    /// <c>Retry-After</c> header on problems that carry <c>retryAfterSeconds</c>.
    /// </summary>
    public static void Localize(ProblemDetails problem, HttpContext context)
    {
        // English details are the errors' own, often more specific, messages; other languages use the catalogue.
        var culture = CultureOf(context);
        if ((culture != Cultures.English || string.IsNullOrEmpty(problem.Detail))
            && problem.Extensions.TryGetValue("code", out var value) && value is string code)
        {
            problem.Detail = ErrorText.For(code, culture) ?? RequestErrors.Text(code, culture) ?? problem.Detail;
        }
        if (problem.Extensions.TryGetValue("retryAfterSeconds", out var seconds) && seconds is int s && !context.Response.HasStarted)
        {
            context.Response.Headers.RetryAfter = s.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary><c>zh-CN</c> when the first language of <c>Accept-Language</c> is Chinese, else <c>en</c>.</summary>
    public static string CultureOf(HttpContext context)
    {
        var header = context.Request.Headers.AcceptLanguage.ToString();
        var first = header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return Cultures.Normalize(first?.Split(';')[0].Trim());
    }
}
