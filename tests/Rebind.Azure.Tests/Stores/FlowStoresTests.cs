using Microsoft.Extensions.Logging.Abstractions;
using Rebind.Azure.Flows;
using Rebind.Azure.Messaging;
using Rebind.Azure.Stores;
using Azure.Data.Tables;
using Rebind.Core.Flows.SignUp;
using Rebind.Core.Flows;
using Rebind.Core.Identity;
using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Azure.Tests.Stores;

public sealed class FlowStoresTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);

    private static FlowStep NewSignUp()
    {
        PhoneNumber.TryParse("+8613812345678", null, out var phone, out Core.Error _);
        return new SignUpFlow(FlowPolicy.Default, CodeKeyRing.CreateRandom()).Start(phone, "en", Now).Value;
    }

    [Fact]
    public async Task TryReplaceAsync_StaleETag_ReturnsNullAndWritesNothing()
    {
        var store = new TableFlowStore(StoreFixture.NewTables());
        var step = NewSignUp();
        var etag = await store.InsertAsync(step.Flow, [.. step.Effects.OfType<SendMessage>().Select(s => s.Message)]);
        var first = await store.TryReplaceAsync(step.Flow with { State = "awaiting_password" }, etag, []);

        var second = await store.TryReplaceAsync(step.Flow with { State = "cancelled" }, etag, []);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal("awaiting_password", (await store.GetAsync(step.Flow.Id))!.Flow.State);
        Assert.Single(await store.GetOutboxAsync(step.Flow.Id));
    }

    [Fact]
    public async Task TryAcquireAsync_ConcurrentOverLimit_CountsExactlyTheLimit()
    {
        var limiter = new TableRateLimiter(StoreFixture.NewTables());
        var rule = new RateLimitRule("test_rule", 5, TimeSpan.FromHours(1));

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => limiter.TryAcquireAsync(rule, "+8613812345678", Now)));

        Assert.Equal(5, results.Count(r => r is null));
        Assert.All(results.Where(r => r is not null), r => Assert.Equal("rate_limited", r!.Code));
    }

    [Fact]
    public async Task DevInboxSender_SameMessageTwice_StoredOnce()
    {
        var sender = new DevInboxSender(StoreFixture.NewTables(), NullLogger<DevInboxSender>.Instance);
        var message = new OutboundMessage(Guid.NewGuid(), Channel.Sms, "+8613812345678", MessageKinds.SignupCode, "en",
            new Dictionary<string, string> { ["code"] = "123456", ["minutes"] = "10" }, Now);

        Assert.Equal(SendStatus.Delivered, (await sender.SendAsync(message)).Status);
        Assert.Equal(SendStatus.Delivered, (await sender.SendAsync(message)).Status);

        var inbox = Assert.Single(await sender.ReadAsync("+8613812345678"));
        Assert.Contains("123456", inbox.Text);
    }
}
