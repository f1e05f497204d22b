using Azure;
using Azure.Data.Tables;
using Rebind.Core.Accounts;
using Rebind.Core.Sessions;

namespace Rebind.Azure.Stores;

/// <summary>
/// Sessions on Table Storage:
/// <list type="bullet">
/// <item><c>Accounts</c>, partition = account id, row <c>session|{id}</c>: the session (beside the account row, so
/// ending all sessions is one batch per 100).</item>
/// <item><c>SessionTokens</c>, partition = SHA-256 of the token, row <c>session</c>: (account id, session id).</item>
/// <item><c>SessionExpiry</c>, partition = hour of absolute expiry (<c>yyyyMMddHH</c>), row <c>{account}|{session}</c>:
/// the purge index the cleanup reads (only hours that have passed).</item>
/// </list>
/// An authenticated request costs three point reads (token row, then session row and account row in parallel) and,
/// at most once per <see cref="SessionPolicy.LastSeenResolution"/>, one conditional merge of last-seen.
/// </summary>
public sealed class TableSessionService(RebindTables tables, IAccountStore accounts, SessionPolicy policy, TimeProvider time) : ISessionService
{
    public const string TokensTable = "SessionTokens";
    public const string ExpiryTable = "SessionExpiry";
    public const string RowPrefix = "session|";
    private const string RowPrefixEnd = "session}";
    private const string TokenRow = "session";
    private const int MaxBatch = 100;

    public async Task<NewSession> CreateAsync(string accountId, string securityStamp, SessionClient client, string? sessionId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(client);
        var now = time.GetUtcNow();
        var token = SessionTokens.NewToken();
        var hash = SessionTokens.Hash(token)!;
        var session = new Session(accountId, sessionId ?? SessionTokens.NewSessionId(), securityStamp, now, now, now, now + policy.Absolute,
            client.DeviceName, client.UserAgent, client.IpAddress) { DeviceHash = client.DeviceHash };

        // Index first: whatever a failure leaves behind, the cleanup can find and remove. The session row last: it is
        // what lists and authenticates, so a sign-in cut off earlier (storage gone) leaves nothing the user can see.
        var expiry = await tables.GetAsync(ExpiryTable, cancellationToken).ConfigureAwait(false);
        await expiry.AddEntityAsync(new TableEntity(Bucket(session.ExpiresAt), $"{accountId}|{session.Id}") { ["TokenHash"] = hash }, cancellationToken).ConfigureAwait(false);
        var tokens = await tables.GetAsync(TokensTable, cancellationToken).ConfigureAwait(false);
        await tokens.AddEntityAsync(new TableEntity(hash, TokenRow) { ["AccountId"] = accountId, ["SessionId"] = session.Id }, cancellationToken).ConfigureAwait(false);
        var accountsTable = await tables.GetAsync(RebindTables.Accounts, cancellationToken).ConfigureAwait(false);
        await accountsTable.AddEntityAsync(ToEntity(session, hash), cancellationToken).ConfigureAwait(false);
        return new NewSession(token, session);
    }

