using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Rebind.Azure.Stores;
using Azure.Data.Tables;
using Rebind.Core.Flows;
using Rebind.Core.Messaging;

namespace Rebind.Azure.Flows;

/// <summary>
/// Flows in table <c>Flows</c>: partition = flow id, row <c>flow</c> (the flow as JSON) and one row
/// <c>out|{idempotency key}</c> per outbox message. A step's flow row and its new outbox rows are one
/// entity group transaction, conditional on the flow's ETag: state and messages never diverge.
/// </summary>
public sealed class TableFlowStore(RebindTables tables)
{
    public const string FlowRow = "flow";
    public const string OutboxPrefix = "out|";

    private static readonly JsonSerializerOptions MessageJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string OutboxRow(Guid idempotencyKey) => OutboxPrefix + idempotencyKey.ToString("N");

    public async Task<StoredFlow?> GetAsync(string flowId, CancellationToken cancellationToken = default)
    {
        if (!IsValidId(flowId))
        {
            return null;
        }
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(flowId, FlowRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? new StoredFlow(FlowJson.Deserialize(response.Value!.GetString("Body")!), response.Value.ETag) : null;
    }

    /// <summary>Inserts a new flow with its outbox rows (one transaction). Returns the flow row's ETag.</summary>
    public Task<ETag> InsertAsync(Flow flow, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default) =>
        CommitAsync(new TableTransactionAction(TableTransactionActionType.Add, ToEntity(flow)), flow, messages, cancellationToken);

    /// <summary>
    /// Replaces the flow if it is still at <paramref name="etag"/> and adds the outbox rows, atomically.
    /// Null when someone else wrote the flow first (nothing written).
    /// </summary>
    public async Task<ETag?> TryReplaceAsync(Flow flow, ETag etag, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default)
    {
        try
        {
            return await CommitAsync(new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(flow), etag), flow, messages, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return null;
        }
    }

    public async Task<OutboxEntry?> GetOutboxAsync(string flowId, Guid idempotencyKey, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(flowId, OutboxRow(idempotencyKey), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? ToOutbox(response.Value!) : null;
    }

    public async Task<IReadOnlyList<OutboxEntry>> GetOutboxAsync(string flowId, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {flowId} and RowKey gt {OutboxPrefix} and RowKey lt {"out}"}");
        var entries = new List<OutboxEntry>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(ToOutbox(entity));
        }
        return entries;
    }

    /// <summary>Records a delivery attempt. Unconditional: the only writers are attempts of the same idempotent send.</summary>
    public async Task UpdateOutboxAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(entry.FlowId, OutboxRow(entry.Message.IdempotencyKey))
        {
            ["Status"] = entry.Status,
            ["Attempts"] = entry.Attempts,
        };
        void Set(string name, object? value)
        {
            if (value is not null)
            {
                entity[name] = value;
            }
        }
        Set("NextAttemptAt", entry.NextAttemptAt);
        Set("LastError", entry.LastError);
        Set("DeliveredAt", entry.DeliveredAt);
        Set("ProviderMessageId", entry.ProviderMessageId);
        await table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the flow and its outbox rows (one query, then one transaction per 100 rows).</summary>
    public async Task<int> PurgeAsync(string flowId, CancellationToken cancellationToken = default)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var keys = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {flowId}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add(entity.RowKey);
        }
        foreach (var chunk in keys.Chunk(100))
        {
            var actions = chunk.Select(rk => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(flowId, rk), ETag.All));
            await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
        return keys.Count;
    }

    /// <summary>Flow ids come from clients: only the shape <see cref="FlowIds"/> makes is a valid key.</summary>
    public static bool IsValidId(string? flowId) =>
        flowId is { Length: > 0 and <= 64 } && flowId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private async Task<ETag> CommitAsync(TableTransactionAction flowAction, Flow flow, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken).ConfigureAwait(false);
        var actions = new List<TableTransactionAction> { flowAction };
        actions.AddRange(messages.Select(m => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(flow.Id, m))));
        var response = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        // Every later step is conditional on this ETag; without one, nothing safe can follow.
        return response.Value.Count > 0 && response.Value[0].Headers.ETag is { } etag
            ? etag
            : throw new InvalidOperationException("The flow commit returned no ETag.");
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(RebindTables.Flows, cancellationToken);

    private static TableEntity ToEntity(Flow flow) => new(flow.Id, FlowRow)
    {
        ["Body"] = FlowJson.Serialize(flow),
        ["Kind"] = flow.Kind,
        ["State"] = flow.State,
        ["Deadline"] = flow.Deadline,
    };

    private static TableEntity ToEntity(string flowId, OutboundMessage message) => new(flowId, OutboxRow(message.IdempotencyKey))
    {
        ["Message"] = JsonSerializer.Serialize(message, MessageJson),
        ["Channel"] = message.Channel.ToString(),
        ["Kind"] = message.Kind,
        ["Status"] = OutboxStatus.Pending,
        ["Attempts"] = 0,
        ["CreatedAt"] = message.CreatedAt,
    };

    private static OutboxEntry ToOutbox(TableEntity e) => new(
        e.PartitionKey,
        JsonSerializer.Deserialize<OutboundMessage>(e.GetString("Message")!, MessageJson)!,
        e.GetString("Status") ?? OutboxStatus.Pending,
        e.GetInt32("Attempts") ?? 0,
        e.GetDateTimeOffset("NextAttemptAt"),
        e.GetString("LastError"),
        e.GetDateTimeOffset("DeliveredAt"),
        e.GetString("ProviderMessageId"),
        e.ETag);
}
