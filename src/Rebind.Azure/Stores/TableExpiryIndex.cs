using Azure.Data.Tables;

namespace Rebind.Azure.Stores;

/// <summary>
/// When short-lived rows (idempotency records, development inbox messages, report codes, sign-in failure counts) may be deleted:
/// table <c>Expiry</c>, partition = the UTC hour of expiry (<c>yyyyMMddHH</c>), row = a hash of the target, with
/// the target's table and keys as properties. The purge reads only partitions of hours that have passed, so its
/// cost follows the number of expired rows, never the size of the tables they live in. Rate-limit counters carry
/// the same hour in their own partition keys instead (<see cref="TableRateLimiter"/>).
/// </summary>
public sealed class TableExpiryIndex(RebindTables tables)
{
    public const string Table = "Expiry";

    /// <summary>Marks row (<paramref name="table"/>, pk, rk) for deletion after <paramref name="expiresAt"/>. One request; repeat-safe.</summary>
    public async Task ScheduleAsync(string table, string partitionKey, string rowKey, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        var index = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        await index.UpsertEntityAsync(new TableEntity(Bucket(expiresAt), StoreKeys.Hash(table + "|" + partitionKey + "|" + rowKey))
        {
            ["Table"] = table,
            ["Pk"] = partitionKey,
            ["Rk"] = rowKey,
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes up to <paramref name="max"/> rows whose expiry hour has fully passed, and their index rows: one query
    /// page plus two requests per row. Returns how many were purged.
    /// </summary>
    public async Task<int> PurgeDueAsync(DateTimeOffset now, int max = 1000, CancellationToken cancellationToken = default)
    {
        var index = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        var due = await DuePartitions.ReadAsync(index, Bucket(now), max, select: null, cancellationToken).ConfigureAwait(false);
        foreach (var row in due)
        {
            if (row.GetString("Table") is { } name && row.GetString("Pk") is { } pk && row.GetString("Rk") is { } rk)
            {
                var target = await tables.GetAsync(name, cancellationToken).ConfigureAwait(false);
                await target.DeleteEntityAsync(pk, rk, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            await index.DeleteEntityAsync(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        return due.Count;
    }

    /// <summary>The partition of an expiry instant: its UTC hour, rounded up so nothing is purged early.</summary>
    public static string Bucket(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        var hour = new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc);
        if (hour < utc)
        {
            hour = hour.AddHours(1);
        }
        return hour.ToString("yyyyMMddHH", System.Globalization.CultureInfo.InvariantCulture);
    }
}
