using System.Globalization;
using Azure;
using Rebind.Azure.Stores;
using Azure.Data.Tables;

namespace Rebind.Azure.Flows;

/// <summary>
/// The time-bucketed <c>Due</c> index. Reading what is due costs one query per day bucket between the stored
/// cursor and today (plus pages of due rows), never a scan of the flows: the cleanup's cost follows the number
/// of due items, not of stored flows.
/// </summary>
public sealed class TableDueIndex(RebindTables tables)
{
    private const string CursorPartition = "cursor";
    private const string CursorRow = "cleanup";

    /// <summary>Writes the rows (upsert: writing the same row twice is fine), one transaction per day bucket.</summary>
    public async Task AddAsync(IEnumerable<DueItem> items, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        foreach (var bucket in items.DistinctBy(i => i.RowKey).GroupBy(i => i.PartitionKey))
        {
            foreach (var chunk in bucket.Chunk(100))
            {
                var actions = chunk.Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(i.PartitionKey, i.RowKey)));
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Due rows with a time ≤ <paramref name="now"/>, oldest first, from the cursor day through today.</summary>
    public async Task<IReadOnlyList<DueItem>> ReadDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var cursor = await ReadCursorAsync(table, now, cancellationToken).ConfigureAwait(false);
        var upper = StoreKeys.Ticks(now) + "|~";
        var items = new List<DueItem>();
        for (var day = cursor; day <= now.UtcDateTime.Date && items.Count < max; day = day.AddDays(1))
        {
            var partition = DueItem.Day(day);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey le {upper}");
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (DueItem.Parse(entity.RowKey) is { } item)
                {
                    items.Add(item);
                }
                if (items.Count >= max)
                {
                    break;
                }
            }
        }
        return items;
    }

    /// <summary>Drops handled rows (one transaction per bucket and 100 rows).</summary>
    public async Task RemoveAsync(IEnumerable<DueItem> items, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        foreach (var bucket in items.DistinctBy(i => i.RowKey).GroupBy(i => i.PartitionKey))
        {
            foreach (var chunk in bucket.Chunk(100))
            {
                var actions = chunk.Select(i => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(i.PartitionKey, i.RowKey), ETag.All));
                try
                {
                    await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                }
                catch (TableTransactionFailedException e) when (e.Status == 404)
                {
                    // Another cleanup run removed one of them: remove the rest one by one.
                    foreach (var item in chunk)
                    {
                        await table.DeleteEntityAsync(item.PartitionKey, item.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Moves the cursor to the oldest day that may still hold due rows: <paramref name="oldestLeft"/> when rows
    /// were left behind, else today. Written only when it moves.
    /// </summary>
    public async Task AdvanceCursorAsync(DateTimeOffset now, DateTimeOffset? oldestLeft, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var target = (oldestLeft is { } left && left.UtcDateTime.Date < now.UtcDateTime.Date ? left : now).UtcDateTime.Date;
        if (target == lastCursor)
        {
            return;
        }
        await table.UpsertEntityAsync(new TableEntity(CursorPartition, CursorRow) { ["Day"] = DueItem.Day(target) }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        lastCursor = target;
    }

    private DateTime? lastCursor;

    private async Task<DateTime> ReadCursorAsync(TableClient table, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(CursorPartition, CursorRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.HasValue && DateTime.TryParseExact(response.Value!.GetString("Day"), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day))
        {
            lastCursor = day.Date;
            return day.Date;
        }
        // No cursor yet (first run): start at the oldest bucket there is, found with a one-row range query on
        // the partition key (the index is sorted by it; day buckets sort before "cursor").
        var upper = DueItem.Day(now);
        var filter = TableClient.CreateQueryFilter($"PartitionKey le {upper}");
        await foreach (var oldest in table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (DateTime.TryParseExact(oldest.PartitionKey, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var first))
            {
                return first.Date;
            }
            break;
        }
        return now.UtcDateTime.Date;
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(RebindTables.Due, cancellationToken);
}
