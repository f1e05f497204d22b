using Azure;
using Azure.Data.Tables;

namespace Rebind.Azure.Stores;

/// <summary>A "this wasn't me" code sent with a sign-in alert: which account and session, until when, whether used.</summary>
public sealed record SignInReport(string AccountId, string SessionId, DateTimeOffset ExpiresAt, bool Used, ETag ETag);

/// <summary>
/// Sign-in report codes in table <c>SignInReports</c>, laid out as <see cref="TableContactReports"/>: partition = the
/// SHA-256 of the code, row <c>r</c>, purged through <see cref="TableExpiryIndex"/>, used with a conditional write.
/// </summary>
public sealed class TableSignInReports(RebindTables tables)
{
    public const string Table = "SignInReports";

    private const string Row = "r";
    private readonly TableExpiryIndex expiry = new(tables);

    public async Task AddAsync(string codeHash, string accountId, string sessionId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        await expiry.ScheduleAsync(Table, codeHash, Row, expiresAt, cancellationToken).ConfigureAwait(false);
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        // Upsert: the effect that issues it may run twice for one sign-in (same code hash only if the same code).
        await table.UpsertEntityAsync(new TableEntity(codeHash, Row)
        {
            ["AccountId"] = accountId,
            ["SessionId"] = sessionId,
            ["ExpiresAt"] = expiresAt,
            ["Used"] = false,
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SignInReport?> GetAsync(string codeHash, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(codeHash, Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue || response.Value!.GetString("AccountId") is not { } accountId || response.Value.GetString("SessionId") is not { } sessionId)
        {
            return null;
        }

        var e = response.Value;
        return new SignInReport(accountId, sessionId, e.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue, e.GetBoolean("Used") ?? true, e.ETag);
    }

    /// <summary>Marks the code used if the row is still as read; false when another submit got there first (or it is gone).</summary>
    public async Task<bool> TryMarkUsedAsync(string codeHash, SignInReport report, DateTimeOffset now, CancellationToken cancellationToken = default)
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
