using Azure;
using Rebind.Azure.Tables;

namespace Rebind.Azure.Tests.Tables;

public class TableKeyTests
{
    public static TheoryData<string> AwkwardKeys() =>
    [
        "it's",
        "''",
        "中文键",
        "emoji 😀 key",
        "100%",
        "%41%2F",
        "a+b",
        "a&b=c",
        "with  spaces ",
        "(paren),comma",
        "semi;colon:@$!*~",
        "[]{}|^`\"<>",
        "é\u00A0\u2028",
        new string('k', 512),
    ];

    [Theory]
    [MemberData(nameof(AwkwardKeys))]
    public async Task EntityOperations_AwkwardKeys_RoundTrip(string key)
    {
        // Arrange
        var (table, counter) = await TestTables.NewTableAsync();
        var entity = new TableEntity(key, key) { ["V"] = 1 };

        // Act: every operation that puts keys in the URL or the body.
        await table.AddEntityAsync(entity);
        var read = (await table.GetEntityAsync<TableEntity>(key, key)).Value;
        await table.UpdateEntityAsync(new TableEntity(key, key) { ["V"] = 2 }, read.ETag);
        await table.UpsertEntityAsync(new TableEntity(key, key) { ["W"] = 3 }, TableUpdateMode.Merge);
        var queried = await TableServiceClientTests.ToListAsync(table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {key} and RowKey eq {key}")));
        await table.SubmitTransactionAsync([new(TableTransactionActionType.UpdateMerge, new TableEntity(key, key) { ["X"] = 4 })]);
        var afterBatch = (await table.GetEntityAsync<TableEntity>(key, key)).Value;
        var deleted = await table.DeleteEntityAsync(key, key);
        var gone = await table.GetEntityIfExistsAsync<TableEntity>(key, key);

        // Assert
        Assert.Equal(key, read.PartitionKey);
        Assert.Equal(key, read.RowKey);
        var only = Assert.Single(queried);
        Assert.Equal((key, key), (only.PartitionKey, only.RowKey));
        Assert.Equal((2, 3, 4), (afterBatch.GetInt32("V"), afterBatch.GetInt32("W"), afterBatch.GetInt32("X")));
        Assert.Equal(204, deleted.Status);
        Assert.False(gone.HasValue);
        Assert.Equal(9, counter.Count);
    }

    [Fact]
    public async Task GetEntityAsync_KeysDifferingOnlyInEscaping_AreDistinct()
    {
        var (table, _) = await TestTables.NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "%41") { ["Which"] = "percent" });
        await table.AddEntityAsync(new TableEntity("p", "A") { ["Which"] = "letter" });
        await table.AddEntityAsync(new TableEntity("p", "a b") { ["Which"] = "space" });
        await table.AddEntityAsync(new TableEntity("p", "a+b") { ["Which"] = "plus" });

        Assert.Equal("percent", (await table.GetEntityAsync<TableEntity>("p", "%41")).Value.GetString("Which"));
        Assert.Equal("letter", (await table.GetEntityAsync<TableEntity>("p", "A")).Value.GetString("Which"));
        Assert.Equal("space", (await table.GetEntityAsync<TableEntity>("p", "a b")).Value.GetString("Which"));
        Assert.Equal("plus", (await table.GetEntityAsync<TableEntity>("p", "a+b")).Value.GetString("Which"));
    }

    public static TheoryData<string> ForbiddenKeys() =>
    [
        "a/b",
        "a\\b",
        "a#b",
        "a?b",
        "tab\there",
        "nul\0",
        "\u001F",
        "del\u007F",
        "c1\u0085",
        "\u009F",
        new string('k', 513),
    ];

    [Theory]
    [MemberData(nameof(ForbiddenKeys))]
    public async Task EntityOperations_ForbiddenKey_ThrowArgumentExceptionWithoutRequest(string key)
    {
        var (table, counter) = await TestTables.NewTableAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => table.AddEntityAsync(new TableEntity("p", key)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => table.AddEntityAsync(new TableEntity(key, "r")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => table.UpsertEntityAsync(new TableEntity("p", key)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => table.UpdateEntityAsync(new TableEntity("p", key), ETag.All));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => table.GetEntityAsync<TableEntity>("p", key));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => table.GetEntityIfExistsAsync<TableEntity>(key, "r"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => table.DeleteEntityAsync("p", key));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => table.SubmitTransactionAsync([new(TableTransactionActionType.Add, new TableEntity("p", key))]));

        Assert.Equal(0, counter.Count);
    }

    [Fact]
    public async Task AddEntityAsync_NullKey_ThrowsArgumentNullExceptionWithoutRequest()
    {
        var (table, counter) = await TestTables.NewTableAsync();

        await Assert.ThrowsAsync<ArgumentNullException>(() => table.AddEntityAsync(new TableEntity { RowKey = "r" }));

        Assert.Equal(0, counter.Count);
    }
}
