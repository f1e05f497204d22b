using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Rebind.Functions.Http;

/// <summary>
/// JSON bodies are UTF-8 (RFC 8259 §8.1). The framework's body reader throws on a <c>charset</c> it does not know
/// (<c>charset=bogus</c>, an empty one, even the legal quoted <c>charset="utf-8"</c>), which surfaced as a 500. For
/// endpoints that read a JSON body this answers any charset but UTF-8 with <c>415 unsupported_media_type</c>
/// before the reader runs, and hands the reader the plain form of a UTF-8 one.
/// </summary>
public sealed class JsonCharsetCheck(RequestDelegate next)
{
    public const string Detail = "Send the body as application/json in UTF-8.";

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        var contentType = context.Request.ContentType;
        if (!string.IsNullOrEmpty(contentType)
            && context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is not null
            && MediaTypeHeaderValue.TryParse(contentType, out var media)
            && media.Parameters.Any(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase)))
        {
            var charset = media.Parameters.Where(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase)).ToList();
            if (charset.Count != 1 || !HeaderUtilities.RemoveQuotes(charset[0].Value).Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status415UnsupportedMediaType,
                        Title = "Unsupported Media Type",
                        Detail = Detail,
                        Extensions = { ["code"] = ProblemCodes.UnsupportedMediaType },
                    },
                });
                return;
            }
            context.Request.ContentType = media.MediaType.Value + "; charset=utf-8";
        }

        await next(context);
    }
}
