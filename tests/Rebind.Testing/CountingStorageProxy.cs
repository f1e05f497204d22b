using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Rebind.Testing;

/// <summary>
/// An HTTP reverse proxy in front of Azurite's blob, queue and table services that counts every request it forwards,
/// by service and operation, and can play storage that is away (<see cref="Available"/>). The app's own request counter sees only the stores' calls; this one also sees the Durable
/// Task backend's (queue polls, lease renewals, history writes), which is what a storage bill counts. Requests are
/// forwarded byte for byte (SharedKey signatures cover the path, not the host, so they stay valid).
/// </summary>
public sealed class CountingStorageProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "Host",
    };

    private readonly WebApplication server;
    private readonly HttpClient forward = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None });
    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);

    private CountingStorageProxy(WebApplication server, string connectionString)
    {
        this.server = server;
        ConnectionString = connectionString;
    }

    /// <summary>A connection string naming the proxy's three endpoints (same account and key as Azurite's).</summary>
    public string ConnectionString { get; }

    /// <summary>Requests forwarded so far, by <c>service operation</c> (e.g. <c>queue GET messages</c>).</summary>
    public IReadOnlyDictionary<string, long> Counts => new Dictionary<string, long>(counts);

    public long Total => counts.Values.Sum();

    public void Reset() => counts.Clear();

    /// <summary>False: every request's connection is dropped unanswered, as when the storage account cannot be reached.</summary>
    public bool Available { get; set; } = true;

    /// <summary>Starts the proxy on three free loopback ports in front of <paramref name="azuriteConnectionString"/>.</summary>
    public static async Task<CountingStorageProxy> StartAsync(string azuriteConnectionString)
    {
        var targets = new Dictionary<string, Uri>(StringComparer.Ordinal)
        {
            ["blob"] = Endpoint(azuriteConnectionString, "BlobEndpoint"),
            ["queue"] = Endpoint(azuriteConnectionString, "QueueEndpoint"),
            ["table"] = Endpoint(azuriteConnectionString, "TableEndpoint"),
        };
        var ports = Azurite.FreePorts(3);
        var byPort = new Dictionary<int, string> { [ports[0]] = "blob", [ports[1]] = "queue", [ports[2]] = "table" };

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            foreach (var port in ports)
            {
                k.Listen(IPAddress.Loopback, port);
            }
        });
        var app = builder.Build();
        var proxy = new CountingStorageProxy(app, Azurite.For(ports[0], ports[1], ports[2]));
        app.Run(context =>
        {
            var service = byPort[context.Connection.LocalPort];
            return proxy.ForwardAsync(context, service, targets[service]);
        });
        await app.StartAsync();
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context, string service, Uri target)
    {
        if (!Available)
        {
            context.Abort();
            return;
        }
        counts.AddOrUpdate($"{service} {context.Request.Method} {Operation(service, context.Request)}", 1, (_, n) => n + 1);
        // The raw target, as sent: the request is signed over its encoded path (a key with '+' or '%' must reach the
        // service exactly as the client wrote it).
        var raw = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
        var url = new Uri($"{target.Scheme}://{target.Authority}{raw}", UriKind.Absolute);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), url);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }
            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        using var response = await forward.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    /// <summary>What the request does, without names: <c>messages</c>, <c>lease</c>, <c>entity</c>, <c>batch</c>, ...</summary>
    private static string Operation(string service, HttpRequest request)
    {
        var comp = request.Query["comp"].ToString();
        var segments = request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return service switch
        {
            "queue" when segments.Length >= 3 && segments[2] == "messages" => segments.Length > 3 ? "message" : "messages",
            "queue" => comp.Length > 0 ? comp : "queue",
            "blob" => comp.Length > 0 ? comp : segments.Length > 2 ? "blob" : "container",
            "table" when segments.Length >= 2 && segments[1] == "$batch" => "batch",
            "table" when segments.Length >= 2 && segments[1].StartsWith("Tables", StringComparison.Ordinal) => "tables",
            "table" => segments.Length >= 2 && segments[1].Contains('(') && !segments[1].EndsWith("()", StringComparison.Ordinal) ? "entity" : "query",
            _ => "other",
        };
    }

    private static Uri Endpoint(string connectionString, string name) =>
        new(connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .FirstOrDefault(p => p[0].Equals(name, StringComparison.OrdinalIgnoreCase))?[1]
            ?? throw new ArgumentException($"The connection string names no {name}.", nameof(connectionString)));

    public async ValueTask DisposeAsync()
    {
        await server.StopAsync();
        await server.DisposeAsync();
        forward.Dispose();
    }
}
