namespace Rebind.Functions.Hosting;

/// <summary>Settings under <c>Storage</c> (<c>Storage__ConnectionString</c> etc. as app settings).</summary>
public sealed class StorageOptions
{
    /// <summary>A storage connection string; <c>UseDevelopmentStorage=true</c> means local Azurite.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Table endpoint for managed identity (used when no connection string is set).</summary>
    public Uri? TableEndpoint { get; set; }

    /// <summary>Prefix for every table name, so several deployments (or test runs) share one account.</summary>
    public string TablePrefix { get; set; } = "rebind";
}
