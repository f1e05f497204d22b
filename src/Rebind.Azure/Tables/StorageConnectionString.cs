namespace Rebind.Azure.Tables;

/// <summary>
/// The table-relevant parts of an Azure Storage connection string. Understands
/// <c>UseDevelopmentStorage=true</c> (Azurite's well-known account on <c>http://127.0.0.1:10002</c>),
/// <c>DefaultEndpointsProtocol</c>, <c>AccountName</c>, <c>AccountKey</c>, <c>TableEndpoint</c> and
/// <c>EndpointSuffix</c>. Keys are matched case-insensitively; unknown keys are ignored.
/// </summary>
public sealed class StorageConnectionString
{
    /// <summary>Azurite's account name.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>Azurite's public, well-known account key.</summary>
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Azurite's default table endpoint (path style: the account is the first path segment).</summary>
    public static readonly Uri DevelopmentTableEndpoint = new("http://127.0.0.1:10002/devstoreaccount1");

    private StorageConnectionString(Uri tableEndpoint, string accountName, string? accountKey)
    {
        TableEndpoint = tableEndpoint;
        AccountName = accountName;
        AccountKey = accountKey;
    }

    /// <summary>The table service endpoint, without a trailing slash.</summary>
    public Uri TableEndpoint { get; }

    /// <summary>The storage account name.</summary>
    public string AccountName { get; }

    /// <summary>The base64 account key, or <c>null</c> when the string names only an endpoint (token auth).</summary>
    public string? AccountKey { get; }

    /// <summary>Parses a connection string.</summary>
    /// <exception cref="FormatException">The string is empty, malformed, or does not say where the table service is.</exception>
    public static StorageConnectionString Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = segment.IndexOf('=');
            if (eq <= 0)
            {
                throw new FormatException($"Connection string segment '{Mask(segment)}' is not of the form key=value.");
            }
            settings[segment[..eq].Trim()] = segment[(eq + 1)..].Trim();
        }
        if (settings.Count == 0)
        {
            throw new FormatException("The connection string is empty.");
        }
        if (settings.ContainsKey("SharedAccessSignature"))
        {
            throw new FormatException("SAS connection strings are not supported; use an account key or an endpoint with a token credential.");
        }

        if (settings.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var useDev) && useDev)
        {
            if (settings.ContainsKey("DevelopmentStorageProxyUri"))
            {
                throw new FormatException("DevelopmentStorageProxyUri is not supported.");
            }
            return new StorageConnectionString(DevelopmentTableEndpoint, DevelopmentAccountName, DevelopmentAccountKey);
        }

        settings.TryGetValue("AccountName", out var accountName);
        settings.TryGetValue("AccountKey", out var accountKey);
        Uri endpoint;
        if (settings.TryGetValue("TableEndpoint", out var explicitEndpoint))
        {
            if (!Uri.TryCreate(explicitEndpoint.TrimEnd('/'), UriKind.Absolute, out endpoint!) ||
                (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            {
                throw new FormatException($"TableEndpoint '{explicitEndpoint}' is not an absolute http(s) URI.");
            }
            accountName ??= AccountFromEndpoint(endpoint);
        }
        else
        {
            if (string.IsNullOrEmpty(accountName))
            {
                throw new FormatException("The connection string has neither TableEndpoint nor AccountName.");
            }
            var protocol = settings.TryGetValue("DefaultEndpointsProtocol", out var p) ? p.ToLowerInvariant() : "https";
            if (protocol is not ("http" or "https"))
            {
                throw new FormatException($"DefaultEndpointsProtocol '{protocol}' is neither http nor https.");
            }
            var suffix = settings.TryGetValue("EndpointSuffix", out var s) ? s.Trim('.') : "core.windows.net";
            endpoint = new Uri($"{protocol}://{accountName}.table.{suffix}");
        }

        if (string.IsNullOrEmpty(accountName))
        {
            throw new FormatException("The account name is missing and cannot be told from the endpoint.");
        }
        return new StorageConnectionString(endpoint, accountName, string.IsNullOrEmpty(accountKey) ? null : accountKey);
    }

    /// <summary>Host style (<c>acct.table.core.windows.net</c>) names the account in the host; path style
    /// (Azurite, <c>127.0.0.1:10002/acct</c>) in the first path segment.</summary>
    internal static string? AccountFromEndpoint(Uri endpoint)
    {
        var firstSegment = endpoint.AbsolutePath.Trim('/').Split('/')[0];
        if (endpoint.HostNameType == UriHostNameType.Dns && endpoint.Host.Contains(".table.", StringComparison.OrdinalIgnoreCase))
        {
            return endpoint.Host[..endpoint.Host.IndexOf('.')];
        }
        return firstSegment.Length > 0 ? firstSegment : null;
    }

    // Never echo a key into an exception message.
    private static string Mask(string segment) => segment.Length <= 12 ? segment : segment[..12] + "...";
}
