using Rebind.Azure.Stores;

namespace Rebind.Functions.Hosting;

/// <summary>Cleanup step: deletes short-lived rows (rate-limit counters, idempotency records, dev inbox) past their expiry.</summary>
public sealed class ExpiredRowsTask(RebindTables tables, TimeProvider time) : ICleanupTask
{
    private readonly TableExpiryIndex index = new(tables);

    public string Name => "expired_rows";

    public Task<int> RunAsync(CancellationToken cancellationToken) => index.PurgeDueAsync(time.GetUtcNow(), 1000, cancellationToken);
}
