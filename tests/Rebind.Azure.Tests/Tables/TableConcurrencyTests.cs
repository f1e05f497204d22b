using Azure;
using Rebind.Azure.Tables;

namespace Rebind.Azure.Tests.Tables;

public class TableConcurrencyTests
{
    [Fact]
    public async Task UpdateEntityAsync_TwentyConcurrentConditionalUpdates_ExactlyOneWinsEachRound()
    {
        var (table, counter) = await TestTables.NewTableAsync();
        await table.AddEntityAsync(new CounterEntity { PartitionKey = "p", RowKey = "c", Value = 0 });
        const int rounds = 5;
        const int contenders = 20;

        for (var round = 1; round <= rounds; round++)
        {
            // Arrange: every contender holds the same ETag.
            var current = (await table.GetEntityAsync<CounterEntity>("p", "c")).Value;
            counter.Reset();
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            // Act
            var tasks = Enumerable.Range(0, contenders).Select(i => Task.Run(async () =>
            {
                await start.Task;
                try
                {
                    var mine = new CounterEntity { PartitionKey = "p", RowKey = "c", Value = current.Value + 1, Winner = $"task{i}" };
                    await table.UpdateEntityAsync(mine, current.ETag, TableUpdateMode.Replace);
                    return (Won: true, Status: 204);
                }
                catch (RequestFailedException e)
                {
                    return (Won: false, e.Status);
                }
            })).ToArray();
            start.SetResult();
            var results = await Task.WhenAll(tasks);

            // Assert
            Assert.Equal(1, results.Count(r => r.Won));
            Assert.All(results.Where(r => !r.Won), r => Assert.Equal(412, r.Status));
            Assert.Equal(contenders, counter.Count);
            var after = (await table.GetEntityAsync<CounterEntity>("p", "c")).Value;
            Assert.Equal(round, after.Value);
            Assert.NotNull(after.Winner);
        }
    }
}
