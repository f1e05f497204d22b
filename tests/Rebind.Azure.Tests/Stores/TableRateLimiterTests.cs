using Rebind.Azure.Stores;
using Rebind.Core.Flows;
using Rebind.Core.Security;

namespace Rebind.Azure.Tests.Stores;

public sealed class TableRateLimiterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 10, 0, TimeSpan.Zero);

    [Fact]
    public async Task TryAcquireAsync_OverLimit_RateLimitedUntilWindowEnds()
    {
        var limiter = new TableRateLimiter(StoreFixture.NewTables());
        var rule = new RateLimitRule("test_hour", 2, TimeSpan.FromHours(1));

        Assert.Null(await limiter.TryAcquireAsync(rule, "1.2.3.4", Now));
        Assert.Null(await limiter.TryAcquireAsync(rule, "1.2.3.4", Now));
        var refused = await limiter.TryAcquireAsync(rule, "1.2.3.4", Now);

        Assert.Equal(FlowErrorCodes.RateLimited, refused?.Code);
        Assert.Equal(50 * 60, refused!.Details["retryAfterSeconds"]);
        Assert.Null(await limiter.TryAcquireAsync(rule, "5.6.7.8/#?", Now));
        Assert.Null(await limiter.TryAcquireAsync(rule, "1.2.3.4", Now.AddHours(1)));
    }

    [Fact]
    public async Task TryAcquireAsync_TwentyConcurrentLimitTen_ExactlyTenCounted()
    {
        var limiter = new TableRateLimiter(StoreFixture.NewTables());
        var rule = new RateLimitRule("race", 10, TimeSpan.FromHours(1));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => limiter.TryAcquireAsync(rule, "k", Now)));

        Assert.Equal(10, results.Count(r => r is null));
    }

    [Fact]
    public async Task TryAcquireAsync_FiftyConcurrentOneKeyHighLimit_NoneRefused()
    {
        var limiter = new TableRateLimiter(StoreFixture.NewTables());
        var rule = new RateLimitRule("hot_ip", 100_000_000, TimeSpan.FromHours(1));

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => limiter.TryAcquireAsync(rule, "203.0.113.7", Now)));

        Assert.All(results, r => Assert.Null(r));
    }

    [Fact]
    public async Task TryAcquireAsync_SixtyConcurrentShardedLimitForty_ExactlyFortyCounted()
    {
        var limiter = new TableRateLimiter(StoreFixture.NewTables());
        var rule = new RateLimitRule("sharded_race", 40, TimeSpan.FromHours(1));
        Assert.Equal(4, TableRateLimiter.ShardsFor(rule.Limit));

        var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => limiter.TryAcquireAsync(rule, "k", Now)));
        var after = await limiter.TryAcquireAsync(rule, "k", Now);

        Assert.Equal(40, results.Count(r => r is null));
        Assert.Equal(FlowErrorCodes.RateLimited, after?.Code);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(150)]
    [InlineData(157)]
    [InlineData(300)]
    [InlineData(100_000_000)]
    public void QuotaOf_EveryShard_AddsUpToTheLimit(int limit)
    {
        var shards = TableRateLimiter.ShardsFor(limit);

        Assert.Equal(limit, Enumerable.Range(0, shards).Sum(s => TableRateLimiter.QuotaOf(limit, shards, s)));
        Assert.InRange(shards, 1, TableRateLimiter.MaxShards);
    }

    [Fact]
    public async Task TryAcquireAsync_NewAndExistingCounter_TwoRequestsEach()
    {
        var counter = new RequestCounterPolicy();
        var limiter = new TableRateLimiter(StoreFixture.NewTables(counter));
        var rule = new RateLimitRule("test_rule", 5, TimeSpan.FromHours(1));
        await limiter.TryAcquireAsync(rule, "warm-up", Now); // creates the table

        counter.Reset();
        await limiter.TryAcquireAsync(rule, "203.0.113.7", Now);
        Assert.Equal(2, counter.Count); // query, insert: no expiry index row

        counter.Reset();
        await limiter.TryAcquireAsync(rule, "203.0.113.7", Now);
        Assert.Equal(2, counter.Count); // query, conditional replace
    }

    [Fact]
    public async Task PurgeExpiredAsync_WindowOver_DeletesOnlyThatWindowsCounters()
    {
        var tables = StoreFixture.NewTables();
        var limiter = new TableRateLimiter(tables);
        var hour = new RateLimitRule("test_hour", 100, TimeSpan.FromHours(1));
        var day = new RateLimitRule("test_day", 5, TimeSpan.FromDays(1));
        for (var i = 0; i < 30; i++)
        {
            await limiter.TryAcquireAsync(hour, "203.0.113.7", Now); // 10 shards: some of them written
        }
        await limiter.TryAcquireAsync(day, "203.0.113.7", Now);
        var hourRows = await CountRowsAsync(tables) - 1;

        Assert.Equal(0, await limiter.PurgeExpiredAsync(Now.AddMinutes(40))); // the hour's window ends at 13:00
        Assert.Equal(0, await limiter.PurgeExpiredAsync(new DateTimeOffset(2026, 3, 1, 13, 0, 0, TimeSpan.Zero)));
        Assert.Equal(hourRows, await limiter.PurgeExpiredAsync(Now.AddHours(1)));
        Assert.Equal(1, await CountRowsAsync(tables)); // the day's counter: its window is not over
        Assert.Equal(FlowErrorCodes.RateLimited, (await limiter.TryAcquireAsync(new RateLimitRule("test_day", 1, TimeSpan.FromDays(1)), "203.0.113.7", Now.AddHours(2)))?.Code);

        Assert.Equal(1, await limiter.PurgeExpiredAsync(Now.AddDays(1)));
        Assert.Equal(0, await CountRowsAsync(tables));
        Assert.Null(await limiter.TryAcquireAsync(hour, "203.0.113.7", Now.AddDays(1)));
    }

    private static async Task<int> CountRowsAsync(RebindTables tables)
    {
        var rows = 0;
        await foreach (var _ in (await tables.GetAsync(RebindTables.RateLimits)).QueryAsync<global::Azure.Data.Tables.TableEntity>())
        {
            rows++;
        }
        return rows;
    }
}
