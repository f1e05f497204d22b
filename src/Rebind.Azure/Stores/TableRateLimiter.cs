using Azure;
using Rebind.Azure.Tables;
using Rebind.Core;
using Rebind.Core.Flows;
using Rebind.Core.Security;

namespace Rebind.Azure.Stores;

/// <summary>
/// <see cref="IRateLimiter"/> on table <c>RateLimits</c>: one counter row per (rule, key, window), partition =
/// hash of <c>{rule}|{key}</c>, row = window start ticks. Increments are ETag-conditional inserts/replaces,
/// retried on a lost race, so concurrent requests never over-count past the limit. Two requests per check.
/// </summary>
public sealed class TableRateLimiter(RebindTables tables) : IRateLimiter
{
    private readonly TableExpiryIndex expiry = new(tables);

    private const int MaxRaces = 20;

    public async Task<Error?> TryAcquireAsync(RateLimitRule rule, string key, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var table = await tables.GetAsync(RebindTables.RateLimits, cancellationToken).ConfigureAwait(false);
        var partition = StoreKeys.Hash(rule.Name + "|" + key);
        var row = StoreKeys.Ticks(RateLimits.WindowStart(rule, now));
        for (var race = 0; race < MaxRaces; race++)
        {
            var current = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
            var count = current.HasValue ? current.Value!.GetInt64("Count") ?? 0 : 0;
            if (RateLimits.Check(rule, count, now) is { } refused)
            {
                return refused;
            }

            var next = new TableEntity(partition, row)
            {
                ["Count"] = count + 1,
                ["Rule"] = rule.Name,
                ["ExpiresAt"] = RateLimits.WindowStart(rule, now) + rule.Window,
            };
            try
            {
                if (current.HasValue)
                {
                    await table.UpdateEntityAsync(next, current.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // A window's counter is useless once the window is over. Index first: a crash after it
                    // leaves at worst an index row pointing at nothing, never a counter nobody purges.
                    await expiry.ScheduleAsync(RebindTables.RateLimits, partition, row, RateLimits.WindowStart(rule, now) + rule.Window, cancellationToken).ConfigureAwait(false);
                    await table.AddEntityAsync(next, cancellationToken).ConfigureAwait(false);
                }
                return null;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Someone counted in between: read again, after a little jitter so racers spread out.
                await Task.Delay(Random.Shared.Next(1, 10 + race * 2), cancellationToken).ConfigureAwait(false);
            }
        }

        // Sustained contention on one counter is itself a flood: refuse rather than count for free.
        return FlowErrors.RateLimited(1, rule.Name);
    }
}
