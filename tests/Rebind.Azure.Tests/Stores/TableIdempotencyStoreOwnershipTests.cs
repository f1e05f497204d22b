using Rebind.Azure.Stores;

namespace Rebind.Azure.Tests.Stores;

/// <summary>After a takeover, the presumed-dead first owner can neither answer for the key nor forget it.</summary>
public sealed class TableIdempotencyStoreOwnershipTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CompleteAndAbandon_ByOwnerTakenOver_ChangeNothing()
    {
        var store = new TableIdempotencyStore(StoreFixture.NewTables());
        var first = await store.TryBeginAsync("POST /api/signup||k1", "hash", Now);
        var stale = await store.GetAsync("POST /api/signup||k1");
        var second = await store.TryTakeOverAsync("POST /api/signup||k1", stale!, Now.AddMinutes(3));

        await store.CompleteAsync("POST /api/signup||k1", first!.Value, "hash", 201, "{\"old\":true}", "application/json", null, Now.AddMinutes(4));
        await store.AbandonAsync("POST /api/signup||k1", first.Value);
        var afterOld = await store.GetAsync("POST /api/signup||k1");
        await store.CompleteAsync("POST /api/signup||k1", second!.Value, "hash", 201, "{\"new\":true}", "application/json", null, Now.AddMinutes(4));
        var afterNew = await store.GetAsync("POST /api/signup||k1");

        Assert.NotNull(afterOld);
        Assert.False(afterOld.Done);
        Assert.True(afterNew!.Done);
        Assert.Equal("{\"new\":true}", afterNew.Body);
    }

    [Fact]
    public async Task TryBeginAsync_SecondRequest_NotOwner()
    {
        var store = new TableIdempotencyStore(StoreFixture.NewTables());

        var first = await store.TryBeginAsync("k", "hash", Now);
        var second = await store.TryBeginAsync("k", "hash", Now);

        Assert.NotNull(first);
        Assert.Null(second);
    }
}
