using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Rebind.Functions.Hosting;

/// <summary>Where settings come from and where the app listens, standalone or under the Functions host.</summary>
public static class HostingSetup
{
    /// <summary>Set by the Functions host when it starts the app as a custom handler.</summary>
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public const string DefaultStandaloneUrl = "http://localhost:7071";

    public static bool UnderFunctionsHost =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(CustomHandlerPortVariable));

    /// <summary>
    /// Options for <see cref="WebApplication.CreateBuilder(WebApplicationOptions)"/>: the environment name may
    /// come from local.settings.json, which must be known before the builder exists.
    /// </summary>
    public static WebApplicationOptions Options(string[] args, string? contentRoot)
    {
        var root = contentRoot ?? Directory.GetCurrentDirectory();
        var local = LocalSettings.Read(Path.Combine(root, LocalSettings.FileName));
        string? Setting(string key) => Environment.GetEnvironmentVariable(key) ?? local.GetValueOrDefault(key);
        var environment = Setting("ASPNETCORE_ENVIRONMENT") ?? Setting("DOTNET_ENVIRONMENT") ?? Setting("AZURE_FUNCTIONS_ENVIRONMENT");
        return new WebApplicationOptions { Args = args, ContentRootPath = root, EnvironmentName = environment };
    }

    /// <summary>
    /// Puts local.settings.json Values just below environment variables (environment wins), and picks the
    /// listening URL: 127.0.0.1:$FUNCTIONS_CUSTOMHANDLER_PORT under the host, else <c>Urls</c> or 7071.
    /// </summary>
    public static void AddRebindHosting(this WebApplicationBuilder builder)
    {
        var local = LocalSettings.Read(Path.Combine(builder.Environment.ContentRootPath, LocalSettings.FileName));
        var sources = builder.Configuration.Sources;
        // Below the unprefixed environment variables (and command line), above everything else.
        var envIndex = sources.ToList().FindLastIndex(s =>
            s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource { Prefix: null or "" });
        var source = new MemoryConfigurationSource { InitialData = local };
        if (envIndex < 0)
        {
            sources.Add(source);
        }
        else
        {
            sources.Insert(envIndex, source);
        }

        // The framework's request, routing and server logs carry full URLs: flow ids (capabilities of
        // unauthenticated flows) and, for the dev inbox, phone numbers. Only its warnings and errors are kept;
        // our own logs name routes, never paths.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // Tests register a manual clock before this runs; TryAdd keeps theirs.
        builder.Services.TryAddSingleton(TimeProvider.System);

        var port = Environment.GetEnvironmentVariable(CustomHandlerPortVariable);
        if (!string.IsNullOrEmpty(port))
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }
        else
        {
            var urls = builder.Configuration["Urls"];
            builder.WebHost.UseUrls(string.IsNullOrWhiteSpace(urls) ? DefaultStandaloneUrl : urls);
        }
    }
}
