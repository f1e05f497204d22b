using System.Text.Json;
using Azure;
using Azure.Core;

namespace Rebind.Azure.Tables;

/// <summary>Reads the error code and message from <c>{"odata.error":{"code":..,"message":{"value":..}}}</c>,
/// falling back to the <c>x-ms-error-code</c> header.</summary>
internal sealed class TablesRequestFailedDetailsParser : RequestFailedDetailsParser
{
    public static readonly TablesRequestFailedDetailsParser Instance = new();

    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        data = null;
        error = null;
        response.Headers.TryGetValue(TableHeaders.ErrorCode, out var headerCode);
        var (code, message) = ParseBody(response.Content?.ToMemory() ?? default);
        code ??= headerCode;
        if (code is null)
        {
            return false;
        }
        error = new ResponseError(code, message ?? code);
        return true;
    }

    internal static (string? Code, string? Message) ParseBody(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return (null, null);
        }
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object &&
                doc.RootElement.TryGetProperty("odata.error", out var odataError))
            {
                var code = odataError.TryGetProperty("code", out var c) ? c.GetString() : null;
                string? message = null;
                if (odataError.TryGetProperty("message", out var m))
                {
                    message = m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() : m.ToString();
                }
                return (code, message);
            }
        }
        catch (JsonException)
        {
            // Not JSON (e.g. an XML error from a proxy): the header is all there is.
        }
        return (null, null);
    }
}
