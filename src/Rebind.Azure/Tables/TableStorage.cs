using Azure.Core;
using Azure.Identity;

namespace Rebind.Azure.Tables;

/// <summary>
/// Turns one configuration setting into a <see cref="TableServiceClient"/> (not part of Azure.Data.Tables):
/// a connection string with a key (or <c>UseDevelopmentStorage=true</c>) signs with SharedKeyLite; a bare
/// endpoint URI, or a connection string naming only <c>TableEndpoint</c>/<c>AccountName</c>, uses a token
/// credential, by default <see cref="DefaultAzureCredential"/> (managed identity in Azure).
/// </summary>
public static class TableStorage
{
    /// <summary>Creates a service client from a connection string or an endpoint URI.</summary>
    /// <param name="connectionStringOrEndpoint">E.g. <c>UseDevelopmentStorage=true</c>,
    /// <c>DefaultEndpointsProtocol=https;AccountName=..;AccountKey=..</c>, or <c>https://acct.table.core.windows.net</c>.</param>
    /// <param name="options">Client options; defaults when <c>null</c>.</param>
    /// <param name="tokenCredential">The credential for endpoint-only settings; <see cref="DefaultAzureCredential"/> when <c>null</c>.</param>
    public static TableServiceClient CreateServiceClient(string connectionStringOrEndpoint, TableClientOptions? options = null, TokenCredential? tokenCredential = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionStringOrEndpoint);
        options ??= new TableClientOptions();
        var setting = connectionStringOrEndpoint.Trim();
        if (!setting.Contains('=') && Uri.TryCreate(setting.TrimEnd('/'), UriKind.Absolute, out var endpoint))
        {
            return new TableServiceClient(endpoint, tokenCredential ?? new DefaultAzureCredential(), options);
        }
        var parsed = StorageConnectionString.Parse(setting);
        return parsed.AccountKey is null
            ? new TableServiceClient(parsed.TableEndpoint, tokenCredential ?? new DefaultAzureCredential(), options)
            : new TableServiceClient(parsed.TableEndpoint, new TableSharedKeyCredential(parsed.AccountName, parsed.AccountKey), options);
    }
}
