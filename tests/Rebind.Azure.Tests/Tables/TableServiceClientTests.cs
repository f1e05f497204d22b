using Azure;
using Rebind.Azure.Tables;
using Rebind.Testing;

namespace Rebind.Azure.Tests.Tables;

public class TableServiceClientTests
{
    [Fact]
    public async Task CreateTableAsync_NewName_CreatesTableInOneRequest()
    {
        var (service, counter) = TestTables.Service();
        var name = Azurite.UniqueTableName();

        var response = await service.CreateTableAsync(name);

        Assert.Equal(name, response.Value.Name);
        Assert.Equal(1, counter.Count);
        var found = await ToListAsync(service.QueryAsync(TableClient.CreateQueryFilter($"TableName eq {name}")));
        Assert.Equal([name], found.Select(t => t.Name));
    }

    [Fact]
    public async Task CreateTableAsync_Existing_Throws409TableAlreadyExists()
    {
        var (service, _) = TestTables.Service();
        var name = Azurite.UniqueTableName();
        await service.CreateTableAsync(name);

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => service.CreateTableAsync(name));

        Assert.Equal(409, ex.Status);
        Assert.Equal("TableAlreadyExists", ex.ErrorCode);
    }

    [Fact]
    public async Task CreateTableIfNotExistsAsync_CalledTwice_SecondReturns409WithoutThrowing()
    {
        var (service, counter) = TestTables.Service();
        var name = Azurite.UniqueTableName();

        var first = await service.CreateTableIfNotExistsAsync(name);
        var second = await service.CreateTableIfNotExistsAsync(name);

        Assert.Equal(204, first.GetRawResponse().Status);
        Assert.Equal(409, second.GetRawResponse().Status);
        Assert.Equal(name, second.Value.Name);
        Assert.Equal(2, counter.Count);
    }

    [Fact]
    public async Task DeleteTableAsync_Existing_RemovesTableInOneRequest()
    {
        var (service, counter) = TestTables.Service();
        var name = Azurite.UniqueTableName();
        await service.CreateTableAsync(name);
        counter.Reset();

        var response = await service.DeleteTableAsync(name);

        Assert.Equal(204, response.Status);
        Assert.Equal(1, counter.Count);
        Assert.Empty(await ToListAsync(service.QueryAsync($"TableName eq '{name}'")));
    }

    [Fact]
    public async Task DeleteTableAsync_Missing_Returns404WithoutThrowing()
    {
        var (service, _) = TestTables.Service();

        var response = await service.DeleteTableAsync(Azurite.UniqueTableName());

        Assert.Equal(404, response.Status);
    }

    [Fact]
    public async Task QueryAsync_MaxPerPageOne_FirstPageCostsOneRequest()
    {
        var (service, counter) = TestTables.Service();
        await service.CreateTableAsync(Azurite.UniqueTableName("probe"));
        await service.CreateTableAsync(Azurite.UniqueTableName("probe"));
        counter.Reset();

        Page<TableItem>? first = null;
        await foreach (var page in service.QueryAsync(maxPerPage: 1).AsPages())
        {
            first = page;
            break;
        }

        Assert.NotNull(first);
        Assert.Single(first.Values);
        Assert.NotNull(first.ContinuationToken);
        Assert.Equal(1, counter.Count);
    }

    [Fact]
    public async Task QueryAsync_SmallPages_FollowsNextTableNameToTheEnd()
    {
        var (service, counter) = TestTables.Service();
        var prefix = "pg" + Guid.NewGuid().ToString("N")[..8];
        var names = new[] { prefix + "a", prefix + "b", prefix + "c" };
        foreach (var name in names)
        {
            await service.CreateTableAsync(name);
        }
        counter.Reset();

        var pages = new List<Page<TableItem>>();
        var filter = TableClient.CreateQueryFilter($"TableName ge {prefix} and TableName lt {prefix + "z"}");
        await foreach (var page in service.QueryAsync(filter, maxPerPage: 2).AsPages())
        {
            pages.Add(page);
        }

        Assert.Equal(names, pages.SelectMany(p => p.Values).Select(t => t.Name).Order());
        Assert.True(pages.Count >= 2, $"expected at least 2 pages, got {pages.Count}");
        Assert.Equal(pages.Count, counter.Count);
    }

    [Fact]
    public async Task GetTableClient_SharesPipeline_RequestsCountedOnServiceCounter()
    {
        var (service, counter) = TestTables.Service();
        var table = service.GetTableClient(Azurite.UniqueTableName());

        await table.CreateAsync();
        await table.AddEntityAsync(new TableEntity("p", "r"));

        Assert.Equal(2, counter.Count);
    }

    internal static async Task<List<T>> ToListAsync<T>(AsyncPageable<T> pageable) where T : notnull
    {
        var list = new List<T>();
        await foreach (var item in pageable)
        {
            list.Add(item);
        }
        return list;
    }
}
