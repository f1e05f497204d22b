using Azure;

namespace Rebind.Azure.Communication;

/// <summary>Parses <c>endpoint=https://x.communication.azure.com/;accesskey=&lt;base64&gt;</c>.</summary>
internal sealed record AcsConnectionString(Uri Endpoint, AzureKeyCredential AccessKey)
{
    public static AcsConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        string? endpoint = null;
        string? key = null;
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Split at the first '=' only: a base64 key ends with '=' padding.
            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }
            var name = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            if (name.Equals("endpoint", StringComparison.OrdinalIgnoreCase))
            {
                endpoint = value;
            }
            else if (name.Equals("accesskey", StringComparison.OrdinalIgnoreCase))
            {
                key = value;
            }
        }

        // The message never repeats the connection string: it holds the key.
        if (endpoint is null || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The ACS connection string needs an absolute http(s) 'endpoint'.", nameof(connectionString));
        }
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("The ACS connection string needs an 'accesskey'.", nameof(connectionString));
        }

        return new AcsConnectionString(uri, new AzureKeyCredential(key));
    }
}
