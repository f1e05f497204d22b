using Azure;
using Azure.Core;
using Rebind.Azure.Tables;
using Rebind.Testing;

namespace Rebind.Azure.Tests.Tables;

public class TableQueryTests
{
    [Fact]
    public async Task QueryAsync_MoreThanOnePageOfEntities_PagesThroughAllOfThem()
    {
        // Arrange: 1,250 entities in 13 transactions of up to 100.
        var (table, counter) = await TestTables.NewTableAsync();
        const int total = 1250;
        foreach (var chunk in Enumerable.Range(0, total).Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(i =>
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("bulk", i.ToString("D5")) { ["I"] = i })));
        }
        Assert.Equal(13, counter.Count);
        counter.Reset();

        // Act
        var pages = new List<Page<TableEntity>>();
        await foreach (var page in table.QueryAsync<TableEntity>("PartitionKey eq 'bulk'").AsPages())
        {
            pages.Add(page);
        }

        // Assert: the service caps a page at 1,000, so two pages, one request each.
        Assert.Equal(2, pages.Count);
        Assert.Equal(1000, pages[0].Values.Count);
        Assert.Equal(250, pages[1].Values.Count);
        Assert.Null(pages[1].ContinuationToken);
        Assert.Equal(2, counter.Count);
        var seen = pages.SelectMany(p => p.Values).Select(e => e.GetInt32("I")!.Value).ToList();
        Assert.Equal(Enumerable.Range(0, total), seen);
    }

    [Fact]
    public async Task QueryAsync_MaxPerPage_OneRequestPerPage()
    {
        var (table, counter) = await TestTables.NewTableAsync();
        await table.SubmitTransactionAsync(Enumerable.Range(0, 25).Select(i =>
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", i.ToString("D2")))));
        counter.Reset();

        var pageSizes = new List<int>();
        await foreach (var page in table.QueryAsync<TableEntity>(maxPerPage: 10).AsPages())
        {
            pageSizes.Add(page.Values.Count);
        }

        Assert.Equal([10, 10, 5], pageSizes);
        Assert.Equal(3, counter.Count);
    }

    [Fact]
    public async Task QueryAsync_FilterAndSelect_ReturnsMatchingEntitiesWithSelectedProperties()
    {
        var (table, _) = await TestTables.NewTableAsync();
        var cutoff = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 6; i++)
        {
            await table.AddEntityAsync(new TableEntity("p", $"r{i}") { ["When"] = cutoff.AddDays(i - 3), ["Big"] = 1L << 40 | (long)i, ["Name"] = $"n{i}" });
        }

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {"p"} and When ge {cutoff} and Big gt {(1L << 40) + 3}");
        var found = await TableServiceClientTests.ToListAsync(table.QueryAsync<TableEntity>(filter, select: ["Name"]));

        Assert.Equal(["n4", "n5"], found.Select(e => e.GetString("Name")));
        Assert.All(found, e => Assert.False(e.ContainsKey("When")));
    }

    [Fact]
    public async Task QueryAsync_TypedEntities_MapsProperties()
    {
        var (table, _) = await TestTables.NewTableAsync();
        await table.AddEntityAsync(new CounterEntity { PartitionKey = "p", RowKey = "a", Value = 1, Winner = "x" });
        await table.AddEntityAsync(new CounterEntity { PartitionKey = "p", RowKey = "b", Value = 2 });

        var found = await TableServiceClientTests.ToListAsync(table.QueryAsync<CounterEntity>(TableClient.CreateQueryFilter($"Value eq {2}")));

        var only = Assert.Single(found);
        Assert.Equal("b", only.RowKey);
        Assert.Equal(2, only.Value);
        Assert.NotEqual(default, only.ETag);
    }

    [Fact]
    public async Task QueryAsync_EmptyPageThatCarriesToken_KeepsFollowingTokens()
    {
        // Azurite never sends an empty page with a token, Azure does (e.g. across partition servers): stand in for it.
        static string Page(params string[] rowKeys) =>
            "{\"value\":[" + string.Join(",", rowKeys.Select(r => $"{{\"PartitionKey\":\"p\",\"RowKey\":\"{r}\"}}")) + "]}";
        await using var server = new StubTableServer((i, _) => i switch
        {
            0 => new StubResponse(200, Page("a"), ("x-ms-continuation-NextPartitionKey", "1!4!cA--"), ("x-ms-continuation-NextRowKey", "1!4!Yg--")),
            1 => new StubResponse(200, Page(), ("x-ms-continuation-NextPartitionKey", "1!4!cA--"), ("x-ms-continuation-NextRowKey", "1!4!Yw--")),
            _ => new StubResponse(200, Page("c")),
        });
        var counter = new RequestCounterPolicy();
        var options = new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        var table = new TableClient(server.Endpoint, "stub", new TableSharedKeyCredential(Azurite.AccountName, Azurite.AccountKey), options);

        var pages = new List<Page<TableEntity>>();
        await foreach (var page in table.QueryAsync<TableEntity>().AsPages())
        {
            pages.Add(page);
        }

        Assert.Equal([1, 0, 1], pages.Select(p => p.Values.Count));
        Assert.Equal(["a", "c"], pages.SelectMany(p => p.Values).Select(e => e.RowKey));
        Assert.Equal(3, counter.Count);
        var urls = server.Requests.Select(r => r.RawUrl).ToList();
        Assert.DoesNotContain("NextPartitionKey", urls[0]);
        Assert.Contains("NextPartitionKey=1%214%21cA--&NextRowKey=1%214%21Yg--", urls[1]);
        Assert.Contains("NextRowKey=1%214%21Yw--", urls[2]);
    }
}
