using Azure;
using Rebind.Azure.Tables;
using Rebind.Testing;

namespace Rebind.Azure.Tests.Tables;

public class TableClientEntityTests
{
    [Fact]
    public async Task CreateIfNotExistsAsync_Twice_SecondReturns409WithoutThrowing()
    {
        var (service, counter) = TestTables.Service();
        var table = service.GetTableClient(Azurite.UniqueTableName());

        var first = await table.CreateIfNotExistsAsync();
        var second = await table.CreateIfNotExistsAsync();

        Assert.Equal(204, first.GetRawResponse().Status);
        Assert.Equal(409, second.GetRawResponse().Status);
        Assert.Equal(table.Name, second.Value.Name);
        Assert.Equal(2, counter.Count);
    }

    [Fact]
    public async Task CreateAsync_Existing_Throws409TableAlreadyExists()
    {
        var (table, counter) = await TestTables.NewTableAsync();

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => table.CreateAsync());

        Assert.Equal(409, ex.Status);
        Assert.Equal("TableAlreadyExists", ex.ErrorCode);
        Assert.Equal(1, counter.Count);
    }

    [Fact]
    public async Task Constructor_ConnectionStringAndTableName_WorksAgainstAzurite()
    {
        var table = new TableClient(Azurite.ConnectionString, Azurite.UniqueTableName());

        await table.CreateAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = "x" });

        Assert.Equal("x", (await table.GetEntityAsync<TableEntity>("p", "r")).Value.GetString("V"));
        Assert.Equal(new Uri(Azurite.TableEndpoint + "/" + table.Name), table.Uri);
    }

    [Fact]
    public async Task DeleteAsync_Missing_Returns404WithoutThrowing()
    {
        var (service, _) = TestTables.Service();

        var response = await service.GetTableClient(Azurite.UniqueTableName()).DeleteAsync();

        Assert.Equal(404, response.Status);
    }

    [Fact]
    public async Task DeleteAsync_Existing_TableIsGone()
    {
        var (table, counter) = await TestTables.NewTableAsync();

        var response = await table.DeleteAsync();

        Assert.Equal(204, response.Status);
        Assert.Equal(1, counter.Count);
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r")));
        Assert.Equal(404, ex.Status);
        Assert.Equal("TableNotFound", ex.ErrorCode);
    }

    [Fact]
    public async Task AddEntityAsync_New_StoresEntityInOneRequest()
    {
        var (table, counter) = await TestTables.NewTableAsync();

        var response = await table.AddEntityAsync(new TableEntity("p", "r") { ["Name"] = "Ada" });

        Assert.Equal(204, response.Status);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal(1, counter.Count);
        var read = await table.GetEntityAsync<TableEntity>("p", "r");
        Assert.Equal("Ada", read.Value.GetString("Name"));
    }

    [Fact]
    public async Task AddEntityAsync_Duplicate_Throws409EntityAlreadyExists()
    {
        var (table, _) = await TestTables.NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r"));

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(409, ex.Status);
        Assert.Equal("EntityAlreadyExists", ex.ErrorCode);
    }

    [Fact]
    public async Task GetEntityAsync_Existing_ReturnsEntityWithETagAndTimestampInOneRequest()
    {
        var (table, counter) = await TestTables.NewTableAsync();
        var added = await table.AddEntityAsync(new TableEntity("p", "r") { ["N"] = 1 });
        counter.Reset();

        var read = await table.GetEntityAsync<TableEntity>("p", "r");

        Assert.Equal(1, counter.Count);
        Assert.Equal("p", read.Value.PartitionKey);
        Assert.Equal("r", read.Value.RowKey);
        Assert.Equal(added.Headers.ETag, read.Value.ETag);
        Assert.NotNull(read.Value.Timestamp);
        Assert.Equal(1, read.Value.GetInt32("N"));
    }

    [Fact]
    public async Task GetEntityAsync_Missing_Throws404ResourceNotFound()
    {
        var (table, _) = await TestTables.NewTableAsync();

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityAsync<TableEntity>("p", "nope"));

        Assert.Equal(404, ex.Status);
        Assert.Equal("ResourceNotFound", ex.ErrorCode);
    }

    [Fact]
    public async Task GetEntityAsync_Select_ReturnsOnlySelectedProperties()
    {
        var (table, _) = await TestTables.NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = "b" });

        var read = await table.GetEntityAsync<TableEntity>("p", "r", select: ["A"]);

        Assert.Equal("a", read.Value.GetString("A"));
        Assert.False(read.Value.ContainsKey("B"));
    }

    [Fact]
    public async Task GetEntityIfExistsAsync_Missing_HasValueFalseInOneRequest()
    {
        var (table, counter) = await TestTables.NewTableAsync();

        var response = await table.GetEntityIfExistsAsync<TableEntity>("p", "nope");

        Assert.False(response.HasValue);
        Assert.Equal(404, response.GetRawResponse().Status);
        Assert.Equal(1, counter.Count);
    }

    [Fact]
    public async Task GetEntityIfExistsAsync_Existing_HasValue()
    {
        var (table, _) = await TestTables.NewTableAsync();
        await table.AddEntityAsync(new CounterEntity { PartitionKey = "p", RowKey = "r", Value = 7 });

        var response = await table.GetEntityIfExistsAsync<CounterEntity>("p", "r");

        Assert.True(response.HasValue);
        Assert.Equal(7, response.Value!.Value);
    }

    [Fact]
    public async Task GetEntityIfExistsAsync_MissingTable_ThrowsTableNotFound()
    {
        var (service, _) = TestTables.Service();
        var table = service.GetTableClient(Azurite.UniqueTableName());

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityIfExistsAsync<TableEntity>("p", "r"));

        Assert.Equal(404, ex.Status);
        Assert.Equal("TableNotFound", ex.ErrorCode);
    }

    [Fact]
    public async Task UpsertEntityAsync_Merge_KeepsOtherPropertiesInOneRequest()
    {
        var (table, counter) = await TestTables.NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = "b" });
        counter.Reset();

        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["B"] = "b2" });

        Assert.Equal(1, counter.Count);
        var read = (await table.GetEntityAsync<TableEntity>("p", "r")).Value;
        Assert.Equal("a", read.GetString("A"));
        Assert.Equal("b2", read.GetString("B"));
    }

    [Fact]
    public async Task UpsertEntityAsync_Replace_DropsOtherProperties()
    {
        var (table, _) = await TestTables.NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = "b" });

        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["B"] = "b2" }, TableUpdateMode.Replace);

        var read = (await table.GetEntityAsync<TableEntity>("p", "r")).Value;
        Assert.False(read.ContainsKey("A"));
        Assert.Equal("b2", read.GetString("B"));
    }

    [Fact]
    public async Task UpsertEntityAsync_Missing_Inserts()
    {
        var (table, _) = await TestTables.NewTableAsync();

        await table.UpsertEntityAsync(new TableEntity("p", "new") { ["A"] = "a" });

        Assert.Equal("a", (await table.GetEntityAsync<TableEntity>("p", "new")).Value.GetString("A"));
    }

    [Theory]
    [InlineData(TableUpdateMode.Merge)]
    [InlineData(TableUpdateMode.Replace)]
    public async Task UpdateEntityAsync_CurrentETag_UpdatesAndChangesETag(TableUpdateMode mode)
    {
        var (table, counter) = await TestTables.NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = "b" });
        var read = (await table.GetEntityAsync<TableEntity>("p", "r")).Value;
        counter.Reset();

        var response = await table.UpdateEntityAsync(new TableEntity("p", "r") { ["B"] = "b2" }, read.ETag, mode);

        Assert.Equal(1, counter.Count);
        Assert.NotEqual(read.ETag, response.Headers.ETag);
        var after = (await table.GetEntityAsync<TableEntity>("p", "r")).Value;
        Assert.Equal("b2", after.GetString("B"));
        Assert.Equal(mode == TableUpdateMode.Merge, after.ContainsKey("A"));
    }

    [Theory]
    [InlineData(TableUpdateMode.Merge)]
    [InlineData(TableUpdateMode.Replace)]
    public async Task UpdateEntityAsync_StaleETag_Throws412UpdateConditionNotSatisfied(TableUpdateMode mode)
    {
        var (table, _) = await TestTables.NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 });
        var stale = (await table.GetEntityAsync<TableEntity>("p", "r")).Value.ETag;
        await table.UpdateEntityAsync(new TableEntity("p", "r") { ["V"] = 2 }, stale, mode);

        var ex = await Assert.ThrowsAsync<RequestFailedException>(
            () => table.UpdateEntityAsync(new TableEntity("p", "r") { ["V"] = 3 }, stale, mode));

        Assert.Equal(412, ex.Status);
        Assert.Equal("UpdateConditionNotSatisfied", ex.ErrorCode);
        Assert.Equal(2, (await table.GetEntityAsync<TableEntity>("p", "r")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task UpdateEntityAsync_Missing_Throws404()
    {
        var (table, _) = await TestTables.NewTableAsync();

        var ex = await Assert.ThrowsAsync<RequestFailedException>(
            () => table.UpdateEntityAsync(new TableEntity("p", "nope"), ETag.All, TableUpdateMode.Replace));

        Assert.Equal(404, ex.Status);
        Assert.Equal("ResourceNotFound", ex.ErrorCode);
    }

    [Fact]
    public async Task UpdateEntityAsync_DefaultETag_ThrowsArgumentExceptionWithoutRequest()
    {
        var (table, counter) = await TestTables.NewTableAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => table.UpdateEntityAsync(new TableEntity("p", "r"), default));

        Assert.Equal(0, counter.Count);
    }

    [Fact]
    public async Task DeleteEntityAsync_DefaultETag_DeletesInOneRequest()
    {
        var (table, counter) = await TestTables.NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r"));
        counter.Reset();

        var response = await table.DeleteEntityAsync("p", "r");

        Assert.Equal(204, response.Status);
        Assert.Equal(1, counter.Count);
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>("p", "r")).HasValue);
    }

    [Fact]
    public async Task DeleteEntityAsync_StaleETag_Throws412AndKeepsEntity()
    {
        var (table, _) = await TestTables.NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 });
        var stale = (await table.GetEntityAsync<TableEntity>("p", "r")).Value.ETag;
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = 2 });

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => table.DeleteEntityAsync("p", "r", stale));

        Assert.Equal(412, ex.Status);
        Assert.Equal("UpdateConditionNotSatisfied", ex.ErrorCode);
        Assert.True((await table.GetEntityIfExistsAsync<TableEntity>("p", "r")).HasValue);
    }

    [Fact]
    public async Task DeleteEntityAsync_CurrentETag_Deletes()
    {
        var (table, _) = await TestTables.NewTableAsync();
        var added = await table.AddEntityAsync(new TableEntity("p", "r"));

        await table.DeleteEntityAsync("p", "r", added.Headers.ETag!.Value);

        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>("p", "r")).HasValue);
    }

    [Fact]
    public async Task DeleteEntityAsync_Missing_Returns404WithoutThrowing()
    {
        var (table, _) = await TestTables.NewTableAsync();

        var response = await table.DeleteEntityAsync("p", "nope");

        Assert.Equal(404, response.Status);
    }
}
