using System.Globalization;
using Azure;
using Azure.Core;

namespace Rebind.Azure.Tables;

public partial class TableClient
{
    /// <summary>
    /// Queries entities with an OData <paramref name="filter"/> (build it with <see cref="CreateQueryFilter"/>).
    /// Pages follow the service's continuation tokens (<c>NextPartitionKey</c>/<c>NextRowKey</c>) until none
    /// comes back, including empty pages that still carry a token. One request per page; at most 1,000
    /// entities (or <paramref name="maxPerPage"/>) a page.
    /// </summary>
    public virtual AsyncPageable<T> QueryAsync<T>(string? filter = null, int? maxPerPage = null, IEnumerable<string>? select = null, CancellationToken cancellationToken = default) where T : class, ITableEntity
    {
        var selectList = SelectList(select);
        return new FuncAsyncPageable<T>((token, pageSize, ct) => QueryPageAsync<T>(filter, selectList, token, pageSize, ct), maxPerPage, cancellationToken);
    }

    private async Task<Page<T>> QueryPageAsync<T>(string? filter, string? select, string? continuationToken, int? pageSize, CancellationToken cancellationToken) where T : class, ITableEntity
    {
        var (nextPartitionKey, nextRowKey) = SplitToken(continuationToken);
        var query = TableRestClient.Query(
            ("$filter", string.IsNullOrEmpty(filter) ? null : filter),
            ("$select", select),
            ("$top", pageSize?.ToString(CultureInfo.InvariantCulture)),
            ("NextPartitionKey", nextPartitionKey),
            ("NextRowKey", nextRowKey));
        var message = rest.CreateMessage(RequestMethod.Get, Uri.EscapeDataString(Name) + "()", query);
        var response = await rest.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        var items = new List<T>();
        using (var doc = TableRestClient.ReadJson(response))
        {
            foreach (var entity in doc.RootElement.GetProperty("value").EnumerateArray())
            {
                items.Add(EntityMapper.Deserialize<T>(entity));
            }
        }
        response.Headers.TryGetValue(TableHeaders.NextPartitionKey, out var pk);
        response.Headers.TryGetValue(TableHeaders.NextRowKey, out var rk);
        return Page<T>.FromValues(items, JoinToken(pk, rk), response);
    }

    // Service tokens are opaque base64-like strings without spaces, so one space can join the two.
    private static string? JoinToken(string? nextPartitionKey, string? nextRowKey) =>
        string.IsNullOrEmpty(nextPartitionKey) ? null
        : string.IsNullOrEmpty(nextRowKey) ? nextPartitionKey
        : nextPartitionKey + " " + nextRowKey;

    private static (string? PartitionKey, string? RowKey) SplitToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (null, null);
        }
        var space = token.IndexOf(' ');
        return space < 0 ? (token, null) : (token[..space], token[(space + 1)..]);
    }
}
