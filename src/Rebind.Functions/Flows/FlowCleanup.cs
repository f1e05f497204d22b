using Rebind.Azure.Flows;
using Rebind.Core.Flows;

namespace Rebind.Functions.Flows;

/// <summary>What one cleanup pass did.</summary>
public sealed record FlowCleanupReport(DateTimeOffset StartedAt, int Due, int Expired, int Resumed, int Delivered, int FailedMessages, int Purged, int Dropped, int Errors)
{
    public override string ToString() =>
        $"cleanup at {StartedAt:o}: {Due} due, {Expired} expired, {Resumed} resumed, {Delivered} delivered, {FailedMessages} messages failed, {Purged} purged, {Dropped} dropped, {Errors} errors";
}

/// <summary>
/// One pass over the <c>Due</c> index: expire flows past their deadline, resume flows stuck waiting on an effect,
/// retry undelivered messages, purge finished flows after the retention period. Reads only due rows, so its cost
/// follows the number of due items, never the number of stored flows.
/// </summary>
public sealed class FlowCleanup(
    TableDueIndex due,
    TableFlowStore store,
    FlowEngine engine,
    OutboxDispatcher outbox,
    FlowOptions options,
    TimeProvider time,
    ILogger<FlowCleanup> logger) : Hosting.ICleanupTask
{
    /// <summary>Due rows handled per pass; the rest wait for the next pass.</summary>
    public const int MaxPerPass = 1000;

    public string Name => "flows";

    async Task<int> Hosting.ICleanupTask.RunAsync(CancellationToken cancellationToken)
    {
        var report = await RunAsync(cancellationToken);
        return report.Due - report.Errors;
    }

    public async Task<FlowCleanupReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var items = await due.ReadDueAsync(now, MaxPerPass, cancellationToken);
        var done = new List<DueItem>();
        var later = new List<DueItem>();
        int expired = 0, resumed = 0, delivered = 0, failed = 0, purged = 0, dropped = 0, errors = 0;
        DateTimeOffset? oldestLeft = items.Count >= MaxPerPass ? items[^1].At : null;

        foreach (var item in items)
        {
            try
            {
                switch (item.What)
                {
                    case DueWork.Expire:
                        if (await engine.ApplyFromCleanupAsync(item.FlowId, new Expire(), cancellationToken) is not null) { expired++; } else { dropped++; }
                        break;
                    case DueWork.Resume:
                        if (await engine.ApplyFromCleanupAsync(item.FlowId, new Resume(), cancellationToken) is not null) { resumed++; } else { dropped++; }
                        break;
                    case DueWork.Outbox when item.MessageKey is { } key:
                        switch (await RetryAsync(item.FlowId, key, now, later, cancellationToken))
                        {
                            case OutboxStatus.Delivered: delivered++; break;
                            case OutboxStatus.Failed: failed++; break;
                            case null: dropped++; break;
                        }
                        break;
                    case DueWork.Purge:
                        if (await PurgeAsync(item.FlowId, now, cancellationToken)) { purged++; } else { dropped++; }
                        break;
                    default:
                        dropped++;
                        break;
                }
                done.Add(item);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors++;
                oldestLeft = oldestLeft is { } o && o < item.At ? o : item.At;
                logger.LogWarning(e, "Cleanup of {What} for {FlowRef} failed; it is retried on the next run", item.What, FlowIds.Ref(item.FlowId));
            }
        }

        // New rows first, then drop the handled ones: a crash in between repeats work, never loses it.
        await due.AddAsync(later, cancellationToken);
        await due.RemoveAsync(done, cancellationToken);
        await due.AdvanceCursorAsync(now, oldestLeft, cancellationToken);
        var report = new FlowCleanupReport(now, items.Count, expired, resumed, delivered, failed, purged, dropped, errors);
        if (items.Count > 0)
        {
            logger.LogInformation("{Report}", report.ToString());
        }
        return report;
    }

    /// <returns>The message's status after this run, or null when there was nothing to do.</returns>
    private async Task<string?> RetryAsync(string flowId, Guid key, DateTimeOffset now, List<DueItem> later, CancellationToken cancellationToken)
    {
        var entry = await store.GetOutboxAsync(flowId, key, cancellationToken);
        if (entry is null || entry.Status != OutboxStatus.Pending)
        {
            return null;
        }
        if (entry.NextAttemptAt is { } next && next > now)
        {
            later.Add(new DueItem(next, DueWork.Outbox, flowId, key));
            return null;
        }

        var recorded = await outbox.AttemptAsync(entry, cancellationToken);
        if (recorded.Status == OutboxStatus.Pending && recorded.NextAttemptAt is { } retryAt)
        {
            later.Add(new DueItem(retryAt, DueWork.Outbox, flowId, key));
        }
        return recorded.Status == OutboxStatus.Pending ? null : recorded.Status;
    }

    private async Task<bool> PurgeAsync(string flowId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(flowId, cancellationToken);
        if (stored is null || !stored.Flow.IsTerminal || (stored.Flow.FinishedAt ?? now) + options.Retention > now)
        {
            return false;
        }
        await store.PurgeAsync(flowId, cancellationToken);
        return true;
    }
}
