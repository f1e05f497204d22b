using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Rebind.Core.Accounts;

namespace Rebind.Azure.Stores;

/// <summary>
/// Accounts in <c>Accounts</c> (partition = account id, row <c>account</c>; the account's sessions and other
/// rows share the partition) and the identifier index in <c>Identifiers</c> (partition = <c>phone:+86...</c>
/// or <c>email:a@b.c</c>, row <c>owner</c>).
/// </summary>
public sealed class TableAccountStore(RebindTables tables) : IAccountStore
{
    public const string AccountRow = "account";
    private const string OwnerRow = "owner";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Versioned<Account>?> GetAsync(string accountId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(RebindTables.Accounts, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(accountId, AccountRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? ToAccount(response.Value!) : null;
    }

    public async Task<string?> FindAccountIdAsync(IdentifierKind kind, string value, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(RebindTables.Identifiers, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(IndexKey(kind, value), OwnerRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value!.GetString("AccountId") : null;
    }

    public async Task<ClaimOutcome> ClaimAsync(IdentifierKind kind, string value, string accountId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(RebindTables.Identifiers, cancellationToken).ConfigureAwait(false);
        var row = new TableEntity(IndexKey(kind, value), OwnerRow) { ["AccountId"] = accountId };
        try
        {
            await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            return ClaimOutcome.Claimed;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var holder = await FindAccountIdAsync(kind, value, cancellationToken).ConfigureAwait(false);
            if (holder is null)
            {
                // Released between our insert and our read: try once more rather than report a false loss.
                return await ClaimAsync(kind, value, accountId, cancellationToken).ConfigureAwait(false);
            }
            return holder == accountId ? ClaimOutcome.Claimed : ClaimOutcome.TakenByOther;
        }
    }

    public async Task ReleaseAsync(IdentifierKind kind, string value, string accountId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(RebindTables.Identifiers, cancellationToken).ConfigureAwait(false);
        var key = IndexKey(kind, value);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(key, OwnerRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue || response.Value!.GetString("AccountId") != accountId)
        {
            return;
        }
        try
        {
            await table.DeleteEntityAsync(key, OwnerRow, response.Value.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Changed hands in between: it is no longer ours to release.
        }
    }

    public async Task<Versioned<Account>> CreateAsync(Account account, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(RebindTables.Accounts, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.AddEntityAsync(ToEntity(account), cancellationToken).ConfigureAwait(false);
            return new Versioned<Account>(account, response.Headers.ETag?.ToString() ?? string.Empty);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return await GetAsync(account.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("Account reported as existing but not found.", e);
        }
    }

    public async Task<Versioned<Account>?> TryReplaceAsync(Account account, string version, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(RebindTables.Accounts, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.UpdateEntityAsync(ToEntity(account), new ETag(version), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return new Versioned<Account>(account, response.Headers.ETag?.ToString() ?? string.Empty);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return null;
        }
    }

    /// <remarks>
    /// Email local parts may hold <c>/ \ # ?</c>, which Table keys forbid: those and <c>%</c> are percent-encoded
    /// (so no two addresses share a key). Phones are <c>+</c> and digits.
    /// </remarks>
    public static string IndexKey(IdentifierKind kind, string value) =>
        (kind == IdentifierKind.Phone ? "phone:" : "email:") + EscapeKey(value);

    private static string EscapeKey(string value) =>
        value.IndexOfAny(['%', '/', '\\', '#', '?']) < 0
            ? value
            : value.Replace("%", "%25", StringComparison.Ordinal).Replace("/", "%2F", StringComparison.Ordinal)
                .Replace("\\", "%5C", StringComparison.Ordinal).Replace("#", "%23", StringComparison.Ordinal).Replace("?", "%3F", StringComparison.Ordinal);

    private static TableEntity ToEntity(Account account) => new(account.Id, AccountRow)
    {
        ["Body"] = JsonSerializer.Serialize(account, Json),
        ["Phone"] = account.Phone,
        ["Email"] = account.Email,
    };

    private static Versioned<Account> ToAccount(TableEntity entity) =>
        new(JsonSerializer.Deserialize<Account>(entity.GetString("Body")!, Json)!, entity.ETag.ToString());
}
