using System.Globalization;
using Azure.Data.Tables;

namespace Rebind.Azure.Stores;

/// <summary>One thing an agent did in the support console: who, when, what, on which case.</summary>
public sealed record SupportAuditEntry(DateTimeOffset At, string Agent, string Action, string CaseRef, string? Detail);

/// <summary>
/// Table <c>SupportAudit</c>, append-only: each entry twice, under partition <c>case|{ref}</c> and <c>agent|{name}</c>,
/// rows keyed by inverted ticks (newest first) and a random suffix, so both lists are one partition query.
/// </summary>
public sealed class TableSupportAudit(RebindTables tables)
{
    public const string Table = "SupportAudit";

    public async Task RecordAsync(SupportAuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        var row = (DateTimeOffset.MaxValue.UtcTicks - entry.At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "|" + Guid.NewGuid().ToString("N")[..8];
        foreach (var partition in new[] { CasePartition(entry.CaseRef), AgentPartition(entry.Agent) })
        {
            await table.AddEntityAsync(new TableEntity(partition, row)
            {
                ["At"] = entry.At,
                ["Agent"] = entry.Agent,
                ["Action"] = entry.Action,
                ["CaseRef"] = entry.CaseRef,
                ["Detail"] = entry.Detail,
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<IReadOnlyList<SupportAuditEntry>> ForCaseAsync(string caseRef, int limit, CancellationToken cancellationToken = default) =>
        ListAsync(CasePartition(caseRef), limit, cancellationToken);

    public Task<IReadOnlyList<SupportAuditEntry>> ForAgentAsync(string agent, int limit, CancellationToken cancellationToken = default) =>
        ListAsync(AgentPartition(agent), limit, cancellationToken);

    private async Task<IReadOnlyList<SupportAuditEntry>> ListAsync(string partition, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Table, cancellationToken).ConfigureAwait(false);
        var entries = new List<SupportAuditEntry>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), maxPerPage: Math.Min(limit, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new SupportAuditEntry(e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue, e.GetString("Agent") ?? string.Empty,
                e.GetString("Action") ?? string.Empty, e.GetString("CaseRef") ?? string.Empty, e.GetString("Detail")));
            if (entries.Count >= limit)
            {
                break;
            }
        }
        return entries;
    }

    private static string CasePartition(string caseRef) => "case|" + caseRef;

    // Agent names are typed (development sign-in) or come from Entra ID: characters Table keys refuse are replaced.
    private static string AgentPartition(string agent) => "agent|" + new string(agent.ToLowerInvariant().Select(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c) ? '_' : c).ToArray());
}
