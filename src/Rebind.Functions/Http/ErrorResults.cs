using Rebind.Core;

namespace Rebind.Functions.Http;

/// <summary>The one mapper from domain <see cref="Error"/> values to problem responses.</summary>
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

    public static ProblemHttpResult Problem(Error error, string? detail = null)
    {
        var extensions = new Dictionary<string, object?>(error.Details) { ["code"] = error.Code };
        return TypedResults.Problem(
            detail: detail ?? error.Message,
            statusCode: StatusFor(error.Kind),
            title: error.Code,
            extensions: extensions);
    }
}
