using Azure;
using Rebind.Azure.Tables;

namespace Rebind.Functions.Hosting;

/// <summary>Ready when a one-item list of tables comes back: proves network, auth and service are fine.</summary>
internal sealed class TableStorageReadinessProbe(TableServiceClient tables, ILogger<TableStorageReadinessProbe> logger) : IReadinessProbe
{
    public async Task<string?> CheckAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await foreach (var _ in tables.QueryAsync(maxPerPage: 1).AsPages().WithCancellation(timeout.Token))
            {
                break;
            }
            return null;
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or HttpRequestException or AggregateException)
        {
            logger.LogWarning("Table Storage is not reachable: {Reason}", e.GetType().Name);
            return "Table Storage is not reachable.";
        }
    }
}
