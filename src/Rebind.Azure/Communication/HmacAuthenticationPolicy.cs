using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Rebind.Azure.Communication;

/// <summary>
/// ACS HMAC-SHA256 request signing (as the official SDK's <c>HMACAuthenticationPolicy</c>). Runs per retry,
/// so every attempt carries a fresh <c>x-ms-date</c> and signature.
/// </summary>
internal sealed class HmacAuthenticationPolicy(AzureKeyCredential keyCredential, TimeProvider timeProvider) : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Sign(message, ContentHash(message, async: false).GetAwaiter().GetResult());
        ProcessNext(message, pipeline);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Sign(message, await ContentHash(message, async: true).ConfigureAwait(false));
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
    }

    /// <summary>The signature of one request; see reference §1.</summary>
    internal static string ComputeSignature(byte[] key, string method, string pathAndQuery, string date, string host, string contentHash)
    {
        var stringToSign = $"{method}\n{pathAndQuery}\n{date};{host};{contentHash}";
        return Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    private void Sign(HttpMessage message, string contentHash)
    {
        var date = timeProvider.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        var uri = message.Request.Uri.ToUri();
        var key = Convert.FromBase64String(keyCredential.Key);
        var signature = ComputeSignature(key, message.Request.Method.Method, uri.PathAndQuery, date, uri.Authority, contentHash);

        message.Request.Headers.SetValue("x-ms-content-sha256", contentHash);
        message.Request.Headers.SetValue("x-ms-date", date);
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization,
            $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}");
    }

    private static async Task<string> ContentHash(HttpMessage message, bool async)
    {
        using var stream = new MemoryStream();
        if (message.Request.Content is { } content)
        {
            if (async)
            {
                await content.WriteToAsync(stream, message.CancellationToken).ConfigureAwait(false);
            }
            else
            {
                content.WriteTo(stream, message.CancellationToken);
            }
        }
        return Convert.ToBase64String(SHA256.HashData(stream.ToArray()));
    }
}
