using Rebind.Azure.Stores;

namespace Rebind.Azure.Tests.Stores;

/// <summary>The sign-in failure counters on Azure.Data.Tables against Azurite: conditional transactions over two rows.</summary>
public sealed class TableSignInClientFailuresTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 10, 0, TimeSpan.Zero);
    private static readonly string Subject = TableSignInClientFailures.AccountSubject("acc-1");
    private static readonly string First = TableSignInClientFailures.IpClient("203.0.113.7");
    private static readonly string Second = TableSignInClientFailures.IpClient("2001:db8::1");

    [Fact]
    public async Task TryCountAsync_TwoOnTheSameRead_ExactlyOneCountsBothRows()
    {
        var store = new TableSignInClientFailures(StoreFixture.NewTables());
        var read = await store.GetAsync(Subject, First);

        var results = await Task.WhenAll(store.TryCountAsync(Subject, First, read, Now), store.TryCountAsync(Subject, First, read, Now));

        Assert.Single(results, r => r is not null);
        var stored = await store.GetAsync(Subject, First);
        Assert.Equal((1, 1), (stored.Client.Count, stored.All.Count));
        Assert.Equal(Now, stored.Client.LastFailedAt);
    }

    [Fact]
    public async Task TryCountAsync_StaleAllRow_NothingCountedOnEitherRow()
    {
        var store = new TableSignInClientFailures(StoreFixture.NewTables());
        var stale = await store.GetAsync(Subject, First);
        // Another client counts first: the row of all clients moves on, this client's own row does not exist yet.
        await store.RecordFailureAsync(Subject, Second, await store.GetAsync(Subject, Second), Now);

        Assert.Null(await store.TryCountAsync(Subject, First, stale, Now));

        // The transaction failed as a whole: the client's row was not added on its own.
        var after = await store.GetAsync(Subject, First);
        Assert.Equal((0, 1), (after.Client.Count, after.All.Count));
    }

    [Fact]
    public async Task RecordFailureAsync_TwentyParallelFromTwoClients_EveryFailureCounted()
    {
        var store = new TableSignInClientFailures(StoreFixture.NewTables());

        await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            var client = i % 2 == 0 ? First : Second;
            await store.RecordFailureAsync(Subject, client, await store.GetAsync(Subject, client), Now);
        }));

        var first = await store.GetAsync(Subject, First);
        var second = await store.GetAsync(Subject, Second);
        Assert.Equal((10, 10, 20), (first.Client.Count, second.Client.Count, first.All.Count));
    }

    [Fact]
    public async Task ClearAsync_FailureCountedAfterTheRead_Kept()
    {
        var store = new TableSignInClientFailures(StoreFixture.NewTables());
        await store.RecordFailureAsync(Subject, First, await store.GetAsync(Subject, First), Now);
        var seenBySuccess = await store.GetAsync(Subject, First);
        await store.RecordFailureAsync(Subject, First, seenBySuccess, Now.AddSeconds(1));

        await store.ClearAsync(Subject, First, seenBySuccess);
        var kept = await store.GetAsync(Subject, First);
        await store.ClearAsync(Subject, First, kept);
        var cleared = await store.GetAsync(Subject, First);

        Assert.Equal((2, 2), (kept.Client.Count, kept.All.Count));
        Assert.Equal((0, 0), (cleared.Client.Count, cleared.All.Count));
    }
}
