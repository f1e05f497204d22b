using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Rebind.Functions.Tests.Infrastructure;

/// <summary>One answer the app gave during the tests, to a described endpoint.</summary>
/// <param name="OperationId">The endpoint name, which the OpenAPI document uses as the operation id.</param>
/// <param name="Body">The body as text; null when it was longer than <see cref="ObservedResponses.MaxBodyBytes"/>.</param>
public sealed record ObservedResponse(string OperationId, string Method, string Route, int Status, string? ContentType, string? Body)
{
    public string Operation => $"{Method} {Route} ({OperationId})";
}

/// <summary>
/// Every answer of every <see cref="TestApp"/> in this test run, for <c>OpenApiConformanceTests</c>: which
/// operation, status, content type and body. Recorded by a startup filter, so it sits outside the whole pipeline and
/// sees what the client sees (problem bodies written by the exception handler, the status code pages and the
/// authentication challenge included).
/// </summary>
public static class ObservedResponses
{
    public const int MaxBodyBytes = 256 * 1024;

    private static readonly ConcurrentQueue<ObservedResponse> All = new();

    public static IReadOnlyList<ObservedResponse> Snapshot() => All.ToArray();

    internal static void Add(ObservedResponse response) => All.Enqueue(response);

    /// <summary>Registers the recorder (TestApp does this for every app it starts).</summary>
    public static void Record(IServiceCollection services) => services.AddSingleton<IStartupFilter, RecordingStartupFilter>();

    private sealed class RecordingStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(RecordAsync);
            next(app);
        };
    }

    private static async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Features.Get<IHttpResponseBodyFeature>()!;
        var tee = new TeeStream(original.Stream);
        var recording = new StreamResponseBodyFeature(tee, original);
        context.Features.Set<IHttpResponseBodyFeature>(recording);
        try
        {
            await next(context);
            await recording.CompleteAsync();
        }
        finally
        {
            context.Features.Set(original);
            // The exception handler clears the endpoint before it writes the problem; its feature keeps it.
            var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
            // A client that went away (499) received nothing: there is no answer to hold against the document.
            if (!context.RequestAborted.IsCancellationRequested
                && endpoint is RouteEndpoint route
                && route.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is { } name
                && route.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            {
                var method = route.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? context.Request.Method;
                Add(new ObservedResponse(
                    name,
                    method,
                    route.RoutePattern.RawText ?? "?",
                    context.Response.StatusCode,
                    context.Response.ContentType,
                    tee.Truncated ? null : Encoding.UTF8.GetString(tee.Captured)));
            }
        }
    }

    /// <summary>Writes through to the response and keeps a copy of the first <see cref="MaxBodyBytes"/>.</summary>
    private sealed class TeeStream(Stream inner) : Stream
    {
        private readonly MemoryStream copy = new();

        public bool Truncated { get; private set; }

        public ReadOnlySpan<byte> Captured => copy.GetBuffer().AsSpan(0, (int)copy.Length);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Keep(buffer);
            inner.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        private void Keep(ReadOnlySpan<byte> buffer)
        {
            if (copy.Length + buffer.Length > MaxBodyBytes)
            {
                Truncated = true;
                return;
            }
            copy.Write(buffer);
        }
    }
}
