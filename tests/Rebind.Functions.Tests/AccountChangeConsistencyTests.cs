using System.Net;
using Rebind.Azure.Stores;
using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using Rebind.Core.Flows.PhoneChange;
using Rebind.Core.Messaging;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.AccountFlows;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

/// <summary>Index row, account and flow agree: under a race for one number, and after a crash mid-change.</summary>
public sealed class AccountChangeConsistencyTests
{
    [Fact]
    public async Task TwentyAccountsConfirmOneNumberConcurrently_ExactlyOneBindsIt()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            // Twenty codes go to the contested number.
            ["RateLimits:SmsPerDestinationPerHour"] = "100",
            ["RateLimits:SmsPerDestinationPerDay"] = "100",
        });
        var contested = NewPhone();
        var racers = new List<(Account Account, string Token, string FlowId, string Code)>();
        var seen = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            // Half bind a first phone, half change theirs.
            var binding = i % 2 == 0;
            var account = binding ? await SeedAsync(app, email: NewEmail()) : await SeedAsync(app, phone: NewPhone());
            var (token, _) = await SessionAsync(app, account);
            string flowId;
            if (binding)
            {
                flowId = (await StartAsync(app, HttpMethod.Post, "/api/me/phone/bind", token, new { phone = contested })).GetProperty("flowId").GetString()!;
            }
            else
            {
                flowId = (await StartAsync(app, HttpMethod.Post, "/api/me/phone/change", token)).GetProperty("flowId").GetString()!;
                await ConfirmedAsync(app, flowId, account.Phone!, token);
                await JsonAsync(await PostAsync(app, flowId, "phone", token, new { phone = contested }));
            }

            // Codes are bound to their flow: take the one message this flow added (the manual clock gives every
            // message the same time, so "newest" is not an order here).
            var added = (await new FlowClient(app.Client).InboxAsync(contested)).Where(m => seen.Add(m.GetProperty("idempotencyKey").GetString()!)).ToList();
            var code = System.Text.RegularExpressions.Regex.Match(Assert.Single(added).GetProperty("text").GetString()!, @"\b\d{6}\b").Value;
            racers.Add((account, token, flowId, code));
        }

        var answers = await Task.WhenAll(racers.Select(r => PostAsync(app, r.FlowId, "code", r.Token, new { code = r.Code })));

        var winners = Enumerable.Range(0, 20).Where(i => answers[i].StatusCode == HttpStatusCode.OK).ToList();
        var winner = racers[Assert.Single(winners)];
        foreach (var i in Enumerable.Range(0, 20).Except(winners))
        {
            await ProblemAssert.IsProblem(answers[i], HttpStatusCode.Conflict, FlowErrorCodes.PhoneAlreadyBound);
            var flow = await JsonAsync(await SendAsync(app, HttpMethod.Get, $"/api/flows/{racers[i].FlowId}", racers[i].Token));
            Assert.Equal(FlowStates.Failed, flow.GetProperty("state").GetString());
            Assert.Equal(FlowErrorCodes.PhoneAlreadyBound, flow.GetProperty("outcome").GetString());
        }

        Assert.Equal(winner.Account.Id, await Store(app).FindAccountIdAsync(IdentifierKind.Phone, contested));
        foreach (var racer in racers)
        {
            var account = await AccountAsync(app, racer.Account.Id);
            if (racer.Account.Id == winner.Account.Id)
            {
                Assert.Equal(contested, account.Phone);
                continue;
            }

            // Losers are exactly as before: their own phone (or none), still indexed to them.
            Assert.Equal(racer.Account.Phone, account.Phone);
            if (racer.Account.Phone is { } own)
            {
                Assert.Equal(racer.Account.Id, await Store(app).FindAccountIdAsync(IdentifierKind.Phone, own));
            }
        }

        if (winner.Account.Phone is { } released)
        {
            Assert.Null(await Store(app).FindAccountIdAsync(IdentifierKind.Phone, released));
        }
    }

    [Fact]
    public async Task ChangePhone_CrashBetweenClaimAndAccountWrite_ActivityRetryConvergesWithNoticesOnce()
    {
        await using var app = await TestApp.StartAsync(services: s => s.AddSingleton<IAccountStore>(sp =>
            new CrashAfterClaimStore(new TableAccountStore(sp.GetRequiredService<RebindTables>()))));
        var crashing = (CrashAfterClaimStore)app.Services.GetRequiredService<IAccountStore>();
        var (oldPhone, newPhone, email) = (NewPhone(), NewPhone(), NewEmail());
        var account = await SeedAsync(app, phone: oldPhone, email: email);
        var (token, _) = await SessionAsync(app, account);
        var (other, _) = await SessionAsync(app, account, "Laptop");
        var flowId = (await StartAsync(app, HttpMethod.Post, "/api/me/phone/change", token)).GetProperty("flowId").GetString()!;
        await ConfirmedAsync(app, flowId, oldPhone, token);
        await JsonAsync(await PostAsync(app, flowId, "phone", token, new { phone = newPhone }));

        crashing.CrashesLeft = 1;
        // The orchestration's activity claims the number and "dies" before the account write; its retry a second later
        // finds its own claim, writes the account, releases the old number and sends the notices, within the answer's wait.
        var confirmed = await JsonAsync(await ConfirmAsync(app, flowId, newPhone, token));

        Assert.True(crashing.CrashesLeft <= 0, "the claim never crashed");
        Assert.Equal(FlowStates.Completed, confirmed.GetProperty("state").GetString());
        var after = await AccountAsync(app, account.Id);
        Assert.Equal(newPhone, after.Phone);
        Assert.Equal(account.Id, await Store(app).FindAccountIdAsync(IdentifierKind.Phone, newPhone));
        Assert.Null(await Store(app).FindAccountIdAsync(IdentifierKind.Phone, oldPhone));
        var done = await JsonAsync(await SendAsync(app, HttpMethod.Get, $"/api/flows/{flowId}", token));
        Assert.Equal(FlowStates.Completed, done.GetProperty("state").GetString());
        Assert.Single(await MessagesAsync(app, oldPhone, MessageKinds.PhoneUnboundNotice));
        Assert.Single(await MessagesAsync(app, email, MessageKinds.PhoneChangedNotice));
        Assert.Single(await ActivityAsync(app, token), h => h.Type == Core.Activity.ActivityTypes.PhoneChanged);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, HttpMethod.Get, "/api/me", other)).StatusCode);
    }

    [Fact]
    public async Task ChangePhone_StorageRequestsPerStep_StayBounded()
    {
        await using var app = await TestApp.StartAsync();
        var (oldPhone, newPhone) = (NewPhone(), NewPhone());
        var account = await SeedAsync(app, phone: oldPhone, email: NewEmail());
        var (token, _) = await SessionAsync(app, account);
        var counts = new Dictionary<string, long>();
        async Task<T> MeasureAsync<T>(string step, Func<Task<T>> action)
        {
            app.StorageRequests.Reset();
            var result = await action();
            counts[step] = app.StorageRequests.Count;
            return result;
        }

        var flowId = (await MeasureAsync("start", () => StartAsync(app, HttpMethod.Post, "/api/me/phone/change", token))).GetProperty("flowId").GetString()!;
        var oldCode = await CodeAsync(app, oldPhone);
        await MeasureAsync("old code", async () => await JsonAsync(await PostAsync(app, flowId, "code", token, new { code = oldCode })));
        await MeasureAsync("new phone", async () => await JsonAsync(await PostAsync(app, flowId, "phone", token, new { phone = newPhone })));
        var newCode = await CodeAsync(app, newPhone);
        await MeasureAsync("new code + apply", async () => await JsonAsync(await PostAsync(app, flowId, "code", token, new { code = newCode })));

        foreach (var (step, count) in counts)
        {
            Console.WriteLine($"change_phone {step}: {count} storage requests");
        }
        // Generous ceilings: they catch a scan or a loop, not a single extra read. A code costs two counter layers
        // since the visible limits count on who asked (docs/flows.md, "What a limit can reveal"): up to 8 more.
        Assert.All(counts.Where(c => c.Key != "new code + apply"), c => Assert.InRange(c.Value, 1, 38));
        Assert.InRange(counts["new code + apply"], 1, 60);
    }
}
