using Rebind.Azure.Stores;
using Rebind.Core.Accounts;
using Rebind.Core.Security;

namespace Rebind.Azure.Tests.Stores;

public sealed class TableContactReportsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task TryMarkUsedAsync_TwoSubmitsOfOneRead_ExactlyOneWins()
    {
        var store = new TableContactReports(StoreFixture.NewTables());
        var (_, hash) = ReportCodes.New();
        await store.AddAsync(hash, "acc1", IdentifierKind.Email, "a@example.com", Now, Now.AddDays(7));
        var first = (await store.GetAsync(hash))!;
        var second = (await store.GetAsync(hash))!;

        var wins = new[] { await store.TryMarkUsedAsync(hash, first, Now), await store.TryMarkUsedAsync(hash, second, Now) };

        Assert.Equal([true, false], wins);
        var stored = (await store.GetAsync(hash))!;
        Assert.True(stored.Used);
        Assert.Equal(("acc1", IdentifierKind.Email, "a@example.com", Now.AddDays(7)), (stored.AccountId, stored.Contact, stored.Value, stored.ExpiresAt));
    }

    [Fact]
    public async Task AddAsync_HoldOver_RowPurgedByTheExpiryIndex()
    {
        var tables = StoreFixture.NewTables();
        var store = new TableContactReports(tables);
        var (_, hash) = ReportCodes.New();
        await store.AddAsync(hash, "acc1", IdentifierKind.Phone, "+8613800000000", Now, Now.AddDays(7));

        var index = new TableExpiryIndex(tables);
        Assert.Equal(0, await index.PurgeDueAsync(Now.AddDays(6)));
        Assert.Equal(1, await index.PurgeDueAsync(Now.AddDays(7).AddHours(1)));

        Assert.Null(await store.GetAsync(hash));
    }
}