    public async Task<AuthenticatedSession?> AuthenticateAsync(string token, CancellationToken cancellationToken = default)
    {
        var hash = SessionTokens.Hash(token);
        if (hash is null)
        {
            return null;
        }

        var tokens = await tables.GetAsync(TokensTable, cancellationToken).ConfigureAwait(false);
        var lookup = await tokens.GetEntityIfExistsAsync<TableEntity>(hash, TokenRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!lookup.HasValue || lookup.Value!.GetString("AccountId") is not { Length: > 0 } accountId || lookup.Value.GetString("SessionId") is not { } sessionId)
        {
            return null;
        }

        var accountsTable = await tables.GetAsync(RebindTables.Accounts, cancellationToken).ConfigureAwait(false);
        var rowTask = accountsTable.GetEntityIfExistsAsync<TableEntity>(accountId, RowPrefix + sessionId, cancellationToken: cancellationToken);
        var accountTask = accounts.GetAsync(accountId, cancellationToken);
        await Task.WhenAll(rowTask, accountTask).ConfigureAwait(false);
        var row = await rowTask.ConfigureAwait(false);
        var account = await accountTask.ConfigureAwait(false);
        if (!row.HasValue || account is null)
        {
            return null;
        }

        var session = ToSession(row.Value!);
        var now = time.GetUtcNow();
        // The token hash on the row guards against a lookup row that somehow points at another session.
        if (row.Value!.GetString("TokenHash") != hash || !policy.IsAlive(session, account.Value.SecurityStamp, now))
        {
            return null;
        }

        if (policy.NeedsTouch(session, now))
        {
            try
            {
                await accountsTable.UpdateEntityAsync(new TableEntity(accountId, RowPrefix + sessionId) { ["LastSeenAt"] = now }, row.Value.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return null; // ended while we looked
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // A parallel request touched it (or re-authenticated): last-seen is fresh either way.
            }

            session = session with { LastSeenAt = now };
        }

        return new AuthenticatedSession(session, account);
    }

    public async Task<IReadOnlyList<Session>> ListAsync(string accountId, CancellationToken cancellationToken = default)
    {
        var account = await accounts.GetAsync(accountId, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return [];
        }

        var now = time.GetUtcNow();
        var list = new List<Session>();
        await foreach (var row in QuerySessionsAsync(accountId, cancellationToken).ConfigureAwait(false))
        {
            var session = ToSession(row);
            if (policy.IsAlive(session, account.Value.SecurityStamp, now))
            {
                list.Add(session);
            }
        }

        return list.OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<bool> RevokeAsync(string accountId, string sessionId, CancellationToken cancellationToken = default)
    {
        if (!SessionTokens.IsSessionId(sessionId))
        {
            return false;
        }

        var accountsTable = await tables.GetAsync(RebindTables.Accounts, cancellationToken).ConfigureAwait(false);
        var row = await accountsTable.GetEntityIfExistsAsync<TableEntity>(accountId, RowPrefix + sessionId, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue)
        {
            return false;
        }

        var deleted = await accountsTable.DeleteEntityAsync(accountId, RowPrefix + sessionId, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (row.Value!.GetString("TokenHash") is { } hash)
        {
            var tokens = await tables.GetAsync(TokensTable, cancellationToken).ConfigureAwait(false);
            await tokens.DeleteEntityAsync(hash, TokenRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return deleted.Status != 404;
    }

    public async Task<int> RevokeAllAsync(string accountId, string? exceptSessionId = null, CancellationToken cancellationToken = default)
    {
        var accountsTable = await tables.GetAsync(RebindTables.Accounts, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var keys = new List<string>();
            await foreach (var row in QuerySessionsAsync(accountId, cancellationToken, select: ["RowKey"]).ConfigureAwait(false))
            {
                if (exceptSessionId is null || row.RowKey != RowPrefix + exceptSessionId)
                {
                    keys.Add(row.RowKey);
                }
            }

            try
            {
                // Token rows stay until the expiry purge: without their session row they authenticate nothing.
                foreach (var chunk in keys.Chunk(MaxBatch))
                {
                    await accountsTable.SubmitTransactionAsync(
                        chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(accountId, k))),
                        cancellationToken).ConfigureAwait(false);
                }

                return keys.Count;
            }
            catch (TableTransactionFailedException) when (attempt < 3)
            {
                // A session ended in parallel (404 inside the batch): read again and delete what is left.
            }
        }
    }

    public async Task<string> RotateSecurityStampAsync(string accountId, string? keepSessionId = null, CancellationToken cancellationToken = default)
    {
        var written = await accounts.UpdateAsync(accountId, a => a with { SecurityStamp = Account.NewSecurityStamp() }, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("No such account.");
        var stamp = written.Value.SecurityStamp;

        if (keepSessionId is not null && SessionTokens.IsSessionId(keepSessionId))
        {
            var accountsTable = await tables.GetAsync(RebindTables.Accounts, cancellationToken).ConfigureAwait(false);
            try
            {
                await accountsTable.UpdateEntityAsync(new TableEntity(accountId, RowPrefix + keepSessionId) { ["SecurityStamp"] = stamp }, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // The session to keep is gone already; nothing to carry over.
            }
        }

        await RevokeAllAsync(accountId, keepSessionId, cancellationToken).ConfigureAwait(false);
        return stamp;
    }

    public async Task<bool> MarkReauthenticatedAsync(string accountId, string sessionId, CancellationToken cancellationToken = default)
    {
        if (!SessionTokens.IsSessionId(sessionId))
        {
            return false;
        }

        var now = time.GetUtcNow();
        var accountsTable = await tables.GetAsync(RebindTables.Accounts, cancellationToken).ConfigureAwait(false);
        try
        {
            // If-Match * : never resurrects a session that was ended meanwhile.
            await accountsTable.UpdateEntityAsync(new TableEntity(accountId, RowPrefix + sessionId) { ["AuthenticatedAt"] = now, ["LastSeenAt"] = now }, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Removes sessions whose absolute expiry hour has passed (session row, token row, index row), reading only
    /// the due index partitions; at most <paramref name="max"/> per call. Returns how many were purged.
    /// </summary>
    public async Task<int> PurgeExpiredAsync(int max, CancellationToken cancellationToken = default)
    {
        var expiry = await tables.GetAsync(ExpiryTable, cancellationToken).ConfigureAwait(false);
        var accountsTable = await tables.GetAsync(RebindTables.Accounts, cancellationToken).ConfigureAwait(false);
        var tokens = await tables.GetAsync(TokensTable, cancellationToken).ConfigureAwait(false);
        var due = await DuePartitions.ReadAsync(expiry, Bucket(time.GetUtcNow()), max, select: null, cancellationToken).ConfigureAwait(false);

        foreach (var row in due)
        {
            var separator = row.RowKey.IndexOf('|', StringComparison.Ordinal);
            if (separator > 0)
            {
                await accountsTable.DeleteEntityAsync(row.RowKey[..separator], RowPrefix + row.RowKey[(separator + 1)..], cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            if (row.GetString("TokenHash") is { Length: > 0 } hash)
            {
                await tokens.DeleteEntityAsync(hash, TokenRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            await expiry.DeleteEntityAsync(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return due.Count;
    }

    /// <summary>The expiry index partition of an instant: its UTC hour.</summary>
    public static string Bucket(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHH", System.Globalization.CultureInfo.InvariantCulture);

    private async IAsyncEnumerable<TableEntity> QuerySessionsAsync(string accountId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, IEnumerable<string>? select = null)
    {
        var accountsTable = await tables.GetAsync(RebindTables.Accounts, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey gt {RowPrefix} and RowKey lt {RowPrefixEnd}");
        await foreach (var row in accountsTable.QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    private static TableEntity ToEntity(Session s, string tokenHash) => new(s.AccountId, RowPrefix + s.Id)
    {
        ["TokenHash"] = tokenHash,
        ["SecurityStamp"] = s.SecurityStamp,
        ["CreatedAt"] = s.CreatedAt,
        ["LastSeenAt"] = s.LastSeenAt,
        ["AuthenticatedAt"] = s.AuthenticatedAt,
        ["ExpiresAt"] = s.ExpiresAt,
        ["DeviceName"] = s.DeviceName,
        ["UserAgent"] = s.UserAgent,
        ["IpAddress"] = s.IpAddress,
        ["DeviceHash"] = s.DeviceHash,
    };

    private static Session ToSession(TableEntity e) => new(
        e.PartitionKey,
        e.RowKey[RowPrefix.Length..],
        e.GetString("SecurityStamp") ?? string.Empty,
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("LastSeenAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("AuthenticatedAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue,
        e.GetString("DeviceName"),
        e.GetString("UserAgent"),
        e.GetString("IpAddress"))
    {
        DeviceHash = e.GetString("DeviceHash"),
    };
}
