using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Azure;

namespace Rebind.Azure.Tables;

/// <summary>
/// The <c>multipart/mixed</c> body of an entity group transaction (one batch holding one changeset,
/// CRLF line endings, absolute sub-request URLs) and the parsing of its response.
/// </summary>
internal static partial class TransactionBody
{
    private const string Crlf = "\r\n";

    public static byte[] Build(string batchBoundary, string changesetBoundary, Uri endpoint, string table, IReadOnlyList<TableTransactionAction> actions)
    {
        var body = new StringBuilder();
        body.Append("--").Append(batchBoundary).Append(Crlf)
            .Append("Content-Type: multipart/mixed; boundary=").Append(changesetBoundary).Append(Crlf)
            .Append(Crlf);
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i];
            var entity = action.Entity;
            var entityUrl = $"{endpoint}/{TableKeys.EntityPath(table, entity.PartitionKey, entity.RowKey)}";
            var (method, url, ifMatch, hasBody) = action.ActionType switch
            {
                TableTransactionActionType.Add => ("POST", $"{endpoint}/{Uri.EscapeDataString(table)}", null, true),
                TableTransactionActionType.UpdateMerge => ("PATCH", entityUrl, IfMatch(action.ETag), true),
                TableTransactionActionType.UpdateReplace => ("PUT", entityUrl, IfMatch(action.ETag), true),
                TableTransactionActionType.Delete => ("DELETE", entityUrl, IfMatch(action.ETag), false),
                TableTransactionActionType.UpsertMerge => ("PATCH", entityUrl, null, true),
                TableTransactionActionType.UpsertReplace => ("PUT", entityUrl, (string?)null, true),
                _ => throw new ArgumentOutOfRangeException(nameof(actions), action.ActionType, "Unknown transaction action type."),
            };
            body.Append("--").Append(changesetBoundary).Append(Crlf)
                .Append("Content-Type: application/http").Append(Crlf)
                .Append("Content-Transfer-Encoding: binary").Append(Crlf)
                .Append(Crlf)
                .Append(method).Append(' ').Append(url).Append(" HTTP/1.1").Append(Crlf)
                .Append("Accept: ").Append(TableHeaders.MinimalMetadata).Append(Crlf)
                .Append("DataServiceVersion: 3.0").Append(Crlf)
                .Append("Content-ID: ").Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append(Crlf);
            if (ifMatch is not null)
            {
                body.Append("If-Match: ").Append(ifMatch).Append(Crlf);
            }
            if (hasBody)
            {
                body.Append("Content-Type: application/json").Append(Crlf)
                    .Append("Prefer: return-no-content").Append(Crlf)
                    .Append(Crlf)
                    .Append(Encoding.UTF8.GetString(EntityMapper.Serialize(entity))).Append(Crlf);
            }
            else
            {
                body.Append(Crlf);
            }
        }
        body.Append("--").Append(changesetBoundary).Append("--").Append(Crlf)
            .Append("--").Append(batchBoundary).Append("--").Append(Crlf);
        return Encoding.UTF8.GetBytes(body.ToString());
    }

    private static string IfMatch(ETag etag) => etag == default ? "*" : etag.ToString();

    /// <summary>The sub-responses of the changeset, in order.</summary>
    public static List<TransactionSubResponse> Parse(Response response)
    {
        var text = response.Content.ToString();
        response.Headers.TryGetValue("Content-Type", out var contentType);
        var batchBoundary = Boundary(contentType) ?? FirstBoundary(text)
            ?? throw new InvalidOperationException("The transaction response has no multipart boundary.");
        // The changeset part declares its own boundary; parts then sit between "--changesetresponse_..." lines.
        var changesetBoundary = ChangesetBoundaryRegex().Match(text) is { Success: true } m ? m.Groups[1].Value : batchBoundary;
        var parts = text.Split("--" + changesetBoundary);
        var results = new List<TransactionSubResponse>();
        foreach (var part in parts.Skip(1))
        {
            var http = part.IndexOf("HTTP/1.1 ", StringComparison.Ordinal);
            if (part.StartsWith("--", StringComparison.Ordinal) || http < 0)
            {
                continue;
            }
            results.Add(ParsePart(part[http..]));
        }
        return results;
    }

    private static TransactionSubResponse ParsePart(string part)
    {
        var headerEnd = part.IndexOf(Crlf + Crlf, StringComparison.Ordinal);
        var head = headerEnd >= 0 ? part[..headerEnd] : part;
        var content = headerEnd >= 0 ? part[(headerEnd + 4)..].TrimEnd('\r', '\n') : string.Empty;
        var lines = head.Split(Crlf);
        var statusLine = lines[0].Split(' ', 3);
        var status = int.Parse(statusLine[1], CultureInfo.InvariantCulture);
        var reason = statusLine.Length > 2 ? statusLine[2] : string.Empty;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }
        return new TransactionSubResponse(status, reason, headers, Encoding.UTF8.GetBytes(content));
    }

    /// <summary>The failing action's index, from the <c>&lt;index&gt;:</c> prefix the service puts on the error message.</summary>
    public static int? FailedIndex(string? message) =>
        message is not null && IndexPrefixRegex().Match(message) is { Success: true } m &&
        int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;

    private static string? Boundary(string? contentType) =>
        contentType is not null && BoundaryRegex().Match(contentType) is { Success: true } m ? m.Groups[1].Value.Trim('"') : null;

    private static string? FirstBoundary(string text) =>
        text.StartsWith("--", StringComparison.Ordinal) ? text[2..text.IndexOf(Crlf, StringComparison.Ordinal)] : null;

    [GeneratedRegex("boundary=([^;\\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex BoundaryRegex();

    [GeneratedRegex("Content-Type:\\s*multipart/mixed;\\s*boundary=([^;\\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ChangesetBoundaryRegex();

    [GeneratedRegex("^(\\d+):")]
    private static partial Regex IndexPrefixRegex();
}
