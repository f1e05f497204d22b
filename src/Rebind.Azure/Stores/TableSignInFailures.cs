using Azure;
using Rebind.Azure.Tables;

namespace Rebind.Azure.Stores;

/// <summary>
/// Consecutive failed sign-ins for identifiers that match no account, in table <c>SignInFailures</c> (partition =
/// hash of the normalized identifier). Known accounts count failures on the account; counting unknown ones the
/// same way lets their answers throttle alike, so a 429 does not tell that an account exists.
/// </summary>
public sealed class TableSignInFailures(RebindTables tables)
{
    public const string Table = "SignInFailures";

    /// <summary>Far beyond any sign-in delay: by then nothing is learned from the counter going away.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    private const string Row = "f";
    private const int MaxRaces = 10;
    private readonly TableExpiryIndex expiry = new(tables);

    public async Task<(int Count, DateTimeOffset? LastFailedAt)> GetAsync(string identifier, CancellationToken cancellationToken = default)
    {
        var row = await ReadAsync(identifier, cancellationToken).ConfigureAwait(false);
        return row is null ? (0, null) : ((int)(row.GetInt64("Count") ?? 0), row.GetDateTimeOffset("LastFailedAt"));
    }

    public async Task RecordFailureAsync(string identifier, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        var key = StoreKeys.Hash(identifier);
        for (var race = 0; race < MaxRaces; race++)
        {
            var current = await ReadAsync(identifier, cancellationToken).ConfigureAwait(false);
            var next = new TableEntity(key, Row) { ["Count"] = (current?.GetInt64("Count") ?? 0) + 1, ["LastFailedAt"] = now };
            try
            {
                if (current is null)
                {
                    await table.AddEntityAsync(next, cancellationToken).ConfigureAwait(false);
                    await expiry.ScheduleAsync(Table, key, Row, now + Retention, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await table.UpdateEntityAsync(next, current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // A parallel failure counted first: count on top of it.
            }
        }
    }

    private async Task<TableEntity?> ReadAsync(string identifier, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(StoreKeys.Hash(identifier), Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }
}
