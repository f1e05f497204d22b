using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rebind.Azure.Stores;
using Rebind.Core.Accounts;
using Rebind.Core.Security;
using Microsoft.DurableTask.Client;
using Rebind.Functions.Durable;
using Rebind.Functions.Tests.Durable;
using Rebind.Functions.Tests.Infrastructure;

namespace Rebind.Functions.Tests;

// 20 concurrent sign-ups hash 20 passwords at once: alone, so neither they nor other tests starve past the storage budget.
[Collection(StorageOutageCollection.Name)]
public sealed class SignUpApiTests
{
    [Fact]
    public async Task SignUp_CodeFromDevInboxThenPassword_CreatesAccountWithPhoneBound()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();

        var start = await flows.StartSignUpAsync(phone);
        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        var started = await FlowClient.OkJson(start);
        var flowId = started.GetProperty("flowId").GetString()!;
        Assert.Equal($"/api/flows/{flowId}", start.Headers.Location?.OriginalString);
        Assert.Equal("awaiting_code", started.GetProperty("state").GetString());
        Assert.Equal("code", started.GetProperty("next").GetString());

        var code = await flows.LatestCodeAsync(phone);
        var confirmed = await FlowClient.OkJson(await flows.SubmitCodeAsync(flowId, code));
        Assert.Equal("awaiting_password", confirmed.GetProperty("state").GetString());
        Assert.Equal("password", confirmed.GetProperty("next").GetString());

        var done = await FlowClient.OkJson(await flows.SetPasswordAsync(flowId, FlowClient.StrongPassword));
        Assert.Equal("completed", done.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("next").ValueKind);

