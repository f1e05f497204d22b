using Microsoft.Extensions.Configuration.Memory;

namespace Rebind.Functions.Hosting;

/// <summary>Where the local host's settings come from and where it listens (the Functions host decides both in Azure).</summary>
public static class HostingSetup
{
    public const string DefaultStandaloneUrl = "http://localhost:7071";

    /// <summary>
    /// Options for <see cref="WebApplication.CreateBuilder(WebApplicationOptions)"/>. The environment comes from the
    /// process (<c>ASPNETCORE_ENVIRONMENT</c>, <c>DOTNET_ENVIRONMENT</c>, <c>AZURE_FUNCTIONS_ENVIRONMENT</c>) or the
    /// command line (<c>--environment</c>), never from local.settings.json: that file is a developer's and is read
    /// only once the environment is known to be Development.
    /// </summary>
    public static WebApplicationOptions Options(string[] args, string? contentRoot)
    {
        var root = contentRoot ?? Directory.GetCurrentDirectory();
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("AZURE_FUNCTIONS_ENVIRONMENT");
        // Null lets the builder take --environment from the arguments (default Production).
        return new WebApplicationOptions { Args = args, ContentRootPath = root, EnvironmentName = string.IsNullOrWhiteSpace(environment) ? null : environment };
    }

    /// <summary>
    /// In Development, puts local.settings.json Values just below environment variables (environment wins), as Core
    /// Tools do for the Functions host; in any other environment the file is ignored (a stray copy must not configure
    /// a deployed app). Listens on <c>Urls</c> or 7071.
    /// </summary>
    public static void AddRebindHosting(this WebApplicationBuilder builder)
    {
        var local = builder.Environment.IsDevelopment()
            ? LocalSettings.Read(Path.Combine(builder.Environment.ContentRootPath, LocalSettings.FileName))
            : new Dictionary<string, string?>();
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

        var urls = builder.Configuration["Urls"];
        builder.WebHost.UseUrls(string.IsNullOrWhiteSpace(urls) ? DefaultStandaloneUrl : urls);
    }
}
