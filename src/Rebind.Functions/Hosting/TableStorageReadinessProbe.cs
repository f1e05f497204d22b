using Azure;
using Azure.Data.Tables;

namespace Rebind.Functions.Hosting;

/// <summary>
/// Ready when a one-item list of tables comes back: proves network, auth and service are fine. Answers within
/// <see cref="Timeout"/> whatever storage does: the timeout's token goes into the query itself.
/// </summary>
internal sealed class TableStorageReadinessProbe(TableServiceClient tables, ILogger<TableStorageReadinessProbe> logger) : IReadinessProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<string?> CheckAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: timeout.Token).AsPages().WithCancellation(timeout.Token))
            {
                break;
            }
            return null;
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or AggregateException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Table Storage is not reachable: {Reason}", e.GetType().Name);
            return "Table Storage is not reachable.";
        }
    }
}
