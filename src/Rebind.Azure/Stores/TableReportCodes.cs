using Azure;
using Azure.Data.Tables;
using Rebind.Core.Security;

namespace Rebind.Azure.Stores;

/// <summary>A row of a single-use "this wasn't me" code: until when it may be used, whether it was, its version.</summary>
public interface IReportCodeRow
{
    DateTimeOffset ExpiresAt { get; }

    bool Used { get; }

    ETag ETag { get; }
}

/// <summary>
/// Single-use report codes ("this wasn't me" links) in a table of their own: partition = the SHA-256 of the code (never the
/// code, see <see cref="ReportCodes"/>), row <c>r</c>, each scheduled in <see cref="TableExpiryIndex"/> for its expiry so
/// the cleanup purges it. Using a code (<see cref="TakeAsync"/>) is a conditional write on the row's ETag: of two
/// submits, one wins. <see cref="TableContactReports"/> and <see cref="TableSignInReports"/> say what a row holds.
/// </summary>
public abstract class TableReportCodes<T>(RebindTables tables, string table)
    where T : class, IReportCodeRow
{
    private const string Row = "r";
    private readonly TableExpiryIndex expiry = new(tables);

    /// <summary>The row of <paramref name="codeHash"/>, or null (absent or unreadable).</summary>
    public async Task<T?> GetAsync(string codeHash, CancellationToken cancellationToken = default)
    {
        var client = await tables.GetAsync(table, cancellationToken).ConfigureAwait(false);
        var response = await client.GetEntityIfExistsAsync<TableEntity>(codeHash, Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? Read(response.Value!) : null;
    }

    /// <summary>Marks the code used if the row is still as read; false when another submit got there first (or it is gone).</summary>
    public async Task<bool> TryMarkUsedAsync(string codeHash, T report, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var client = await tables.GetAsync(table, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.UpdateEntityAsync(new TableEntity(codeHash, Row) { ["Used"] = true, ["UsedAt"] = now }, report.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// The row of a code as typed, now marked used; null for a string that cannot be a code (no storage read), an unknown,
    /// used or expired code, or one another submit used first — one answer for all.
    /// </summary>
    public async Task<T?> TakeAsync(string? typed, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ReportCodes.TryHash(typed) is { } hash
        && await GetAsync(hash, cancellationToken).ConfigureAwait(false) is { Used: false } report
        && now < report.ExpiresAt
        && await TryMarkUsedAsync(hash, report, now, cancellationToken).ConfigureAwait(false)
            ? report
            : null;

    /// <summary>Stores a new code's row (index first: whatever happens next, the row is purged in time).</summary>
    protected async Task AddAsync(string codeHash, DateTimeOffset expiresAt, IDictionary<string, object> values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        await expiry.ScheduleAsync(table, codeHash, Row, expiresAt, cancellationToken).ConfigureAwait(false);
        var client = await tables.GetAsync(table, cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(codeHash, Row) { ["ExpiresAt"] = expiresAt, ["Used"] = false };
        foreach (var (key, value) in values)
        {
            entity[key] = value;
        }
        await client.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The row's values, or null when it lacks what a row must hold.</summary>
    protected abstract T? Read(TableEntity entity);
}
