using Azure;
using Azure.Data.Tables;

namespace Rebind.Azure.Stores;

/// <summary>One failure counter as read, with the version to count on top of (<c>default</c> when it has no row yet).</summary>
public sealed record FailureCount(int Count, DateTimeOffset? LastFailedAt, ETag ETag)
{
    public static readonly FailureCount None = new(0, null, default);
}

/// <summary>A client's own counter on a subject, and the counter of all such clients on the subject together.</summary>
public sealed record ClientFailures(FailureCount Client, FailureCount All);

/// <summary>
/// Failed sign-ins by clients that are not one of an account's known devices, in table <c>SignInClientFailures</c>:
/// partition = hash of the subject (<see cref="AccountSubject"/> or <see cref="IdentifierSubject"/>), one row per
/// client (<see cref="IpClient"/>, hashed) and row <c>all</c> for them together. An account and an identifier without
/// one are counted the same way — two point reads, then one ETag-conditional transaction over both rows — so their
/// answers throttle alike, also under parallel guesses, and a 429 does not tell that an account exists.
/// </summary>
public sealed class TableSignInClientFailures(RebindTables tables)
{
    public const string Table = "SignInClientFailures";

    /// <summary>Far beyond any sign-in delay: by then nothing is learned from a counter going away.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    private const string AllRow = "all";
    private readonly TableExpiryIndex expiry = new(tables);

    /// <summary>The subject of an existing account: its phone and email share it.</summary>
    public static string AccountSubject(string accountId) => "account:" + accountId;

    /// <summary>The subject of an identifier without an account: normalized, or as typed when it is no identifier at all.</summary>
    public static string IdentifierSubject(string? normalized, string typed) => "identifier:" + (normalized ?? "raw:" + typed);

    public static string IpClient(string ipAddress) => "ip:" + ipAddress;

    public async Task<ClientFailures> GetAsync(string subject, string client, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        var partition = StoreKeys.Hash(subject);
        var clientRow = ReadAsync(table, partition, ClientRow(client), cancellationToken);
        var allRow = ReadAsync(table, partition, AllRow, cancellationToken);
        return new ClientFailures(await clientRow.ConfigureAwait(false), await allRow.ConfigureAwait(false));
    }

    /// <summary>
    /// Counts one more failure on both counters, on top of <paramref name="current"/>, in one transaction; null when
    /// someone counted first (nothing was counted), else the counts now stored.
    /// </summary>
    public async Task<ClientFailures?> TryCountAsync(string subject, string client, ClientFailures current, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        var partition = StoreKeys.Hash(subject);
        var rows = new[] { (ClientRow(client), current.Client), (AllRow, current.All) };

        // Index first: a crash after it leaves an index row pointing at nothing, never an unpurged counter.
        await Task.WhenAll(rows.Where(r => r.Item2.ETag == default)
            .Select(r => expiry.ScheduleAsync(Table, partition, r.Item1, now + Retention, cancellationToken))).ConfigureAwait(false);
        var actions = rows.Select(r => r.Item2.ETag == default
            ? new TableTransactionAction(TableTransactionActionType.Add, Counter(partition, r.Item1, r.Item2.Count + 1, now))
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, Counter(partition, r.Item1, r.Item2.Count + 1, now), r.Item2.ETag));
        try
        {
            var responses = (await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false)).Value;
            return new ClientFailures(
                new FailureCount(current.Client.Count + 1, now, ETagOf(responses[0])),
                new FailureCount(current.All.Count + 1, now, ETagOf(responses[1])));
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return null;
        }
    }

    /// <summary>Counts one more failure, re-reading after every lost race: no failure goes uncounted.</summary>
    public async Task<ClientFailures> RecordFailureAsync(string subject, string client, ClientFailures current, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (await TryCountAsync(subject, client, current, now, cancellationToken).ConfigureAwait(false) is { } counted)
            {
                return counted;
            }
            current = await GetAsync(subject, client, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Notes a throttled attempt (<c>LastThrottledAt</c>) on the client's row (on the row of all clients when the client
    /// has none: then that one throttled it), as an account's history notes one: the throttled answer then costs a read
    /// and a write whether or not the account exists, also on a loaded machine where a timed pad alone falls behind.
    /// Conditional on the read's version, so it never undoes a concurrent count; a lost race is simply skipped.
    /// </summary>
    public async Task MarkThrottledAsync(string subject, string client, ClientFailures current, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        var (row, etag) = current.Client.ETag != default ? (ClientRow(client), current.Client.ETag) : (AllRow, current.All.ETag);
        if (etag == default)
        {
            return;
        }

        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        var mark = new TableEntity(StoreKeys.Hash(subject), row) { ["LastThrottledAt"] = now };
        try
        {
            await table.UpdateEntityAsync(mark, etag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
        }
    }

    /// <summary>
    /// After the right password: the client's counter and the subject's together start again at zero. Conditional on
    /// the read's versions; a failure counted in between wins (it happened after the success).
    /// </summary>
    public async Task ClearAsync(string subject, string client, ClientFailures current, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        var partition = StoreKeys.Hash(subject);
        var actions = new[] { (ClientRow(client), current.Client), (AllRow, current.All) }
            .Where(r => r.Item2.Count > 0 && r.Item2.ETag != default)
            .Select(r => new TableTransactionAction(TableTransactionActionType.UpdateReplace, new TableEntity(partition, r.Item1) { ["Count"] = 0L }, r.Item2.ETag))
            .ToList();
        if (actions.Count == 0)
        {
            return;
        }

        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
        }
    }

    private static string ClientRow(string client) => "c-" + StoreKeys.Hash(client);

    private static TableEntity Counter(string partition, string row, int count, DateTimeOffset now) =>
        new(partition, row) { ["Count"] = (long)count, ["LastFailedAt"] = now };

    private static ETag ETagOf(Response response) =>
        response.Headers.ETag ?? default;

    private static async Task<FailureCount> ReadAsync(TableClient table, string partition, string row, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue
            ? new FailureCount((int)(response.Value!.GetInt64("Count") ?? 0), response.Value.GetDateTimeOffset("LastFailedAt"), response.Value.ETag)
            : FailureCount.None;
    }
}
