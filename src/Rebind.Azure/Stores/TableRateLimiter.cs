using System.Globalization;
using Azure;
using Rebind.Azure.Tables;
using Rebind.Core;
using Rebind.Core.Flows;
using Rebind.Core.Security;

namespace Rebind.Azure.Stores;

/// <summary>
/// Fixed-window counters in <c>RateLimits</c>: partition = <c>{rule}|{escaped key}</c>, row = window start ticks.
/// Read, decide with <see cref="RateLimits.Check"/>, then insert or update with the read's ETag; a lost race
/// reads again. Two requests per counted event when uncontended.
/// </summary>
public sealed class TableRateLimiter(RebindTables tables) : IRateLimiter
{
    public const string Table = "RateLimits";
    private const int MaxAttempts = 50;

    public async Task<Error?> TryAcquireAsync(RateLimitRule rule, string key, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        var partition = rule.Name + "|" + Uri.EscapeDataString(key);
        var row = RateLimits.WindowStart(rule, now).UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
            var count = current.HasValue ? current.Value!.GetInt64("Count") ?? 0 : 0;
            if (RateLimits.Check(rule, count, now) is { } refusal)
            {
                return refusal;
            }

            var entity = new TableEntity(partition, row) { ["Count"] = count + 1 };
            try
            {
                if (current.HasValue)
                {
                    await table.UpdateEntityAsync(entity, current.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }

                return null;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                await Task.Delay(Random.Shared.Next(1, 10 + attempt * 2), cancellationToken).ConfigureAwait(false);
            }
        }

        // Sustained contention on one counter is itself a flood: refuse rather than count for free.
        return FlowErrors.RateLimited(1, rule.Name);
    }
}
