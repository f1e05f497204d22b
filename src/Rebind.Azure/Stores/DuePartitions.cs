using Azure.Data.Tables;

namespace Rebind.Azure.Stores;

/// <summary>
/// The read every time-bucketed purge starts with (expiry index, rate-limit counters, session expiry, history purge
/// index): rows whose partition key, a time bucket such as <c>yyyyMMddHH</c> or <c>yyyyMMdd</c> (or starting with
/// one), sorts before the current bucket. One partition range query, so the cost follows the rows that are due.
/// </summary>
public static class DuePartitions
{
    /// <summary>Up to <paramref name="max"/> rows of <paramref name="table"/> whose partition key sorts before <paramref name="bucket"/>.</summary>
    public static async Task<List<TableEntity>> ReadAsync(TableClient table, string bucket, int max, IEnumerable<string>? select, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var due = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey lt {bucket}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), select: select, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            due.Add(row);
            if (due.Count >= max)
            {
                break;
            }
        }
        return due;
    }
}
