using Azure;
using Azure.Data.Tables;
using Rebind.Core;
using Rebind.Core.Flows;
using Rebind.Core.Security;

namespace Rebind.Azure.Stores;

/// <summary>
/// <see cref="IRateLimiter"/> on table <c>RateLimits</c>, without a single hot row: a (rule, key, window) counter
/// is split into <see cref="ShardsFor"/> shard rows (partition = <c>{expiry hour}|{hash of rule|key}</c>, row =
/// <c>{window start ticks}</c> for shard 0 and <c>{ticks}-{shard}</c> for the others). Each shard has a fixed share
/// (quota) of the limit and the quotas add up to the limit exactly. A check reads every shard of the window with one
/// partition range query, picks a random shard that still has room, and counts on it with an ETag-conditional
/// insert or replace; a lost race reads again. So concurrent requests from one key (50 clients behind one NAT)
/// spread over up to 16 rows instead of queueing on one, and the total never exceeds the limit: a shard never
/// exceeds its quota. The price is bounded the other way: while racers are retrying, a request may be refused
/// although another shard has just been freed of contention — never while any shard had room at its last read.
/// Two requests per check (query, write). The partition starts with the UTC hour the window ends
/// (<see cref="TableExpiryIndex.Bucket"/>, as the expiry index's partitions), so <see cref="PurgeExpiredAsync"/>
/// finds the counters of windows that are over with one partition range query, and a new counter needs no expiry
/// index row of its own.
/// </summary>
public sealed class TableRateLimiter(RebindTables tables) : IRateLimiter
{
    /// <summary>Most shards per counter.</summary>
    public const int MaxShards = 16;

    private const int MaxRaces = 20;

    /// <summary>
    /// Shards for a limit: one per 10 allowed events, 1–16. Small limits (10 codes per destination per hour) stay
    /// one row, where contention is low anyway; the per-IP caps get the full spread.
    /// </summary>
    public static int ShardsFor(int limit) => Math.Clamp(limit / 10, 1, MaxShards);

    /// <summary>Shard <paramref name="shard"/>'s share of <paramref name="limit"/>; the shares add up to the limit.</summary>
    public static long QuotaOf(int limit, int shards, int shard) => (limit / shards) + (shard < limit % shards ? 1 : 0);

    public async Task<Error?> TryAcquireAsync(RateLimitRule rule, string key, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var table = await tables.GetAsync(RebindTables.RateLimits, cancellationToken).ConfigureAwait(false);
        var windowStart = RateLimits.WindowStart(rule, now);
        var partition = TableExpiryIndex.Bucket(windowStart + rule.Window) + "|" + StoreKeys.Hash(rule.Name + "|" + key);
        var window = StoreKeys.Ticks(windowStart);
        var shards = ShardsFor(rule.Limit);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {window} and RowKey lt {window + "."}");
        for (var race = 0; race < MaxRaces; race++)
        {
            var rows = new Dictionary<int, TableEntity>();
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (ShardOf(entity.RowKey, window) is { } shard and >= 0 && shard < shards)
                {
                    rows[shard] = entity;
                }
            }

            var total = rows.Values.Sum(r => r.GetInt64("Count") ?? 0);
            var open = Enumerable.Range(0, shards)
                .Where(s => (rows.TryGetValue(s, out var r) ? r.GetInt64("Count") ?? 0 : 0) < QuotaOf(rule.Limit, shards, s))
                .ToList();
            if (open.Count == 0)
            {
                // Every shard at its quota: the total is the limit, and the rule decides the answer.
                return RateLimits.Check(rule, Math.Max(total, rule.Limit), now);
            }

            var pick = open[Random.Shared.Next(open.Count)];
            var row = pick == 0 ? window : $"{window}-{pick:D2}";
            var current = rows.GetValueOrDefault(pick);
            var next = new TableEntity(partition, row)
            {
                ["Count"] = (current?.GetInt64("Count") ?? 0) + 1,
                ["Rule"] = rule.Name,
                ["ExpiresAt"] = windowStart + rule.Window,
            };
            try
            {
                if (current is not null)
                {
                    await table.UpdateEntityAsync(next, current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await table.AddEntityAsync(next, cancellationToken).ConfigureAwait(false);
                }
                return null;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Someone counted on that shard in between: read again, after a little jitter so racers spread out.
                await Task.Delay(Random.Shared.Next(1, 5 + race), cancellationToken).ConfigureAwait(false);
            }
        }

        // Twenty lost races in a row with up to 16 shards to choose from is itself a flood: refuse rather than
        // count for free.
        return FlowErrors.RateLimited(1, rule.Name);
    }

    /// <summary>
    /// Deletes up to <paramref name="max"/> counters of windows whose end hour has fully passed: one query page (the
    /// partitions before the current hour's) plus one request per row. Returns how many were deleted.
    /// </summary>
    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, int max = 1000, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(RebindTables.RateLimits, cancellationToken).ConfigureAwait(false);
        var due = await DuePartitions.ReadAsync(table, TableExpiryIndex.Bucket(now), max, ["PartitionKey", "RowKey"], cancellationToken).ConfigureAwait(false);
        foreach (var row in due)
        {
            // Whatever the row's ETag: a counter of a window that is over is not counted on again.
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        return due.Count;
    }

    private static int? ShardOf(string rowKey, string window)
    {
        if (rowKey == window)
        {
            return 0;
        }

        return rowKey.Length == window.Length + 3 && rowKey[window.Length] == '-'
            && int.TryParse(rowKey.AsSpan(window.Length + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var shard)
            ? shard
            : null;
    }
}
