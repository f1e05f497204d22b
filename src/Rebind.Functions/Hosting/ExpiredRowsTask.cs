using Rebind.Azure.Stores;

namespace Rebind.Functions.Hosting;

/// <summary>Cleanup step: deletes short-lived rows (idempotency records, dev inbox, report codes, sign-in failure counts) past their expiry; rate-limit counters have their own step.</summary>
public sealed class ExpiredRowsTask(RebindTables tables, TimeProvider time) : ICleanupTask
{
    private readonly TableExpiryIndex index = new(tables);

    public string Name => "expired_rows";

    public Task<int> RunAsync(CancellationToken cancellationToken) => index.PurgeDueAsync(time.GetUtcNow(), 1000, cancellationToken);
}
