using Microsoft.Net.Http.Headers;

namespace Rebind.Functions.Http;

/// <summary>
/// <c>Cache-Control: no-store</c> on every answer: tokens, flows (whose ids are capabilities) and account data
/// must never sit in a shared or browser cache. Nothing the API returns is worth caching.
/// </summary>
public static class NoStore
{
    public static void UseRebindNoStore(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderNames.CacheControl] = "no-store";
            return Task.CompletedTask;
        });
        return next(context);
    });
}
