using Azure;
using Rebind.Azure.Tables;

namespace Rebind.Azure.Stores;

/// <summary>A remembered request: in progress (no response yet) or done with the response to replay.</summary>
public sealed record IdempotencyRecord(string RequestHash, bool Done, int Status, string? Body, string? ContentType, string? Location, DateTimeOffset CreatedAt, ETag ETag);

/// <summary>
/// Requests sent with an <c>Idempotency-Key</c> in table <c>Idempotency</c>: partition = hash of (scope, key),
/// row <c>r</c>. The first request inserts an in-progress row (a conditional insert: one winner), then stores its
/// response; repeats read it.
/// </summary>
public sealed class TableIdempotencyStore(RebindTables tables)
{
    /// <summary>How long a key is remembered; clients retry within minutes, so a day is generous.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private const string Row = "r";
    private readonly TableExpiryIndex expiry = new(tables);

    /// <summary>True when this request now owns the key; false when a row exists (read it with <see cref="GetAsync"/>).</summary>
    public async Task<bool> TryBeginAsync(string scopedKey, string requestHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(new TableEntity(StoreKeys.Hash(scopedKey), Row)
            {
                ["RequestHash"] = requestHash,
                ["Done"] = false,
                ["CreatedAt"] = now,
            }, cancellationToken).ConfigureAwait(false);
            await expiry.ScheduleAsync(RebindTables.Idempotency, StoreKeys.Hash(scopedKey), Row, now + Retention, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Takes over an abandoned in-progress row (its request crashed); false when someone else did.</summary>
    public async Task<bool> TryTakeOverAsync(string scopedKey, IdempotencyRecord stale, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.UpdateEntityAsync(new TableEntity(StoreKeys.Hash(scopedKey), Row)
            {
                ["RequestHash"] = stale.RequestHash,
                ["Done"] = false,
                ["CreatedAt"] = now,
            }, stale.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    public async Task<IdempotencyRecord?> GetAsync(string scopedKey, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(StoreKeys.Hash(scopedKey), Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            return null;
        }
        var e = response.Value!;
        return new IdempotencyRecord(
            e.GetString("RequestHash") ?? string.Empty,
            e.GetBoolean("Done") ?? false,
            e.GetInt32("Status") ?? 0,
            e.GetString("Body"),
            e.GetString("ContentType"),
            e.GetString("Location"),
            e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            e.ETag);
    }

    public async Task CompleteAsync(string scopedKey, string requestHash, int status, string body, string contentType, string? location, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(StoreKeys.Hash(scopedKey), Row)
        {
            ["RequestHash"] = requestHash,
            ["Done"] = true,
            ["Status"] = status,
            ["Body"] = body,
            ["ContentType"] = contentType,
            ["CreatedAt"] = now,
        };
        if (location is not null)
        {
            entity["Location"] = location;
        }
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets the key (the request failed in a way worth retrying, e.g. 429 or 5xx).</summary>
    public async Task AbandonAsync(string scopedKey, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        await table.DeleteEntityAsync(StoreKeys.Hash(scopedKey), Row, ETag.All, cancellationToken).ConfigureAwait(false);
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(RebindTables.Idempotency, cancellationToken);
}
