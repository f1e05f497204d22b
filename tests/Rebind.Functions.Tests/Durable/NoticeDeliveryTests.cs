using Rebind.Azure.Flows;
using Rebind.Azure.Messaging;
using Rebind.Core.Messaging;
using Rebind.Functions.Tests.Infrastructure;
using Rebind.Testing;
using static Rebind.Functions.Tests.Infrastructure.AccountFlows;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests.Durable;

/// <summary>
/// Notices go out from the orchestration's activities: tried once by the activity that queued them, then by
/// <c>SendNotices</c> with the activity retry policy, each attempt the same message (its idempotency key) and recorded
/// on the flow's outbox row. The cleanup no longer retries them.
/// </summary>
public sealed class NoticeDeliveryTests
{
    [Fact]
    public async Task ChangePhone_ProviderRefusesEachNoticeTwice_ActivityRetriesTheSameMessageDeliveredOnce()
    {
        var sender = new FlakyNotices(failuresPerNotice: 2);
        await using var app = await TestApp.StartAsync(services: s => s.AddSingleton<IMessageSender>(sp => sender.Over(sp.GetRequiredService<DevInboxSender>())));
        var (flowId, oldPhone, email) = await ChangePhoneAsync(app);

        var ended = await app.WaitUntilCompletedAsync(DurableApp.FlowInstance(flowId), TimeSpan.FromSeconds(60));

        Assert.Equal(new Rebind.Functions.Durable.FlowEnd("completed", null), ended.ReadOutputAs<Rebind.Functions.Durable.FlowEnd>());
        var rows = await app.Services.GetRequiredService<TableFlowStore>().GetOutboxAsync(flowId);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal((OutboxStatus.Delivered, 3), (r.Status, r.Attempts)));
        // Three attempts per notice, every one with the row's key; each reached its person once.
        Assert.Equal(rows.Select(r => r.Message.IdempotencyKey).Order(), sender.Attempts.Distinct().Order());
        Assert.All(sender.Attempts.GroupBy(k => k), g => Assert.Equal(3, g.Count()));
        Assert.Single(await MessagesAsync(app, oldPhone, MessageKinds.PhoneUnboundNotice));
        Assert.Single(await MessagesAsync(app, email, MessageKinds.PhoneChangedNotice));

