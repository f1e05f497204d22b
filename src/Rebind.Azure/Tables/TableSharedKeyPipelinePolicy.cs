using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Rebind.Azure.Tables;

/// <summary>Signs each request (each retry too, so the date and signature are fresh) with SharedKeyLite.</summary>
internal sealed class TableSharedKeyPipelinePolicy(TableSharedKeyCredential credential) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var date = message.Request.Headers.TryGetValue(TableHeaders.Date, out var d) ? d : string.Empty;
        var uri = message.Request.Uri.ToUri();
        var stringToSign = StringToSign(date, credential.AccountName, uri);
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization,
            $"SharedKeyLite {credential.AccountName}:{Sign(credential.KeyBytes, stringToSign)}");
    }

    /// <summary><c>{x-ms-date}\n/{account}{path as sent}[?comp=...]</c>.</summary>
    internal static string StringToSign(string date, string accountName, Uri uri)
    {
        var resource = new StringBuilder("/").Append(accountName).Append(uri.AbsolutePath);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.StartsWith("comp=", StringComparison.OrdinalIgnoreCase))
            {
                resource.Append("?comp=").Append(Uri.UnescapeDataString(pair["comp=".Length..]));
                break;
            }
        }
        return date + "\n" + resource;
    }

    internal static string Sign(byte[] key, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
}

/// <summary>Dates every request (each retry afresh); storage wants <c>x-ms-date</c> for key and token auth alike.</summary>
internal sealed class TableDatePolicy(TimeProvider time) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message) =>
        message.Request.Headers.SetValue(TableHeaders.Date, time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture));
}
