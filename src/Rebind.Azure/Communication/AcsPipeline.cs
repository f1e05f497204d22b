using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Rebind.Azure.Communication;

/// <summary>Builds the pipeline shared by the SMS and email clients: Azure.Core's retries, then auth per retry.</summary>
internal static class AcsPipeline
{
    /// <summary>The Entra ID scope of ACS; the double slash is literal.</summary>
    public const string Scope = "https://communication.azure.com//.default";

    public static HttpPipeline Build(ClientOptions options, AzureKeyCredential key, TimeProvider timeProvider) =>
        HttpPipelineBuilder.Build(options, new HmacAuthenticationPolicy(key, timeProvider));

    public static HttpPipeline Build(ClientOptions options, TokenCredential credential) =>
        HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(credential, Scope));

    public static Uri CheckEndpoint(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The ACS endpoint must be an absolute http(s) URI.", nameof(endpoint));
        }
        return endpoint;
    }
}