        // The orchestration owns the retries: the cleanup, much later, finds nothing to send.
        app.Time.Advance(TimeSpan.FromHours(2));
        await app.RunCleanupAsync();
        Assert.Equal(6, sender.Attempts.Count);
    }

    [Fact]
    public async Task ChangePhone_NoticesOutOfAttempts_MarkedFailedAndTheFlowStillCompletes()
    {
        var sender = new FlakyNotices(failuresPerNotice: int.MaxValue);
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["Flows:OutboxMaxAttempts"] = "3" },
            services: s => s.AddSingleton<IMessageSender>(sp => sender.Over(sp.GetRequiredService<DevInboxSender>())));
        var (flowId, _, _) = await ChangePhoneAsync(app);

        var ended = await app.WaitUntilCompletedAsync(DurableApp.FlowInstance(flowId), TimeSpan.FromSeconds(60));

        Assert.Equal("completed", ended.ReadOutputAs<Rebind.Functions.Durable.FlowEnd>()!.State);
        var rows = await app.Services.GetRequiredService<TableFlowStore>().GetOutboxAsync(flowId);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal((OutboxStatus.Failed, 3, "provider down"), (r.Status, r.Attempts, r.LastError)));
        app.Time.Advance(TimeSpan.FromHours(2));
        await app.RunCleanupAsync();
        Assert.Equal(6, sender.Attempts.Count);
    }

    [Fact]
    public async Task ChangePhone_AppStoppedWhileTheNewCodeIsAwaited_NewAppFinishesIt_EachMessageSentOnce()
    {
        var (oldPhone, newPhone, email) = (NewPhone(), NewPhone(), NewEmail());
        string prefix, flowId, token;
        await using (var first = await TestApp.StartAsync())
        {
            prefix = first.TablePrefix;
            var account = await SeedAsync(first, phone: oldPhone, email: email);
            (token, _) = await SessionAsync(first, account);
            flowId = (await StartAsync(first, HttpMethod.Post, "/api/me/phone/change", token)).GetProperty("flowId").GetString()!;
            await ConfirmedAsync(first, flowId, oldPhone, token);
            await JsonAsync(await PostAsync(first, flowId, "phone", token, new { phone = newPhone }));
            // Stopped while the orchestration waits for the new number's code (see the sign-up restart test).
            await first.WaitForAsync(DurableApp.FlowInstance(flowId), m => m.ReadCustomStatusAs<string>() == "awaiting_new_phone_code", TimeSpan.FromSeconds(30));
        }

        // A new app on the same task hub and tables; the first may have left its partition lease to run out (30 s).
        await using var second = await TestApp.StartAsync(new Dictionary<string, string?> { ["Flows:AnswerWaitMilliseconds"] = "60000" }, tablePrefix: prefix);
        var confirmed = await JsonAsync(await ConfirmAsync(second, flowId, newPhone, token));
        var ended = await second.WaitUntilCompletedAsync(DurableApp.FlowInstance(flowId), TimeSpan.FromSeconds(60));

        Assert.Equal("completed", confirmed.GetProperty("state").GetString());
        Assert.Equal("completed", ended.ReadOutputAs<Rebind.Functions.Durable.FlowEnd>()!.State);
        Assert.Equal(newPhone, (await AccountFlows.Store(second).GetAsync((await AccountFlows.Store(second).FindAccountIdAsync(Core.Accounts.IdentifierKind.Phone, newPhone))!))!.Value.Phone);
        // Each person got each message once: one code per number, one notice per contact.
        var client = new FlowClient(second.Client);
        Assert.Equal([MessageKinds.PhoneUnboundNotice, MessageKinds.VerifyOldPhoneCode], (await client.InboxAsync(oldPhone)).Select(m => m.GetProperty("kind").GetString()).Order());
        Assert.Equal([MessageKinds.BindPhoneCode], (await client.InboxAsync(newPhone)).Select(m => m.GetProperty("kind").GetString()));
        Assert.Equal([MessageKinds.PhoneChangedNotice], (await client.InboxAsync(email)).Select(m => m.GetProperty("kind").GetString()));
    }

    /// <summary>A phone change on an account with a phone and an email, up to the confirming answer: two notices.</summary>
    private static async Task<(string FlowId, string OldPhone, string Email)> ChangePhoneAsync(TestApp app)
    {
        var (oldPhone, newPhone, email) = (NewPhone(), NewPhone(), NewEmail());
        var account = await SeedAsync(app, phone: oldPhone, email: email);
        var (token, _) = await SessionAsync(app, account);
        var flowId = (await StartAsync(app, HttpMethod.Post, "/api/me/phone/change", token)).GetProperty("flowId").GetString()!;
        await ConfirmedAsync(app, flowId, oldPhone, token);
        await JsonAsync(await PostAsync(app, flowId, "phone", token, new { phone = newPhone }));
        await JsonAsync(await ConfirmAsync(app, flowId, newPhone, token));
        return (flowId, oldPhone, email);
    }

    /// <summary>Codes pass through to the development inbox; each notice is refused (transient) its first
    /// <c>failuresPerNotice</c> attempts. Records the key of every notice attempt.</summary>
    private sealed class FlakyNotices(int failuresPerNotice)
    {
        public List<Guid> Attempts { get; } = [];

        private int FailuresPerNotice => failuresPerNotice;

        public IMessageSender Over(IMessageSender inner) => new Sender(inner, this);

        private sealed class Sender(IMessageSender inner, FlakyNotices owner) : IMessageSender
        {
            public Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken = default)
            {
                if (message.Values.ContainsKey(MessageValues.CodeValue))
                {
                    return inner.SendAsync(message, cancellationToken);
                }
                int seen;
                lock (owner.Attempts)
                {
                    owner.Attempts.Add(message.IdempotencyKey);
                    seen = owner.Attempts.Count(k => k == message.IdempotencyKey);
                }
                return seen <= owner.FailuresPerNotice ? Task.FromResult(SendOutcome.Transient("provider down")) : inner.SendAsync(message, cancellationToken);
            }
        }
    }
}
