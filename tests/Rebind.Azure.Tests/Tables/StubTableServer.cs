using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Rebind.Testing;

namespace Rebind.Azure.Tests.Tables;

/// <summary>
/// A loopback HTTP server standing in for the table service where Azurite cannot produce a situation
/// (a 503 before success, an empty page that still carries a continuation token). It answers with the
/// given function and records every request.
/// </summary>
internal sealed class StubTableServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<int, RecordedRequest, StubResponse> respond;
    private readonly Task loop;

    public StubTableServer(Func<int, RecordedRequest, StubResponse> respond)
    {
        this.respond = respond;
        var port = Azurite.FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/{Azurite.AccountName}");
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        loop = Task.Run(LoopAsync);
    }

    public Uri Endpoint { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    private async Task LoopAsync()
    {
        var index = 0;
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var headers = context.Request.Headers.AllKeys.ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            var recorded = new RecordedRequest(context.Request.HttpMethod, context.Request.RawUrl!, headers);
            Requests.Enqueue(recorded);
            var answer = respond(index++, recorded);
            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers)
            {
                context.Response.Headers[name] = value;
            }
            var body = Encoding.UTF8.GetBytes(answer.Body);
            if (body.Length > 0)
            {
                context.Response.ContentType = "application/json;odata=minimalmetadata;streaming=true;charset=utf-8";
            }
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await loop;
    }
}

internal sealed record RecordedRequest(string Method, string RawUrl, IReadOnlyDictionary<string, string> Headers);

internal sealed record StubResponse(int Status, string Body = "", params (string Name, string Value)[] Headers);
