using System.Diagnostics;
using Azure.Core;
using Rebind.Azure.Stores;
using Azure.Data.Tables;
using Rebind.Testing;

namespace Rebind.Azure.Tests.Stores;

public sealed class StorageBudgetTests
{
    private static readonly StorageBudget Short = new(1, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(300), RetryAfterTimeout: false);
    private static readonly StorageBudget Long = new(3, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(600));

    // For tests that count attempts after fast failures: a timeout generous enough that a cold first request (JIT,
    // a busy CI machine) never times out, which would end the call after one attempt and miscount.
    private static readonly StorageBudget ShortCounting = Short with { NetworkTimeout = TimeSpan.FromSeconds(10) };
    private static readonly StorageBudget LongCounting = Long with { NetworkTimeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Call_StorageHangs_EndsAtNetworkTimeoutWithoutResending()
    {
        await using var proxy = StorageProxy.Start();
        var (client, counter) = Client(proxy);
        // Warm up first, through a patient client of the same proxy: the first call of a process pays for JIT, which
        // on a busy machine alone can pass the bound.
        await Client(proxy, ShortCounting, LongCounting).Client.CreateTableIfNotExistsAsync(Azurite.UniqueTableName());
        proxy.Set(StorageProxyMode.Hang);

        var watch = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CreateTableIfNotExistsAsync(Azurite.UniqueTableName()));
        watch.Stop();

        // One attempt: a write that timed out may have been applied, so it is not sent again.
        Assert.Equal(1, counter.Count);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(280), $"took {watch.ElapsedMilliseconds} ms: the 300 ms timeout was not waited for");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.ElapsedMilliseconds} ms ({failure.Message})");
    }

    [Fact]
    public async Task Call_StorageHangsInBackgroundScope_RetriesAfterTimeouts()
    {
        await using var proxy = StorageProxy.Start();
        var (client, counter) = Client(proxy);
        proxy.Set(StorageProxyMode.Hang);

        using (StorageBudget.BackgroundScope())
        {
            await Assert.ThrowsAnyAsync<Exception>(() => client.CreateTableIfNotExistsAsync(Azurite.UniqueTableName()));
        }

        Assert.Equal(4, counter.Count);
    }

    [Fact]
    public async Task Call_InBackgroundScope_GetsBackgroundBudget()
    {
        await using var proxy = StorageProxy.Start();
        var (client, counter) = Client(proxy, ShortCounting, LongCounting);
        proxy.Set(StorageProxyMode.Refuse);

        await Assert.ThrowsAnyAsync<Exception>(() => client.CreateTableIfNotExistsAsync(Azurite.UniqueTableName()));
        var onRequestPath = counter.Count;
        counter.Reset();
        using (StorageBudget.BackgroundScope())
        {
            await Assert.ThrowsAnyAsync<Exception>(() => client.CreateTableIfNotExistsAsync(Azurite.UniqueTableName()));
        }
        var inBackground = counter.Count;
        counter.Reset();
        await Assert.ThrowsAnyAsync<Exception>(() => client.CreateTableIfNotExistsAsync(Azurite.UniqueTableName()));

        Assert.Equal(2, onRequestPath);
        Assert.Equal(4, inBackground);
        Assert.Equal(2, counter.Count); // the scope ended with its using block
    }

    [Fact]
    public async Task Call_StorageBackAfterOutage_Succeeds()
    {
        await using var proxy = StorageProxy.Start();
        // A generous attempt timeout: the point is that the same client works again, not how fast Azurite answers on
        // a busy machine. The caller's token ends the hanging call instead.
        var (client, _) = Client(proxy, ShortCounting, LongCounting);
        var table = Azurite.UniqueTableName();
        proxy.Set(StorageProxyMode.Hang);
        using (var gone = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CreateTableIfNotExistsAsync(table, gone.Token));
        }

        proxy.Set(StorageProxyMode.Forward);
        var created = await client.CreateTableIfNotExistsAsync(table);

        Assert.Equal(table, created.Value.Name);
    }

    private static (TableServiceClient Client, RequestCounterPolicy Counter) Client(StorageProxy proxy) => Client(proxy, Short, Long);

    private static (TableServiceClient Client, RequestCounterPolicy Counter) Client(StorageProxy proxy, StorageBudget request, StorageBudget background)
    {
        var counter = new RequestCounterPolicy();
        var options = new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        StorageBudgetRetryPolicy.Configure(options, request, background);
        return (new TableServiceClient(proxy.ConnectionString, options), counter);
    }
}