        var accounts = app.Services.GetRequiredService<IAccountStore>();
        var accountId = await accounts.FindAccountIdAsync(IdentifierKind.Phone, phone);
        Assert.NotNull(accountId);
        var account = (await accounts.GetAsync(accountId!))!.Value;
        Assert.Equal(phone, account.Phone);
        Assert.True(new PasswordHasher().Verify(FlowClient.StrongPassword, account.PasswordHash));
    }

    [Fact]
    public async Task SetPassword_TwentyParallel_OneHashOneAccount()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var flowId = await flows.StartedSignUpAsync(phone);
        await FlowClient.OkJson(await flows.SubmitCodeAsync(flowId, await flows.LatestCodeAsync(phone)));
        using var hashes = PasswordHashCount.Listen(app);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => flows.SetPasswordAsync(flowId, FlowClient.StrongPassword)));

        Assert.Equal(1, hashes.Count);
        Assert.Single(answers, r => r.IsSuccessStatusCode);
        Assert.NotNull(await app.Services.GetRequiredService<IAccountStore>().FindAccountIdAsync(IdentifierKind.Phone, phone));
    }

    [Fact]
    public async Task DevInbox_InProduction_Returns404()
    {
        await using var app = await TestApp.StartAsync(environment: "Production");

        var response = await app.Client.GetAsync("/api/dev/inbox?to=%2B8613812345678");

        await ProblemAssert.IsProblem(response, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task DevInbox_ChineseLanguage_MessageInChineseNewestFirst()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var flowId = await FlowClient.OkJson(await flows.StartSignUpAsync(phone, language: "zh-CN,zh;q=0.9"));
        app.Time.Advance(TimeSpan.FromSeconds(61));
        await FlowClient.OkJson(await flows.ResendAsync(flowId.GetProperty("flowId").GetString()!));

        // Unescaped '+' arrives as a space: the inbox normalizes it like the flows do.
        var inbox = await flows.InboxAsync(phone);
        Assert.Equal(2, inbox.Length);
        Assert.Contains("验证码", inbox[0].GetProperty("text").GetString());
        Assert.True(inbox[0].GetProperty("created").GetDateTimeOffset() > inbox[1].GetProperty("created").GetDateTimeOffset());
        Assert.Equal("signup_code", inbox[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task SubmitCode_Wrong_Returns400WithAttemptsLeft()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var flowId = await flows.StartedSignUpAsync(phone);
        var right = await flows.LatestCodeAsync(phone);
        var wrong = right == "000000" ? "111111" : "000000";

        var problem = await ProblemAssert.IsProblem(await flows.SubmitCodeAsync(flowId, wrong), HttpStatusCode.BadRequest, "invalid_code");

        Assert.Equal(4, problem.GetProperty("attemptsLeft").GetInt32());
        Assert.Equal(4, (await flows.GetFlowAsync(flowId)).GetProperty("attemptsLeft").GetInt32());
    }

    [Fact]
    public async Task Resend_WithinCooldown_Returns429WithRetryAfter()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var flowId = await flows.StartedSignUpAsync(FlowClient.NewPhone());
        app.Time.Advance(TimeSpan.FromSeconds(20));

        var response = await flows.ResendAsync(flowId);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.TooManyRequests, "resend_cooldown");
        Assert.Equal(40, problem.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal("40", response.Headers.RetryAfter?.ToString());
    }

    [Fact]
    public async Task SubmitCode_AfterCodeLifetime_Returns410CodeExpired()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var flowId = await flows.StartedSignUpAsync(phone);
        var code = await flows.LatestCodeAsync(phone);
        app.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        await ProblemAssert.IsProblem(await flows.SubmitCodeAsync(flowId, code), HttpStatusCode.Gone, "code_expired");
    }

    [Fact]
    public async Task Touch_AfterFlowDeadline_ExpiresAndPersists()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var flowId = await flows.StartedSignUpAsync(phone);
        var code = await flows.LatestCodeAsync(phone);
        app.Time.Advance(TimeSpan.FromMinutes(31));

        await ProblemAssert.IsProblem(await flows.SubmitCodeAsync(flowId, code), HttpStatusCode.Gone, "flow_expired");

        var view = await flows.GetFlowAsync(flowId);
        Assert.Equal("expired", view.GetProperty("state").GetString());
        Assert.Equal("flow_expired", view.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task SignUp_DeadlinePassesWithoutACode_OrchestrationExpiresTheFlow()
    {
        // The app's clock starts so that the flow's 30-minute deadline falls 3 s from now in real time: the durable timer
        // wakes the orchestration then, and the row's clock (moved past the deadline) lets it expire the flow.
        await using var app = await TestApp.StartAsync(clockStart: DateTimeOffset.UtcNow - TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(3));
        var flows = new FlowClient(app.Client);
        var flowId = await flows.StartedSignUpAsync(FlowClient.NewPhone());
        app.Time.Advance(TimeSpan.FromMinutes(31));

        var ended = await app.WaitUntilCompletedAsync(DurableApp.FlowInstance(flowId), TimeSpan.FromSeconds(30));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, ended.RuntimeStatus);
        Assert.Equal(new FlowEnd("expired", "flow_expired"), ended.ReadOutputAs<FlowEnd>());
        var stored = await app.Services.GetRequiredService<Rebind.Azure.Flows.TableFlowStore>().GetAsync(flowId);
        Assert.Equal("expired", stored!.Flow.State);
    }

    [Fact]
    public async Task Cleanup_AfterRetention_PurgesFinishedFlowAndItsOrchestrationOnly()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var flowId = await flows.StartedSignUpAsync(FlowClient.NewPhone());
        var running = await flows.StartedSignUpAsync(FlowClient.NewPhone());
        Assert.Equal(HttpStatusCode.OK, (await app.Client.DeleteAsync($"/api/flows/{flowId}")).StatusCode);
        await app.WaitUntilCompletedAsync(DurableApp.FlowInstance(flowId), TimeSpan.FromSeconds(30));

        var early = await app.RunCleanupAsync();
        app.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var report = await app.RunCleanupAsync();

        Assert.Equal(0, early.Counts[OrchestrationPurge.TaskName]);
        Assert.Equal(1, report.Counts[OrchestrationPurge.TaskName]);
        Assert.Empty(report.Failed);
        await ProblemAssert.IsProblem(await app.Client.GetAsync($"/api/flows/{flowId}"), HttpStatusCode.NotFound, "flow_not_found");
        Assert.Null(await app.Durable().GetInstanceAsync(DurableApp.FlowInstance(flowId)));
        // The flow still running (its orchestration waits for the code) keeps its row and instance.
        Assert.NotNull(await app.Services.GetRequiredService<Rebind.Azure.Flows.TableFlowStore>().GetAsync(running));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await app.Durable().GetInstanceAsync(DurableApp.FlowInstance(running)))!.RuntimeStatus);
    }

    [Fact]
    public async Task Cancel_ThenSubmitCode_Returns410FlowCancelled()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var flowId = await flows.StartedSignUpAsync(phone);
        var code = await flows.LatestCodeAsync(phone);

        var cancelled = await FlowClient.OkJson(await app.Client.DeleteAsync($"/api/flows/{flowId}"));
        Assert.Equal("cancelled", cancelled.GetProperty("state").GetString());

        await ProblemAssert.IsProblem(await flows.SubmitCodeAsync(flowId, code), HttpStatusCode.Gone, "flow_cancelled");
    }

    [Fact]
    public async Task GetFlow_UnknownId_Returns404FlowNotFound()
    {
        await using var app = await TestApp.StartAsync();

        await ProblemAssert.IsProblem(await app.Client.GetAsync("/api/flows/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), HttpStatusCode.NotFound, "flow_not_found");
    }

    [Fact]
    public async Task GetFlow_AfterStart_ReturnsStateNextDeadlinesAttemptsAndMaskedPhone()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var startedAt = app.Time.GetUtcNow();
        var flowId = await flows.StartedSignUpAsync(phone);

        var view = await flows.GetFlowAsync(flowId);

        Assert.Equal(flowId, view.GetProperty("flowId").GetString());
        Assert.Equal("signup_phone", view.GetProperty("kind").GetString());
        Assert.Equal("awaiting_code", view.GetProperty("state").GetString());
        Assert.Equal("code", view.GetProperty("next").GetString());
        Assert.Equal(startedAt + TimeSpan.FromMinutes(30), view.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(startedAt + TimeSpan.FromSeconds(60), view.GetProperty("resendAvailableAt").GetDateTimeOffset());
        Assert.Equal(startedAt + TimeSpan.FromMinutes(10), view.GetProperty("codeExpiresAt").GetDateTimeOffset());
        Assert.Equal(5, view.GetProperty("attemptsLeft").GetInt32());
        Assert.Equal(phone[..3] + "*******" + phone[^4..], view.GetProperty("destination").GetString());
    }

    [Fact]
    public async Task StartSignUp_InvalidPhone_Returns400InvalidPhone()
    {
        await using var app = await TestApp.StartAsync();

        var problem = await ProblemAssert.IsProblem(await new FlowClient(app.Client).StartSignUpAsync("12"), HttpStatusCode.BadRequest, "invalid_phone");

        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task StartSignUp_MissingPhoneInChinese_Returns400ValidationFailedWithChineseDetail()
    {
        await using var app = await TestApp.StartAsync();

        var problem = await ProblemAssert.IsProblem(await new FlowClient(app.Client).StartSignUpAsync("", language: "zh-Hans"), HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal("phone", problem.GetProperty("field").GetString());
        Assert.Equal("缺少必填字段或字段无效。", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task SetPassword_Weak_Returns400WeakPasswordWithRule()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var flowId = await flows.StartedSignUpAsync(phone);
        await FlowClient.OkJson(await flows.SubmitCodeAsync(flowId, await flows.LatestCodeAsync(phone)));

        var problem = await ProblemAssert.IsProblem(await flows.SetPasswordAsync(flowId, "short1"), HttpStatusCode.BadRequest, "weak_password");

        Assert.Equal("length", problem.GetProperty("rule").GetString());
        Assert.Equal("awaiting_password", (await flows.GetFlowAsync(flowId)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task SubmitCode_TwoConcurrentConfirmations_ExactlyOneSucceeds()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var flowId = await flows.StartedSignUpAsync(phone);
        var code = await flows.LatestCodeAsync(phone);

        var responses = await Task.WhenAll(flows.SubmitCodeAsync(flowId, code), flows.SubmitCodeAsync(flowId, code));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        var loser = responses.Single(r => r.StatusCode != HttpStatusCode.OK);
        var body = JsonDocument.Parse(await loser.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(body.GetProperty("code").GetString(), new[] { "code_used", "invalid_state", "flow_conflict" });
        Assert.Equal("awaiting_password", (await flows.GetFlowAsync(flowId)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task SignUp_TwentyConcurrentWithOneNumber_CreatesExactlyOneAccount()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimits:SmsPerDestinationPerHour"] = "100",
            ["RateLimits:SmsPerDestinationPerDay"] = "100",
        });
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var started = new List<(string FlowId, string Code)>();
        for (var i = 0; i < 20; i++)
        {
            app.Time.Advance(TimeSpan.FromMilliseconds(1));
            var flowId = await flows.StartedSignUpAsync(phone);
            started.Add((flowId, await flows.LatestCodeAsync(phone)));
        }

        var results = await Task.WhenAll(started.Select(async s =>
        {
            var confirmed = await flows.SubmitCodeAsync(s.FlowId, s.Code);
            return confirmed.IsSuccessStatusCode ? await flows.SetPasswordAsync(s.FlowId, FlowClient.StrongPassword) : confirmed;
        }));

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var loser in results.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await ProblemAssert.IsProblem(loser, HttpStatusCode.Conflict, "phone_already_bound");
        }
        var states = await Task.WhenAll(started.Select(s => flows.GetFlowAsync(s.FlowId)));
        Assert.Single(states, s => s.GetProperty("state").GetString() == "completed");
        Assert.Equal(19, states.Count(s => s.GetProperty("state").GetString() == "failed" && s.GetProperty("outcome").GetString() == "phone_already_bound"));
        var tables = app.Services.GetRequiredService<RebindTables>();
        var accountRows = await (await tables.GetAsync(RebindTables.Accounts)).QueryAsync<global::Azure.Data.Tables.TableEntity>().ToListAsync();
        Assert.Single(accountRows);
    }

    [Fact]
    public async Task StartSignUp_SameIdempotencyKeyAndBody_SameAnswerAndOneMessage()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var key = Guid.NewGuid().ToString();

        var first = await flows.StartSignUpAsync(phone, key);
        var second = await flows.StartSignUpAsync(phone, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(first.StatusCode, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Single(await flows.InboxAsync(phone));
    }

    [Fact]
    public async Task StartSignUp_SameIdempotencyKeyDifferentBody_Returns422()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var key = Guid.NewGuid().ToString();
        await FlowClient.OkJson(await flows.StartSignUpAsync(FlowClient.NewPhone(), key));

        var response = await flows.StartSignUpAsync(FlowClient.NewPhone(), key);

        await ProblemAssert.IsProblem(response, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
    }

    [Fact]
    public async Task StartSignUp_OverPerDestinationLimit_Returns429RateLimited()
    {
        await using var app = await TestApp.StartAsync();
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        for (var i = 0; i < 10; i++)
        {
            await flows.StartedSignUpAsync(phone);
        }

        var response = await flows.StartSignUpAsync(phone);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(problem.GetProperty("retryAfterSeconds").GetInt32() is > 0 and <= 3600);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(10, (await flows.InboxAsync(phone)).Length);
    }

    [Fact]
    public async Task SignUp_AppRestartedMidFlow_ContinuesWithNothingLost()
    {
        var phone = FlowClient.NewPhone();
        string flowId, prefix, code;
        await using (var first = await TestApp.StartAsync())
        {
            var flows = new FlowClient(first.Client);
            flowId = await flows.StartedSignUpAsync(phone);
            code = await flows.LatestCodeAsync(phone);
            await FlowClient.OkJson(await flows.SubmitCodeAsync(flowId, code));
            prefix = first.TablePrefix;
        }

        await using var second = await TestApp.StartAsync(tablePrefix: prefix);
        var again = new FlowClient(second.Client);
        Assert.Equal("awaiting_password", (await again.GetFlowAsync(flowId)).GetProperty("state").GetString());
        // The new app may still be taking the task hub's partitions over: then the answer is a 202 to follow.
        var done = await again.SettledAsync(await again.SetPasswordAsync(flowId, FlowClient.StrongPassword), TimeSpan.FromSeconds(30));

        Assert.Equal("completed", done.GetProperty("state").GetString());
        Assert.NotNull(await second.Services.GetRequiredService<IAccountStore>().FindAccountIdAsync(IdentifierKind.Phone, phone));
    }

    [Fact]
    public async Task SignUp_CrashAfterClaimBeforeAccount_OrchestrationRetriesAndCompletes()
    {
        var crashing = new CrashOnceAccountStore();
        await using var app = await TestApp.StartAsync(services: s => s.AddSingleton<IAccountStore>(sp =>
            crashing.Wrap(new TableAccountStore(sp.GetRequiredService<RebindTables>()))));
        var flows = new FlowClient(app.Client);
        var phone = FlowClient.NewPhone();
        var flowId = await flows.StartedSignUpAsync(phone);
        await FlowClient.OkJson(await flows.SubmitCodeAsync(flowId, await flows.LatestCodeAsync(phone)));

        // The orchestration's activity claims the phone, crashes before the account is written, and is retried a second
        // later: the same account id (kept in the row) claims again (its own claim counts as won) and writes the account.
        var done = await FlowClient.OkJson(await flows.SetPasswordAsync(flowId, FlowClient.StrongPassword));

        Assert.Equal(1, crashing.Crashes);
        Assert.Equal("completed", done.GetProperty("state").GetString());
        var accounts = app.Services.GetRequiredService<IAccountStore>();
        var claimedBy = await accounts.FindAccountIdAsync(IdentifierKind.Phone, phone);
        var account = await accounts.GetAsync(claimedBy!);
        Assert.Equal(phone, account!.Value.Phone);
    }

    [Fact]
    public async Task OpenApi_Document_ListsFlowEndpointsWithTypes()
    {
        await using var app = await TestApp.StartAsync();

        var json = await app.Client.GetStringAsync("/api/openapi.json");

        foreach (var path in new[] { "/api/signup", "/api/flows/{id}", "/api/flows/{id}/code", "/api/flows/{id}/resend", "/api/flows/{id}/password", "/api/dev/inbox" })
        {
            Assert.Contains($"\"{path}\"", json);
        }
        Assert.Contains("FlowView", json);
        Assert.Contains("SignUpRequest", json);
    }

    /// <summary>The account store of a process that dies after claiming the phone and before writing the account.</summary>
    private sealed class CrashOnceAccountStore
    {
        private int crashed;

        public int Crashes => crashed;

        public IAccountStore Wrap(IAccountStore inner) => new Store(inner, this);

        private sealed class Store(IAccountStore inner, CrashOnceAccountStore owner) : IAccountStore
        {
            public Task<Versioned<Account>?> GetAsync(string accountId, CancellationToken cancellationToken = default) => inner.GetAsync(accountId, cancellationToken);

            public Task<string?> FindAccountIdAsync(IdentifierKind kind, string value, CancellationToken cancellationToken = default) => inner.FindAccountIdAsync(kind, value, cancellationToken);

            public Task<ClaimOutcome> ClaimAsync(IdentifierKind kind, string value, string accountId, CancellationToken cancellationToken = default) => inner.ClaimAsync(kind, value, accountId, cancellationToken);

            public Task ReleaseAsync(IdentifierKind kind, string value, string accountId, CancellationToken cancellationToken = default) => inner.ReleaseAsync(kind, value, accountId, cancellationToken);

            public Task<Versioned<Account>> CreateAsync(Account account, CancellationToken cancellationToken = default) =>
                Interlocked.Exchange(ref owner.crashed, 1) == 0
                    ? throw new IOException("simulated crash before the account was written")
                    : inner.CreateAsync(account, cancellationToken);

            public Task<Versioned<Account>?> TryReplaceAsync(Account account, string version, CancellationToken cancellationToken = default) => inner.TryReplaceAsync(account, version, cancellationToken);
        }
    }
}
