using Azure;
using Azure.Data.Tables;

namespace Rebind.Azure.Stores;

/// <summary>A support case as the agents' console lists it: never the evidence, only where to find it.</summary>
/// <param name="Ref">The case's reference (a digest of the flow id: the flow id itself is the filer's capability).</param>
/// <param name="FlowId">The case's flow.</param>
/// <param name="State">The flow's state.</param>
/// <param name="Score">The evidence score (0–100), −1 before scoring.</param>
/// <param name="SubmittedAt">When its codes were confirmed.</param>
/// <param name="Deadline">The flow's deadline: decide by, or the end of the cool-off.</param>
/// <param name="HasAccount">Whether the old phone or email named an account.</param>
public sealed record SupportCaseRow(string Ref, string FlowId, string State, int Score, DateTimeOffset? SubmittedAt, DateTimeOffset Deadline, bool HasAccount);

/// <summary>
/// Table <c>SupportCases</c>: partition <c>case</c> (every case by reference, so the console and the audit can open a
/// closed one), partition <c>queue</c> (the open cases past their code step: the agents' queue, deleted when the case
/// ends), and partition <c>open</c> (one row per account with an open case, claimed with a conditional insert: of
/// two filings one wins; each row holds until when it counts, so a release that never came runs out by itself).
/// </summary>
public sealed class TableSupportCases(RebindTables tables)
{
    public const string Table = "SupportCases";

    private const string CasePartition = "case";
    private const string QueuePartition = "queue";
    private const string OpenPartition = "open";

    /// <summary>Records the case's current state; in the queue while <paramref name="open"/>.</summary>
    public async Task UpsertAsync(SupportCaseRow row, bool open, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(Entity(CasePartition, row), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        if (open)
        {
            await table.UpsertEntityAsync(Entity(QueuePartition, row), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await table.DeleteEntityAsync(QueuePartition, row.Ref, ETag.All, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The open cases (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<SupportCaseRow>> QueueAsync(int limit, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        var rows = new List<SupportCaseRow>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {QueuePartition}"), maxPerPage: Math.Min(limit, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(Row(e));
            if (rows.Count >= limit)
            {
                break;
            }
        }
        return rows;
    }

    /// <summary>The case with reference <paramref name="caseRef"/>, or null.</summary>
    public async Task<SupportCaseRow?> GetAsync(string caseRef, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(CasePartition, caseRef, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? Row(response.Value!) : null;
    }

    /// <summary>
    /// Claims the one open case of <paramref name="key"/> (an account, or the identifier typed when no account has it) until
    /// <paramref name="until"/>. False when another case holds it and has not run out.
    /// </summary>
    public async Task<bool> TryClaimOpenAsync(string key, DateTimeOffset until, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(OpenPartition, key) { ["Until"] = until };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(OpenPartition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!existing.HasValue)
            {
                return false;
            }
            if (existing.Value!.GetDateTimeOffset("Until") is { } held && held > now)
            {
                return false;
            }
            try
            {
                await table.UpdateEntityAsync(entity, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RequestFailedException lost) when (lost.Status is 412 or 404)
            {
                return false;
            }
        }
    }

    /// <summary>Moves the end of <paramref name="key"/>'s claim (a submitted case lives for days).</summary>
    public async Task ExtendOpenAsync(string key, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(new TableEntity(OpenPartition, key) { ["Until"] = until }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends <paramref name="key"/>'s claim: the account may file again.</summary>
    public async Task ReleaseOpenAsync(string key, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        await table.DeleteEntityAsync(OpenPartition, key, ETag.All, cancellationToken).ConfigureAwait(false);
    }

    private static TableEntity Entity(string partition, SupportCaseRow row) => new(partition, row.Ref)
    {
        ["FlowId"] = row.FlowId,
        ["State"] = row.State,
        ["Score"] = row.Score,
        ["SubmittedAt"] = row.SubmittedAt,
        ["Deadline"] = row.Deadline,
        ["HasAccount"] = row.HasAccount,
    };

    private static SupportCaseRow Row(TableEntity e) => new(
        e.RowKey,
        e.GetString("FlowId") ?? string.Empty,
        e.GetString("State") ?? string.Empty,
        e.GetInt32("Score") ?? -1,
        e.GetDateTimeOffset("SubmittedAt"),
        e.GetDateTimeOffset("Deadline") ?? DateTimeOffset.MinValue,
        e.GetBoolean("HasAccount") ?? false);
}
