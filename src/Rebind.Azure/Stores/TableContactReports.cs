using Azure;
using Azure.Data.Tables;
using Rebind.Core.Accounts;

namespace Rebind.Azure.Stores;

/// <summary>
/// A "this wasn't me" report code issued when a contact was bound: which account, which contact and value, when it
/// was added, until when it may be used (the end of the contact's holding period), and whether it was.
/// </summary>
public sealed record ContactReport(string AccountId, IdentifierKind Contact, string Value, DateTimeOffset AddedAt, DateTimeOffset ExpiresAt, bool Used, ETag ETag);

/// <summary>
/// Report codes in table <c>ContactReports</c>: partition = the SHA-256 of the code (never the code), row <c>r</c>.
/// Each row is scheduled in <see cref="TableExpiryIndex"/> for its expiry, so the cleanup purges it. Using a code
/// is a conditional write on the row's ETag: of two submits, one wins.
/// </summary>
public sealed class TableContactReports(RebindTables tables)
{
    public const string Table = "ContactReports";

    private const string Row = "r";
    private readonly TableExpiryIndex expiry = new(tables);

    /// <summary>Stores a new code's row (index first: whatever happens next, the row is purged in time).</summary>
    public async Task AddAsync(string codeHash, string accountId, IdentifierKind contact, string value, DateTimeOffset addedAt, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        await expiry.ScheduleAsync(Table, codeHash, Row, expiresAt, cancellationToken).ConfigureAwait(false);
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        await table.AddEntityAsync(new TableEntity(codeHash, Row)
        {
            ["AccountId"] = accountId,
            ["Contact"] = contact.ToString(),
            ["Value"] = value,
            ["AddedAt"] = addedAt,
            ["ExpiresAt"] = expiresAt,
            ["Used"] = false,
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The row of <paramref name="codeHash"/>, or null.</summary>
    public async Task<ContactReport?> GetAsync(string codeHash, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(codeHash, Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            return null;
        }

        var e = response.Value!;
        if (e.GetString("AccountId") is not { } accountId || !Enum.TryParse<IdentifierKind>(e.GetString("Contact"), out var contact) || e.GetString("Value") is not { } value)
        {
            return null;
        }

        return new ContactReport(accountId, contact, value,
            e.GetDateTimeOffset("AddedAt") ?? DateTimeOffset.MinValue,
            e.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue,
            e.GetBoolean("Used") ?? true,
            e.ETag);
    }

    /// <summary>Marks the code used if the row is still as read; false when another submit got there first (or it is gone).</summary>
    public async Task<bool> TryMarkUsedAsync(string codeHash, ContactReport report, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.UpdateEntityAsync(new TableEntity(codeHash, Row) { ["Used"] = true, ["UsedAt"] = now }, report.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }
}
