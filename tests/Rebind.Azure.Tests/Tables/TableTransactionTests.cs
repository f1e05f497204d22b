using Azure;
using Rebind.Azure.Tables;

namespace Rebind.Azure.Tests.Tables;

public class TableTransactionTests
{
    [Fact]
    public async Task SubmitTransactionAsync_EveryActionType_CommitsAllInOneRequest()
    {
        // Arrange
        var (table, counter) = await TestTables.NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "merge") { ["A"] = "a", ["B"] = "b" });
        await table.AddEntityAsync(new TableEntity("p", "replace") { ["A"] = "a", ["B"] = "b" });
        await table.AddEntityAsync(new TableEntity("p", "delete"));
        await table.AddEntityAsync(new TableEntity("p", "upsertMerge") { ["A"] = "a" });
        var mergeETag = (await table.GetEntityAsync<TableEntity>("p", "merge")).Value.ETag;
        counter.Reset();

        // Act
        var response = await table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "add") { ["A"] = "new" }),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "merge") { ["B"] = "b2" }, mergeETag),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "replace") { ["B"] = "b2" }),
            new(TableTransactionActionType.Delete, new TableEntity("p", "delete")),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("p", "upsertMerge") { ["B"] = "b" }),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "upsertReplace") { ["C"] = "c" }),
        ]);

        // Assert
        Assert.Equal(1, counter.Count);
        Assert.Equal(202, response.GetRawResponse().Status);
        Assert.Equal(6, response.Value.Count);
        Assert.All(response.Value, r => Assert.Equal(204, r.Status));
        var all = (await TableServiceClientTests.ToListAsync(table.QueryAsync<TableEntity>())).ToDictionary(e => e.RowKey);
        Assert.Equal(["add", "merge", "replace", "upsertMerge", "upsertReplace"], all.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("new", all["add"].GetString("A"));
        Assert.Equal(("a", "b2"), (all["merge"].GetString("A"), all["merge"].GetString("B")));
        Assert.Equal((null, "b2"), (all["replace"].GetString("A"), all["replace"].GetString("B")));
        Assert.Equal(("a", "b"), (all["upsertMerge"].GetString("A"), all["upsertMerge"].GetString("B")));
        Assert.Equal("c", all["upsertReplace"].GetString("C"));
    }

    [Fact]
    public async Task SubmitTransactionAsync_AddOfExistingAtIndex3_CommitsNothingAndNamesIndex()
    {
        var (table, counter) = await TestTables.NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "taken"));
        counter.Reset();
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.Add, new TableEntity("p", "a")),
            new(TableTransactionActionType.Add, new TableEntity("p", "b")),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "c")),
            new(TableTransactionActionType.Add, new TableEntity("p", "taken")),
            new(TableTransactionActionType.Add, new TableEntity("p", "e")),
        };

        var ex = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(actions));

        Assert.Equal(3, ex.FailedTransactionActionIndex);
        Assert.Equal(409, ex.Status);
        Assert.Equal("EntityAlreadyExists", ex.ErrorCode);
        Assert.Equal(1, counter.Count);
        var rows = await TableServiceClientTests.ToListAsync(table.QueryAsync<TableEntity>());
        Assert.Equal(["taken"], rows.Select(r => r.RowKey));
    }

    [Fact]
    public async Task SubmitTransactionAsync_StaleETag_Throws412AndNamesIndex()
    {
        var (table, _) = await TestTables.NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "x") { ["V"] = 1 });
        var stale = (await table.GetEntityAsync<TableEntity>("p", "x")).Value.ETag;
        await table.UpsertEntityAsync(new TableEntity("p", "x") { ["V"] = 2 });

        var ex = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "y")),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "x") { ["V"] = 3 }, stale),
        ]));

        Assert.Equal(1, ex.FailedTransactionActionIndex);
        Assert.Equal(412, ex.Status);
        Assert.Equal("UpdateConditionNotSatisfied", ex.ErrorCode);
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>("p", "y")).HasValue);
    }

    [Fact]
    public async Task SubmitTransactionAsync_OneHundredActions_Succeeds()
    {
        var (table, counter) = await TestTables.NewTableAsync();

        var response = await table.SubmitTransactionAsync(Enumerable.Range(0, 100).Select(i =>
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", i.ToString("D3")))));

        Assert.Equal(100, response.Value.Count);
        Assert.Equal(1, counter.Count);
    }

    public static TheoryData<string, TableTransactionAction[]> InvalidTransactions() => new()
    {
        { "empty", [] },
        { "101 actions", Enumerable.Range(0, 101).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", i.ToString()))).ToArray() },
        { "two partitions", [new(TableTransactionActionType.Add, new TableEntity("p", "a")), new(TableTransactionActionType.Add, new TableEntity("q", "b"))] },
        { "same entity twice", [new(TableTransactionActionType.Add, new TableEntity("p", "a")), new(TableTransactionActionType.Delete, new TableEntity("p", "a"))] },
        { "bad key", [new(TableTransactionActionType.Add, new TableEntity("p", "a/b"))] },
    };

    [Theory]
    [MemberData(nameof(InvalidTransactions))]
    public async Task SubmitTransactionAsync_Invalid_ThrowsArgumentExceptionWithoutRequest(string why, TableTransactionAction[] actions)
    {
        var (table, counter) = await TestTables.NewTableAsync();

        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => table.SubmitTransactionAsync(actions));

        Assert.False(string.IsNullOrEmpty(ex.Message), why);
        Assert.Equal(0, counter.Count);
    }
}
