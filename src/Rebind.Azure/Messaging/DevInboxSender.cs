using Azure;
using Microsoft.Extensions.Logging;
using Rebind.Azure.Stores;
using Azure.Data.Tables;
using Rebind.Core.Messaging;

namespace Rebind.Azure.Messaging;

/// <summary>One message in the development inbox.</summary>
public sealed record DevInboxMessage(string To, string Channel, string Kind, string Subject, string Text, DateTimeOffset Created, Guid IdempotencyKey);

/// <summary>
/// The local <see cref="IMessageSender"/> when ACS is not configured: renders the message and stores it in table
/// <c>DevInbox</c> (partition = hash of the normalized recipient, row = reversed creation ticks and the idempotency
/// key, so reads come newest first and a repeated delivery of one message is one row).
/// </summary>
public sealed class DevInboxSender(RebindTables tables, ILogger<DevInboxSender> logger) : IMessageSender
{
    /// <summary>How long development messages are kept.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    private readonly TableExpiryIndex expiry = new(tables);

    public async Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var to = Mask.Address(message.Channel, message.To);
        if (!AcsOutcomes.TryRender(message, logger, "Dev inbox", to, out var rendered, out var unrenderable))
        {
            return unrenderable;
        }

        var table = await tables.GetAsync(RebindTables.DevInbox, cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(StoreKeys.Hash(message.To), RowKey(message))
        {
            ["To"] = message.To,
            ["Channel"] = message.Channel.ToString(),
            ["Kind"] = message.Kind,
            ["Subject"] = rendered.Subject,
            ["Text"] = rendered.Text,
            ["Created"] = message.CreatedAt,
            ["IdempotencyKey"] = message.IdempotencyKey,
        };
        // Index first (an upsert, safe to repeat): a retry after a failure here still leaves the row purgeable.
        await expiry.ScheduleAsync(RebindTables.DevInbox, entity.PartitionKey, entity.RowKey, message.CreatedAt + Retention, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Delivered before (a retry of the same message): once is enough.
        }
        logger.LogInformation("Dev inbox {Kind} {MessageKey} to {To}", message.Kind, message.IdempotencyKey, to);
        return SendOutcome.Delivered("devinbox:" + message.IdempotencyKey.ToString("N"));
    }

    /// <summary>Messages to <paramref name="to"/> (normalized), newest first.</summary>
    public async Task<IReadOnlyList<DevInboxMessage>> ReadAsync(string to, int max = 50, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(RebindTables.DevInbox, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {StoreKeys.Hash(to)}");
        var list = new List<DevInboxMessage>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, maxPerPage: max, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(new DevInboxMessage(
                e.GetString("To")!, e.GetString("Channel")!, e.GetString("Kind")!, e.GetString("Subject")!, e.GetString("Text")!,
                e.GetDateTimeOffset("Created")!.Value, e.GetGuid("IdempotencyKey") ?? Guid.Empty));
            if (list.Count >= max)
            {
                break;
            }
        }
        return list;
    }

    private static string RowKey(OutboundMessage message) =>
        (DateTimeOffset.MaxValue.UtcTicks - message.CreatedAt.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture)
        + "|" + message.IdempotencyKey.ToString("N");
}
