using Azure;
using Azure.Data.Tables;
using Rebind.Core.Accounts;

namespace Rebind.Azure.Stores;

/// <summary>
/// A "this wasn't me" report code issued when a contact was bound: which account, which contact and value, when it
/// was added, until when it may be used (the end of the contact's holding period), and whether it was.
/// </summary>
public sealed record ContactReport(string AccountId, IdentifierKind Contact, string Value, DateTimeOffset AddedAt, DateTimeOffset ExpiresAt, bool Used, ETag ETag) : IReportCodeRow;

/// <summary>Report codes of newly bound contacts, in table <c>ContactReports</c> (<see cref="TableReportCodes{T}"/>).</summary>
public sealed class TableContactReports(RebindTables tables) : TableReportCodes<ContactReport>(tables, Table)
{
    public const string Table = "ContactReports";

    public Task AddAsync(string codeHash, string accountId, IdentifierKind contact, string value, DateTimeOffset addedAt, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
        AddAsync(codeHash, expiresAt, new Dictionary<string, object>
        {
            ["AccountId"] = accountId,
            ["Contact"] = contact.ToString(),
            ["Value"] = value,
            ["AddedAt"] = addedAt,
        }, cancellationToken);

    protected override ContactReport? Read(TableEntity entity) =>
        entity.GetString("AccountId") is { } accountId && Enum.TryParse<IdentifierKind>(entity.GetString("Contact"), out var contact) && entity.GetString("Value") is { } value
            ? new ContactReport(accountId, contact, value,
                entity.GetDateTimeOffset("AddedAt") ?? DateTimeOffset.MinValue,
                entity.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue,
                entity.GetBoolean("Used") ?? true,
                entity.ETag)
            : null;
}
