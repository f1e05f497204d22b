using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Rebind.Azure.Stores;

namespace Rebind.Functions.Http;

/// <summary>
/// <c>Idempotency-Key</c> on flow-starting POSTs. The first request with a key claims it (conditional insert) and
/// stores its answer (status, body, Location); a repeat with the same body gets that answer again without running
/// the handler; a different body is <c>422 idempotency_key_reused</c>; a repeat while the first still runs is
/// <c>409 idempotency_in_progress</c>. 429 and 5xx answers are not remembered, so the client may retry them.
/// Without a session the key must carry at least 128 bits (<see cref="IdempotencyKeys"/>) and is bound to the
/// client's address: another client sending the same key and body gets 422, not the first client's flow.
/// </summary>
public sealed class IdempotencyFilter(
    TableIdempotencyStore store,
    TimeProvider time,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    ILogger<IdempotencyFilter> logger) : IEndpointFilter
{
    public const string HeaderName = "Idempotency-Key";

    /// <summary>An in-progress claim older than this is taken to belong to a crashed request.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(2);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[HeaderName].ToString();
        if (string.IsNullOrEmpty(key))
        {
            return await next(context);
        }
        if (key.Length > 255 || key.Any(char.IsControl))
        {
            return ErrorResults.Problem(RequestErrors.InvalidIdempotencyKey(), http);
        }

        var account = http.CallerAccountId();
        if (account is null && !IdempotencyKeys.IsStrong(key))
        {
            // Anonymous scopes have no caller identity: only an unguessable key keeps another caller out.
            return ErrorResults.Problem(RequestErrors.WeakIdempotencyKey(), http);
        }

        var scoped = $"{http.Request.Method} {http.Request.Path}|{account}|{key}";
        // An anonymous answer carries a flow id, the flow's capability: bind it to the client that asked, so
        // the same key and body from anywhere else is a different request (422), never a replay.
        var client = account is null ? ClientAddress.For(http) : null;
        var hash = Fingerprint(context.Arguments.OfType<IIdempotentRequest>(), client);
        var ct = http.RequestAborted;
        var owner = await store.TryBeginAsync(scoped, hash, time.GetUtcNow(), ct);
        if (owner is null)
        {
            var existing = await store.GetAsync(scoped, ct);
            if (existing is null)
            {
                // The first request failed and let the key go in between: the client may simply retry.
                return ErrorResults.Problem(RequestErrors.IdempotencyInProgress(), http);
            }
            if (existing.RequestHash != hash)
            {
                return ErrorResults.Problem(RequestErrors.IdempotencyKeyReused(), http);
            }
            if (existing.Done)
            {
                return new StoredResponse(existing.Status, existing.Body ?? string.Empty, existing.ContentType ?? "application/json", existing.Location);
            }
            if (time.GetUtcNow() - existing.CreatedAt < AbandonedAfter
                || (owner = await store.TryTakeOverAsync(scoped, existing, time.GetUtcNow(), ct)) is null)
            {
                return ErrorResults.Problem(RequestErrors.IdempotencyInProgress(), http);
            }
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception e)
        {
            try
            {
                await store.AbandonAsync(scoped, owner.Value, CancellationToken.None);
            }
            catch (Exception abandon) when (ProblemExceptionHandler.IsStorageUnavailable(abandon))
            {
                // Storage is down (likely why the handler failed too): the original error is the answer, and the
                // key is taken over once AbandonedAfter has passed.
                logger.LogWarning("Could not release Idempotency-Key after {Error}; it frees itself after {After}", e.GetType().Name, AbandonedAfter);
            }
            throw;
        }

        while (result is INestedHttpResult nested)
        {
            // Results<A, B> wraps the result that actually ran.
            result = nested.Result;
        }
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        if (result is not IValueHttpResult { Value: { } value } || status == StatusCodes.Status429TooManyRequests || status >= 500)
        {
            await store.AbandonAsync(scoped, owner.Value, CancellationToken.None);
            return result;
        }

        var body = JsonSerializer.Serialize(value, value.GetType(), json.Value.SerializerOptions);
        var contentType = result is ProblemHttpResult ? "application/problem+json" : "application/json";
        var location = result.GetType().GetProperty("Location")?.GetValue(result) as string;
        await store.CompleteAsync(scoped, owner.Value, hash, status, body, contentType, location, time.GetUtcNow(), CancellationToken.None);
        return result;
    }

    private string Fingerprint(IEnumerable<IIdempotentRequest> bodies, string? client)
    {
        var text = string.Join("\n", bodies.Select(b => JsonSerializer.Serialize(b, b.GetType(), json.Value.SerializerOptions)));
        if (client is not null)
        {
            text += "\nclient:" + client;
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>A remembered answer, replayed byte for byte.</summary>
    private sealed class StoredResponse(int status, string body, string contentType, string? location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = contentType;
            if (location is not null)
            {
                httpContext.Response.Headers.Location = location;
            }
            httpContext.Response.Headers["Idempotent-Replayed"] = "true";
            return httpContext.Response.WriteAsync(body, Encoding.UTF8);
        }
    }
}
