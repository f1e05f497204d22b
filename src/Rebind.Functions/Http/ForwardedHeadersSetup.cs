using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Rebind.Functions.Http;

/// <summary>
/// Which peers may tell the app who the client is (<c>X-Forwarded-For</c>), through ASP.NET Core's forwarded-headers
/// middleware. Only configured proxies are believed, and only for <c>ForwardLimit</c> hops from the right; entries
/// may carry ports (<c>203.0.113.7:5555</c>, <c>[2001:db8::1]:443</c>, as Azure's front ends send them). Defaults:
/// in the Functions worker the host, which forwards every request over loopback, is the one proxy; on the local host
/// nobody is, so a header a client sends is ignored and the connection address counts.
/// </summary>
public static class ForwardedHeadersSetup
{
    public const string SectionName = "ForwardedHeaders";

    public static void AddRebindForwardedHeaders(this IHostApplicationBuilder builder, bool behindFunctionsHost)
    {
        var settings = builder.Configuration.GetSection(SectionName).Get<ForwardedHeadersSettings>() ?? new ForwardedHeadersSettings();
        var proxies = settings.KnownProxies.Select(p => ParseAddress(p, "KnownProxies")).ToList();
        var networks = settings.KnownNetworks.Select(ParseNetwork).ToList();
        if (proxies.Count == 0 && networks.Count == 0 && behindFunctionsHost)
        {
            proxies.AddRange([IPAddress.Loopback, IPAddress.IPv6Loopback]);
        }
        if (settings.ForwardLimit is < 1 or > 10)
        {
            throw new InvalidOperationException("ForwardedHeaders__ForwardLimit must be 1–10.");
        }

        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // With no known proxy at all the middleware would believe every peer: then it must not forward anything.
            o.ForwardedHeaders = proxies.Count + networks.Count == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor;
            o.ForwardLimit = settings.ForwardLimit;
            // The framework trusts loopback by default; here only what is configured (or the Functions host) is.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            proxies.ForEach(o.KnownProxies.Add);
            networks.ForEach(o.KnownIPNetworks.Add);
        });
    }

    public static void UseRebindForwardedHeaders(this IApplicationBuilder app) => app.UseForwardedHeaders();

    /// <summary>Whether <paramref name="address"/> is a proxy the app believes (so it is never the client).</summary>
    public static bool IsTrustedProxy(ForwardedHeadersOptions options, IPAddress address) =>
        options.KnownProxies.Contains(address) || options.KnownIPNetworks.Any(n => n.Contains(address));

    private static IPAddress ParseAddress(string value, string setting) =>
        IPAddress.TryParse(value, out var address)
            ? address
            : throw new InvalidOperationException($"ForwardedHeaders__{setting} holds '{value}', which is not an IP address.");

    private static System.Net.IPNetwork ParseNetwork(string value) =>
        System.Net.IPNetwork.TryParse(value, out var network)
            ? network
            : throw new InvalidOperationException($"ForwardedHeaders__KnownNetworks holds '{value}', which is not a CIDR range (e.g. 10.0.0.0/8).");
}

/// <summary>The <c>ForwardedHeaders</c> settings section.</summary>
public sealed class ForwardedHeadersSettings
{
    /// <summary>Addresses of proxies whose <c>X-Forwarded-For</c> is believed.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>CIDR ranges of such proxies.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many entries, from the right, are taken (one per trusted hop).</summary>
    public int ForwardLimit { get; set; } = 1;
}
