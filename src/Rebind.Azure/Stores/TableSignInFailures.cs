using Azure;
using Azure.Data.Tables;

namespace Rebind.Azure.Stores;

/// <summary>Consecutive failed sign-ins of an identifier without an account, with the version to count on top of.</summary>
public sealed record SignInFailures(int Count, DateTimeOffset? LastFailedAt, ETag ETag);

/// <summary>
/// Consecutive failed sign-ins for identifiers that match no account, in table <c>SignInFailures</c> (partition =
/// hash of the normalized identifier). Known accounts count failures on the account row; counting unknown ones
/// the same way — read, then an ETag-conditional count — lets their answers throttle alike, also under parallel
/// guesses, so a 429 does not tell that an account exists.
/// </summary>
public sealed class TableSignInFailures(RebindTables tables)
{
    public const string Table = "SignInFailures";

    /// <summary>Far beyond any sign-in delay: by then nothing is learned from the counter going away.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    private const string Row = "f";
    private readonly TableExpiryIndex expiry = new(tables);

    public async Task<SignInFailures> GetAsync(string identifier, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(StoreKeys.Hash(identifier), Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue
            ? new SignInFailures((int)(response.Value!.GetInt64("Count") ?? 0), response.Value.GetDateTimeOffset("LastFailedAt"), response.Value.ETag)
            : new SignInFailures(0, null, default);
    }

    /// <summary>Counts one more failure on top of <paramref name="current"/>; false when someone counted first.</summary>
    public async Task<bool> TryCountAsync(string identifier, SignInFailures current, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        var next = new TableEntity(StoreKeys.Hash(identifier), Row) { ["Count"] = current.Count + 1L, ["LastFailedAt"] = now };
        try
        {
            if (current.ETag == default)
            {
                // Index first: a crash after it leaves an index row pointing at nothing, never an unpurged counter.
                await expiry.ScheduleAsync(Table, next.PartitionKey, Row, now + Retention, cancellationToken).ConfigureAwait(false);
                await table.AddEntityAsync(next, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await table.UpdateEntityAsync(next, current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Counts one more failure, re-reading after every lost race: no failure goes uncounted.</summary>
    public async Task RecordFailureAsync(string identifier, SignInFailures current, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        while (!await TryCountAsync(identifier, current, now, cancellationToken).ConfigureAwait(false))
        {
            current = await GetAsync(identifier, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Notes a throttled attempt (<c>LastThrottledAt</c>) on top of <paramref name="current"/>, as an account's
    /// history notes one: the throttled answer then costs a read and a write on either path, so it takes as long
    /// whether or not the account exists, also on a loaded machine where a timed pad alone falls behind. Conditional
    /// on the read's version, so it never undoes a concurrent count; a lost race is simply skipped.
    /// </summary>
    public async Task MarkThrottledAsync(string identifier, SignInFailures current, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (current.ETag == default)
        {
            return;
        }

        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        var mark = new TableEntity(StoreKeys.Hash(identifier), Row) { ["LastThrottledAt"] = now };
        try
        {
            await table.UpdateEntityAsync(mark, current.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
        }
    }
}
