using System.Net;
using Rebind.Azure.Flows;
using Rebind.Core.Flows.SignUp;
using Rebind.Core.Identity;
using Rebind.Core.Messaging;
using Rebind.Functions.Flows;
using Rebind.Functions.Tests.Infrastructure;
using Rebind.Testing;

namespace Rebind.Functions.Tests;

/// <summary>
/// The outbox and the due index serve the flow kinds still on the flow engine. These tests drive them with sign-up run
/// by the engine (the Durable runtime off); sign-up's own sends on Durable are <c>AcsThroughAppTests</c>' and
/// <c>SignUpOrchestrationTests</c>'.
/// </summary>
public sealed class OutboxAndCleanupTests
{
    private static readonly Dictionary<string, string?> EngineRunsSignUp = new() { ["Durable:Enabled"] = "false" };

    [Fact]
    public async Task Outbox_TransientFailures_CleanupRetriesWithBackoffSameKeyDeliveredOnce()
    {
        var sender = new FlakySender(failures: 2);
        await using var app = await TestApp.StartAsync(EngineRunsSignUp, services: s => s.AddSingleton<IMessageSender>(sender));
        var flowId = await new FlowClient(app.Client).StartedSignUpAsync(FlowClient.NewPhone());
        var store = app.Services.GetRequiredService<TableFlowStore>();
        var entry = Assert.Single(await store.GetOutboxAsync(flowId));
        Assert.Equal(OutboxStatus.Pending, entry.Status);
        Assert.Equal(1, entry.Attempts);
        Assert.Equal(app.Time.GetUtcNow() + TimeSpan.FromMinutes(1), entry.NextAttemptAt);
        Assert.Equal("provider down", entry.LastError);

        app.Time.Advance(TimeSpan.FromSeconds(61));
        await app.RunCleanupAsync();
        entry = Assert.Single(await store.GetOutboxAsync(flowId));
        Assert.Equal(2, entry.Attempts);
        Assert.Equal(app.Time.GetUtcNow() + TimeSpan.FromMinutes(2), entry.NextAttemptAt);

        app.Time.Advance(TimeSpan.FromSeconds(61));
        var early = await app.RunCleanupAsync();
        Assert.Equal(0, early.Delivered);
        Assert.Equal(2, sender.Attempts.Count);

        app.Time.Advance(TimeSpan.FromSeconds(60));
        var report = await app.RunCleanupAsync();

        Assert.Equal(1, report.Delivered);
        entry = Assert.Single(await store.GetOutboxAsync(flowId));
        Assert.Equal(OutboxStatus.Delivered, entry.Status);
        Assert.Equal(3, sender.Attempts.Count);
        Assert.Single(sender.Attempts.Distinct());
        app.Time.Advance(TimeSpan.FromHours(1));
        await app.RunCleanupAsync();
        Assert.Equal(3, sender.Attempts.Count);
    }

    [Fact]
    public async Task Outbox_AttemptsExhausted_MarkedFailedAndNotRetried()
    {
        var sender = new FlakySender(failures: int.MaxValue);
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?>(EngineRunsSignUp) { ["Flows:OutboxMaxAttempts"] = "2" },
            services: s => s.AddSingleton<IMessageSender>(sender));
        var flowId = await new FlowClient(app.Client).StartedSignUpAsync(FlowClient.NewPhone());

        app.Time.Advance(TimeSpan.FromMinutes(2));
        var report = await app.RunCleanupAsync();

        Assert.Equal(1, report.FailedMessages);
        var entry = Assert.Single(await app.Services.GetRequiredService<TableFlowStore>().GetOutboxAsync(flowId));
        Assert.Equal(OutboxStatus.Failed, entry.Status);
        app.Time.Advance(TimeSpan.FromHours(2));
        await app.RunCleanupAsync();
        Assert.Equal(2, sender.Attempts.Count);
    }

    [Fact]
    public async Task Cleanup_2000StoredFlows10Due_RequestsBoundedByDueItems()
    {
        await using var app = await TestApp.StartAsync(EngineRunsSignUp);
        var engine = app.Services.GetRequiredService<FlowEngine>();
        var signUp = new SignUpFlow(Core.Flows.FlowPolicy.Default, Core.Security.CodeKeyRing.CreateRandom());
        var now = app.Time.GetUtcNow();

        async Task Seed(int count, DateTimeOffset at)
        {
            app.Time.Set(at);
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
            {
                PhoneNumber.TryParse(FlowClient.NewPhone(), null, out var phone, out Core.Error _);
                await engine.SaveNewAsync(signUp.Start(phone, "en", at).Value, ct);
            });
        }
        await Seed(10, now - TimeSpan.FromHours(1));
        await Seed(2000, now);
        app.Time.Set(now);

        app.StorageRequests.Reset();
        var report = await app.RunCleanupAsync();
        var requests = app.StorageRequests.Count;

        Assert.Equal(10, report.Expired);
        Assert.Equal(20, report.Due);
        // Per due flow: read + due row + commit for the expiry, read + send + record for its message;
        // plus the cursor, the bucket query and the batched index deletes.
        Assert.True(requests <= 7 * 10 + 10, $"{requests} storage requests for 10 due flows among 2,010");
        var second = await app.RunCleanupAsync();
        Assert.Equal(0, second.Due);
    }

    /// <summary>Fails the first <c>failures</c> attempts with a transient outcome; records every key it was given.</summary>
    private sealed class FlakySender(int failures) : IMessageSender
    {
        private int calls;

        public List<Guid> Attempts { get; } = [];

        public Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken = default)
        {
            lock (Attempts)
            {
                Attempts.Add(message.IdempotencyKey);
            }
            return Task.FromResult(Interlocked.Increment(ref calls) <= failures
                ? SendOutcome.Transient("provider down")
                : SendOutcome.Delivered("ok"));
        }
    }
}
