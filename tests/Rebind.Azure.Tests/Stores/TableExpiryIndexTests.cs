using Rebind.Azure.Stores;
using Azure.Data.Tables;
using Rebind.Core.Security;

namespace Rebind.Azure.Tests.Stores;

public sealed class TableExpiryIndexTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task PurgeDueAsync_ManyPendingFewDue_DeletesOnlyDueWithRequestsBoundedByDue()
    {
        var counter = new RequestCounterPolicy();
        var tables = StoreFixture.NewTables(counter);
        var index = new TableExpiryIndex(tables);
        var target = await tables.GetAsync("Scratch");
        for (var i = 0; i < 200; i++)
        {
            await target.AddEntityAsync(new TableEntity("p", $"r{i:D3}"));
            var expiresAt = i < 5 ? Now.AddHours(-2) : Now.AddDays(1);
            await index.ScheduleAsync("Scratch", "p", $"r{i:D3}", expiresAt);
        }
        counter.Reset();

        var purged = await index.PurgeDueAsync(Now);

        Assert.Equal(5, purged);
        Assert.True(counter.Count <= 1 + 2 * 5, $"{counter.Count} requests for 5 due rows among 200");
        var left = new List<string>();
        await foreach (var row in target.QueryAsync<TableEntity>())
        {
            left.Add(row.RowKey);
        }
        Assert.Equal(195, left.Count);
        Assert.DoesNotContain("r000", left);
        Assert.Contains("r005", left);
        Assert.Equal(0, await index.PurgeDueAsync(Now));
    }

    [Fact]
    public async Task PurgeDueAsync_ExpiryLaterThisHour_NotPurgedEarly()
    {
        var tables = StoreFixture.NewTables();
        var index = new TableExpiryIndex(tables);
        var target = await tables.GetAsync("Scratch");
        await target.AddEntityAsync(new TableEntity("p", "r"));
        await index.ScheduleAsync("Scratch", "p", "r", Now.AddMinutes(10));

        Assert.Equal(0, await index.PurgeDueAsync(Now.AddMinutes(20)));
        Assert.Equal(1, await index.PurgeDueAsync(Now.AddMinutes(31)));
        Assert.False((await target.GetEntityIfExistsAsync<TableEntity>("p", "r")).HasValue);
    }
}
