using Azure;
using Azure.Data.Tables;

namespace Rebind.Azure.Stores;

/// <summary>A remembered request: in progress (no response yet) or done with the response to replay.</summary>
public sealed record IdempotencyRecord(string RequestHash, bool Done, int Status, string? Body, string? ContentType, string? Location, DateTimeOffset CreatedAt, ETag ETag);

/// <summary>
/// Requests sent with an <c>Idempotency-Key</c> in table <c>Idempotency</c>: partition = hash of (scope, key),
/// row <c>r</c>. The first request inserts an in-progress row (a conditional insert: one winner), then stores its
/// response; repeats read it. The owner holds the row's ETag: completing or abandoning is conditional on it, so a
/// slow request whose key was taken over cannot overwrite or delete the new owner's record.
/// </summary>
public sealed class TableIdempotencyStore(RebindTables tables)
{
    /// <summary>How long a key is remembered; clients retry within minutes, so a day is generous.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private const string Row = "r";
    private readonly TableExpiryIndex expiry = new(tables);

    /// <summary>The owner's ETag when this request now owns the key; null when a row exists (read it with <see cref="GetAsync"/>).</summary>
    public async Task<ETag?> TryBeginAsync(string scopedKey, string requestHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var key = StoreKeys.Hash(scopedKey);
        // Index first (an upsert, safe to repeat): whatever happens next, the row is purged in time.
        await expiry.ScheduleAsync(RebindTables.Idempotency, key, Row, now + Retention, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.AddEntityAsync(new TableEntity(key, Row)
            {
                ["RequestHash"] = requestHash,
                ["Done"] = false,
                ["CreatedAt"] = now,
            }, cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    /// <summary>Takes over an abandoned in-progress row (its request crashed): the new owner's ETag, or null when someone else did.</summary>
    public async Task<ETag?> TryTakeOverAsync(string scopedKey, IdempotencyRecord stale, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.UpdateEntityAsync(new TableEntity(StoreKeys.Hash(scopedKey), Row)
            {
                ["RequestHash"] = stale.RequestHash,
                ["Done"] = false,
                ["CreatedAt"] = now,
            }, stale.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return null;
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

    /// <summary>Stores the response, if this request still owns the key (<paramref name="owner"/>).</summary>
    public async Task CompleteAsync(string scopedKey, ETag owner, string requestHash, int status, string body, string contentType, string? location, DateTimeOffset now, CancellationToken cancellationToken = default)
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
        try
        {
            await table.UpdateEntityAsync(entity, owner, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            // Taken over (this request was presumed dead) or forgotten: the key is no longer ours to answer for.
        }
    }

    /// <summary>Forgets the key (the request failed in a way worth retrying, e.g. 429 or 5xx), if this request still owns it.</summary>
    public async Task AbandonAsync(string scopedKey, ETag owner, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.DeleteEntityAsync(StoreKeys.Hash(scopedKey), Row, owner, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Taken over in between: the new owner decides.
        }
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(RebindTables.Idempotency, cancellationToken);
}
