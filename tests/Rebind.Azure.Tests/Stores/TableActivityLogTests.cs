using Rebind.Azure.Stores;
using Rebind.Core.Activity;
using Rebind.Testing;

namespace Rebind.Azure.Tests.Stores;

public sealed class TableActivityLogTests
{
    private readonly ManualTimeProvider time = new();
    private readonly TableActivityLog log;

    public TableActivityLogTests() => log = new TableActivityLog(StoreFixture.NewTables(), TimeSpan.FromDays(180), time);

    private ActivityEvent Event(string type) => new(type, ActivityOutcomes.Success, time.GetUtcNow(), "198.51.100.1", "iPhone", "ua", null, null);

    [Fact]
    public async Task ListAsync_Paged_NewestFirstAcrossPages()
    {
        for (var i = 0; i < 5; i++)
        {
            await log.RecordAsync("acc", Event("e" + i));
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await log.ListAsync("acc", 2);
        var second = await log.ListAsync("acc", 2, first.NextCursor);
        var third = await log.ListAsync("acc", 2, second.NextCursor);

        Assert.Equal(["e4", "e3"], first.Items.Select(e => e.Type));
        Assert.Equal(["e2", "e1"], second.Items.Select(e => e.Type));
        Assert.Equal(["e0"], third.Items.Select(e => e.Type));
        Assert.Null(third.NextCursor);
        Assert.Equal(("198.51.100.1", "iPhone"), (first.Items[0].IpAddress, first.Items[0].DeviceName));
    }

    [Fact]
    public async Task ListAsync_OtherAccount_SeesNothing()
    {
        await log.RecordAsync("acc", Event("sign_in"));

        Assert.Empty((await log.ListAsync("other", 10)).Items);
    }

    [Fact]
    public async Task PurgeAsync_AfterRetention_DeletesOnlyOldEntries()
    {
        for (var i = 0; i < 120; i++)
        {
            await log.RecordAsync("acc", Event("old"));
        }

        time.Advance(TimeSpan.FromDays(100));
        await log.RecordAsync("acc", Event("new"));

        Assert.Equal(0, await log.PurgeAsync(100));
        time.Advance(TimeSpan.FromDays(82)); // old entries are 182 days old, the new one 82
        var purged = await log.PurgeAsync(100);

        Assert.Equal(120, purged);
        Assert.Equal(["new"], (await log.ListAsync("acc", 100)).Items.Select(e => e.Type));
        Assert.Equal(0, await log.PurgeAsync(100));
    }

    [Fact]
    public async Task RecordAsync_SameAccountSameDay_WritesThePurgeIndexOnce()
    {
        var counter = new RequestCounterPolicy();
        var counted = new TableActivityLog(StoreFixture.NewTables(counter), TimeSpan.FromDays(180), time);
        await counted.RecordAsync("acc", Event("first")); // creates the two tables as well
        await counted.RecordAsync("other", Event("first"));

        counter.Reset();
        for (var i = 0; i < 5; i++)
        {
            await counted.RecordAsync("acc", Event("next" + i));
            time.Advance(TimeSpan.FromMinutes(1));
        }
        await counted.RecordAsync("other", Event("next"));

        Assert.Equal(6, counter.Count); // the entries only: both accounts' index rows for that day were written before
        time.Advance(TimeSpan.FromDays(1));
        counter.Reset();
        await counted.RecordAsync("acc", Event("tomorrow"));
        Assert.Equal(2, counter.Count); // a new day: a new index row

        time.Advance(TimeSpan.FromDays(182));
        Assert.Equal(9, await counted.PurgeAsync(100)); // 7 of acc, 2 of other
        Assert.Empty((await counted.ListAsync("acc", 100)).Items);
    }

    [Fact]
    public async Task RecordAsync_IndexDayAlreadyPurged_WritesItAgain()
    {
        var start = time.GetUtcNow();
        await log.RecordAsync("acc", Event("first"));
        time.Advance(TimeSpan.FromDays(182));
        Assert.Equal(1, await log.PurgeAsync(100)); // the index row of the first entry's day is gone

        // An entry recorded late, as old as the first: its index day has passed, so it is not taken as written.
        await log.RecordAsync("acc", Event("late") with { OccurredAt = start });

        Assert.Equal(1, await log.PurgeAsync(100));
    }
}
