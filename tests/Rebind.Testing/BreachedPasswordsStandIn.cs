using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Rebind.Testing;

/// <summary>
/// A Pwned Passwords range API on loopback (<c>GET /range/{5 hex}</c>), as strict as the service: anything but five
/// hex digits is 400. It answers the suffixes of the passwords it was given plus padding lines with count 0 (as the
/// service does with <c>Add-Padding: true</c>), and records every prefix asked, so a test can prove that only
/// the prefix left the app.
/// </summary>
public sealed class BreachedPasswordsStandIn : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Dictionary<string, long> breached = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Path, bool Padding)> requests = [];

    private BreachedPasswordsStandIn(WebApplication app) => this.app = app;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Every request: its path and whether it asked for padding.</summary>
    public IReadOnlyList<(string Path, bool Padding)> Requests { get { lock (requests) { return [.. requests]; } } }

    public static async Task<BreachedPasswordsStandIn> StartAsync(params string[] breachedPasswords)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var standIn = new BreachedPasswordsStandIn(app);
        foreach (var password in breachedPasswords)
        {
            standIn.breached[Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(password)))] = 42;
        }
        app.Run(standIn.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        standIn.Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/");
        return standIn;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        lock (requests)
        {
            requests.Add((path, context.Request.Headers["Add-Padding"] == "true"));
        }
        var prefix = path.StartsWith("/range/", StringComparison.Ordinal) ? path["/range/".Length..] : null;
        if (context.Request.Method != "GET" || prefix is not { Length: 5 } || !prefix.All(char.IsAsciiHexDigit))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("The hash prefix was not in a valid format").ConfigureAwait(false);
            return;
        }
        var lines = breached.Where(b => b.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(b => $"{b.Key[5..]}:{b.Value}")
            .Concat(Enumerable.Range(0, 3).Select(_ => $"{Convert.ToHexString(RandomNumberGenerator.GetBytes(18))[..35]}:0"));
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(string.Join("\r\n", lines)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
