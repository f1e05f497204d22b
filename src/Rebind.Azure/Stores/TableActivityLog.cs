using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Rebind.Core.Activity;

namespace Rebind.Azure.Stores;

/// <summary>
/// Activity history in the account's partition of <c>Accounts</c>, rows <c>history|{inverted ticks}|{random}</c>
/// (so a forward query is newest first), plus a purge index <c>ActivityPurge</c>: partition = the UTC day the
/// entry falls out of retention (<c>yyyyMMdd</c>), row = account id (one row per account and day, upserted).
/// The cleanup reads only the index days that have passed, then deletes the account's expired range.
/// Recording costs two writes, or one: an index row this process has already written stays until its day has
/// passed, so the account's next entries that fall out of retention on the same day do not write it again.
/// </summary>
public sealed class TableActivityLog(RebindTables tables, TimeSpan retention, TimeProvider time) : IActivityLog
{
    public const string PurgeTable = "ActivityPurge";
    public const string RowPrefix = "history|";
    private const string RowPrefixEnd = "history}";
    private const int MaxBatch = 100;

    /// <summary>Index rows remembered as written, at most; past it the memory starts again (an extra write, never a miss).</summary>
    public const int MaxRememberedIndexRows = 10_000;

    // "{day}|{account}" of the index rows this process wrote, for days still to come.
    private readonly ConcurrentDictionary<string, byte> indexed = new(StringComparer.Ordinal);

    public TimeSpan Retention { get; } = retention;

    public async Task RecordAsync(string accountId, ActivityEvent activity, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(activity);
        // Index first, so no entry can outlive its retention for want of an index row. The cleanup deletes an index
        // row only once its day has passed (PurgeAsync), so a row written for a later day than today is still there.
        var day = Day(activity.OccurredAt + Retention);
        var remembered = day + "|" + accountId;
        var later = string.CompareOrdinal(day, Day(time.GetUtcNow())) > 0;
        if (!later || !indexed.ContainsKey(remembered))
        {
            var purge = await tables.GetAsync(PurgeTable, cancellationToken).ConfigureAwait(false);
            await purge.UpsertEntityAsync(new TableEntity(day, accountId), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            if (later)
            {
                if (indexed.Count >= MaxRememberedIndexRows)
                {
                    indexed.Clear();
                }
                indexed.TryAdd(remembered, 0);
            }
        }

        var accounts = await tables.GetAsync(RebindTables.Accounts, cancellationToken).ConfigureAwait(false);
        var rowKey = RowPrefix + Inverted(activity.OccurredAt) + "|" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        await accounts.AddEntityAsync(new TableEntity(accountId, rowKey)
        {
            ["Type"] = activity.Type,
            ["Outcome"] = activity.Outcome,
            ["OccurredAt"] = activity.OccurredAt,
            ["IpAddress"] = activity.IpAddress,
            ["DeviceName"] = activity.DeviceName,
            ["UserAgent"] = activity.UserAgent,
            ["SessionId"] = activity.SessionId,
            ["Detail"] = activity.Detail,
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ActivityPage> ListAsync(string accountId, int limit, string? cursor = null, CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, 100);
        var from = RowPrefix + (IsCursorShape(cursor) ? cursor : string.Empty);
        var cutoff = RowPrefix + Inverted(time.GetUtcNow() - Retention);
        var accounts = await tables.GetAsync(RebindTables.Accounts, cancellationToken).ConfigureAwait(false);
        // Entries past retention but not yet purged are not shown.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey gt {from} and RowKey lt {cutoff}");
        var items = new List<(string Key, ActivityEvent Event)>();
        await foreach (var e in accounts.QueryAsync<TableEntity>(filter, maxPerPage: limit + 1, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            items.Add((e.RowKey, new ActivityEvent(
                e.GetString("Type") ?? string.Empty,
                e.GetString("Outcome") ?? string.Empty,
                e.GetDateTimeOffset("OccurredAt") ?? DateTimeOffset.MinValue,
                e.GetString("IpAddress"),
                e.GetString("DeviceName"),
                e.GetString("UserAgent"),
                e.GetString("SessionId"),
                e.GetString("Detail"))));
            if (items.Count > limit)
            {
                break;
            }
        }

        var more = items.Count > limit;
        var page = items.Take(limit).ToList();
        return new ActivityPage(page.Select(i => i.Event).ToList(), more ? page[^1].Key[RowPrefix.Length..] : null);
    }

    /// <summary>
    /// Deletes entries older than the retention for accounts listed under index days that have passed; at most
    /// <paramref name="maxAccounts"/> index rows per call. Returns the number of entries deleted.
    /// </summary>
    public async Task<int> PurgeAsync(int maxAccounts, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var purge = await tables.GetAsync(PurgeTable, cancellationToken).ConfigureAwait(false);
        var accounts = await tables.GetAsync(RebindTables.Accounts, cancellationToken).ConfigureAwait(false);
        var due = await DuePartitions.ReadAsync(purge, Day(now), maxAccounts, select: null, cancellationToken).ConfigureAwait(false);

        var deleted = 0;
        var from = RowPrefix + Inverted(now - Retention);
        foreach (var index in due)
        {
            var accountId = index.RowKey;
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey gt {from} and RowKey lt {RowPrefixEnd}");
            var keys = new List<string>();
            await foreach (var e in accounts.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                keys.Add(e.RowKey);
            }

            foreach (var chunk in keys.Chunk(MaxBatch))
            {
                await accounts.SubmitTransactionAsync(
                    chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(accountId, k))),
                    cancellationToken).ConfigureAwait(false);
            }

            deleted += keys.Count;
            await purge.DeleteEntityAsync(index.PartitionKey, index.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Inverted(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    public bool IsCursor(string cursor) => IsCursorShape(cursor);

    private static bool IsCursorShape(string? cursor) =>
        cursor is { Length: 28 } && cursor[19] == '|' && cursor[..19].All(char.IsAsciiDigit) && cursor[20..].All(char.IsAsciiHexDigitLower);
}
