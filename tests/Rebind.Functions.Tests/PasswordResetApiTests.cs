using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Rebind.Core.Activity;
using Rebind.Core.Flows;
using Rebind.Functions.Tests.Infrastructure;
using Xunit.Abstractions;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

public sealed class PasswordResetApiTests(ITestOutputHelper output)
{
    private const string Reset = "/api/password/reset";
    private const string NewPassword = "meadow9lantern-K";

    [Fact]
    public async Task Reset_ByPhone_EndsSessionsNotifiesEmailAndOnlyNewPasswordSignsIn()
    {
        await using var app = await TestApp.StartAsync();
        var client = new FlowClient(app.Client);
        var (phone, email) = (NewPhone(), NewEmail());
        var account = await SeedAsync(app, phone, email, a => a with { ConsecutiveFailedSignIns = 3 });
        var (before1, _) = await SignInAsync(app, phone, "phone");
        var (before2, _) = await SignInAsync(app, email, "laptop");

        var started = await SignInPage.StartAsync(app, Reset, phone);
        var view = await FlowClient.OkJson(started);
        var flowId = view.GetProperty("flowId").GetString()!;
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal($"/api/flows/{flowId}", started.Headers.Location?.ToString());
        Assert.Equal("reset_password", view.GetProperty("kind").GetString());
        Assert.Equal("code", view.GetProperty("next").GetString());
        Assert.Equal(["password_reset_code"], await SignInPage.KindsAsync(client, phone));
        Assert.Empty(await client.InboxAsync(email));

        var confirmed = await FlowClient.OkJson(await client.SubmitCodeAsync(flowId, await client.LatestCodeAsync(phone)));
        Assert.Equal("password", confirmed.GetProperty("next").GetString());
        var done = await FlowClient.OkJson(await client.SetPasswordAsync(flowId, NewPassword));

        Assert.Equal("completed", done.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("next").ValueKind);
        Assert.False(done.TryGetProperty("token", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, HttpMethod.Get, "/api/me", before1)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, HttpMethod.Get, "/api/me", before2)).StatusCode);
        var notice = Assert.Single(await client.InboxAsync(email));
        Assert.Equal("password_reset_notice", notice.GetProperty("kind").GetString());
        Assert.Contains(app.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), notice.GetProperty("text").GetString());
        await ProblemAssert.IsProblem(await PostSignInAsync(app, phone), HttpStatusCode.Unauthorized, "invalid_credentials");
        var signedIn = await JsonAsync(await PostSignInAsync(app, phone, NewPassword));
        var stored = (await app.Services.GetRequiredService<Core.Accounts.IAccountStore>().GetAsync(account.Id))!.Value;
        Assert.Equal(0, stored.ConsecutiveFailedSignIns);
        Assert.NotEqual(account.SecurityStamp, stored.SecurityStamp);
        var activity = await JsonAsync(await SendAsync(app, HttpMethod.Get, "/api/me/activity?limit=10", signedIn.GetProperty("token").GetString()));
        var items = activity.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(items, i => i.GetProperty("type").GetString() == ActivityTypes.PasswordReset);
        // Steps after the code proved the phone are in the history; the unproven start is not.
        var steps = items.Where(i => i.GetProperty("type").GetString() == "reset_password").Select(i => i.GetProperty("detail").GetString()).ToList();
        Assert.Contains("awaiting_password", steps);
        Assert.DoesNotContain("awaiting_code", steps);
    }

    [Fact]
    public async Task Reset_ByEmail_NotifiesPhoneAndNewPasswordSignsIn()
    {
        await using var app = await TestApp.StartAsync();
        var client = new FlowClient(app.Client);
        var (phone, email) = (NewPhone(), NewEmail());
        await SeedAsync(app, phone, email);
        var (before, _) = await SignInAsync(app, phone);

        var flowId = await SignInPage.StartedAsync(app, Reset, email.ToUpperInvariant());
        Assert.Empty(await client.InboxAsync(phone));
        await FlowClient.OkJson(await client.SubmitCodeAsync(flowId, await client.LatestCodeAsync(email)));
        await FlowClient.OkJson(await client.SetPasswordAsync(flowId, NewPassword));

        Assert.Equal(["password_reset_notice"], await SignInPage.KindsAsync(client, phone));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, HttpMethod.Get, "/api/me", before)).StatusCode);
        await ProblemAssert.IsProblem(await PostSignInAsync(app, email), HttpStatusCode.Unauthorized, "invalid_credentials");
        await JsonAsync(await PostSignInAsync(app, email, NewPassword));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Reset_UnknownIdentifier_SameAnswerAndNothingSent(bool byPhone)
    {
        await using var app = await TestApp.StartAsync();
        var client = new FlowClient(app.Client);
        var known = byPhone ? NewPhone() : NewEmail();
        var unknown = byPhone ? NewPhone() : NewEmail();
        await SeedAsync(app, byPhone ? known : NewPhone(), byPhone ? NewEmail() : known);

        var a = await SignInPage.StartAsync(app, Reset, known);
        var b = await SignInPage.StartAsync(app, Reset, unknown);

        Assert.Equal(SignInPage.Shape(a), SignInPage.Shape(b));
        Assert.Equal(await SignInPage.NormalizedAsync(a, known), await SignInPage.NormalizedAsync(b, unknown));
        Assert.Single(await client.InboxAsync(known));
        Assert.Empty(await client.InboxAsync(unknown));

        // Until the code step they behave the same: a wrong code, a resend too early, the view.
        var (idA, idB) = (a.Headers.Location!.ToString()[11..], b.Headers.Location!.ToString()[11..]);
        await AssertSameAsync(client.SubmitCodeAsync(idA, "000000"), client.SubmitCodeAsync(idB, "000000"), known, unknown);
        await AssertSameAsync(client.ResendAsync(idA), client.ResendAsync(idB), known, unknown);
        await AssertSameAsync(app.Client.GetAsync($"/api/flows/{idA}"), app.Client.GetAsync($"/api/flows/{idB}"), known, unknown);
        app.Time.Advance(TimeSpan.FromSeconds(61));
        await AssertSameAsync(client.ResendAsync(idA), client.ResendAsync(idB), known, unknown);
        Assert.Equal(2, (await client.InboxAsync(known)).Length);
        Assert.Empty(await client.InboxAsync(unknown));
    }

    [Fact]
    public async Task Reset_UnknownIdentifier_CountsAgainstTheDestinationLimit()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["RateLimits:SmsPerDestinationPerHour"] = "2" });
        var known = NewPhone();
        var unknown = NewPhone();
        await SeedAsync(app, known);

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await SignInPage.StartAsync(app, Reset, known)).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await SignInPage.StartAsync(app, Reset, unknown)).StatusCode);
        }

        var a = await ProblemAssert.IsProblem(await SignInPage.StartAsync(app, Reset, known), HttpStatusCode.TooManyRequests, "rate_limited");
        var b = await ProblemAssert.IsProblem(await SignInPage.StartAsync(app, Reset, unknown), HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(a.GetProperty("retryAfterSeconds").GetInt32(), b.GetProperty("retryAfterSeconds").GetInt32());
    }

    [Fact]
    public async Task Reset_Timing_KnownAndUnknownTakeAboutAsLong()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimits:SmsPerDestinationPerHour"] = "1000",
            ["RateLimits:SmsPerDestinationPerDay"] = "1000",
            ["RateLimits:FlowStartsPerIpPerHour"] = "1000",
        });
        var known = NewPhone();
        var unknown = NewPhone();
        await SeedAsync(app, known, NewEmail());
        for (var i = 0; i < 5; i++)
        {
            // Warm-up (JIT, table creation, first real sends for the pad to learn from); not measured.
            await SignInPage.StartAsync(app, Reset, known);
            await SignInPage.StartAsync(app, Reset, unknown);
        }

        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            knownTimes.Add(await TimeAsync(() => SignInPage.StartAsync(app, Reset, known)));
            unknownTimes.Add(await TimeAsync(() => SignInPage.StartAsync(app, Reset, unknown)));
        }

        var (mk, mu) = (SignInPage.Median(knownTimes), SignInPage.Median(unknownTimes));
        output.WriteLine($"POST /api/password/reset, 50 each: median known {mk:F1} ms, unknown {mu:F1} ms");
        output.WriteLine($"known: {string.Join(' ', knownTimes.Order().Select(t => t.ToString("F1")))}");
        output.WriteLine($"unknown: {string.Join(' ', unknownTimes.Order().Select(t => t.ToString("F1")))}");
        // Loose sanity only: the pretend path must not answer in a fraction of the real one's time.
        Assert.True(mu > mk * 0.5, $"unknown {mu:F1} ms vs known {mk:F1} ms");
    }

    [Fact]
    public async Task Reset_CodeRules_WrongExpiredCooldownTooManySendsUsed()
    {
        await using var app = await TestApp.StartAsync();
        var client = new FlowClient(app.Client);
        var phone = NewPhone();
        await SeedAsync(app, phone);

        // Wrong codes: attemptsLeft counts down, the fifth kills the code.
        var flowId = await SignInPage.StartedAsync(app, Reset, phone);
        var wrong = await ProblemAssert.IsProblem(await client.SubmitCodeAsync(flowId, "000000"), HttpStatusCode.BadRequest, FlowErrorCodes.InvalidCode);
        Assert.Equal(4, wrong.GetProperty("attemptsLeft").GetInt32());
        for (var i = 0; i < 3; i++)
        {
            await client.SubmitCodeAsync(flowId, "000000");
        }

        await ProblemAssert.IsProblem(await client.SubmitCodeAsync(flowId, "000000"), HttpStatusCode.TooManyRequests, FlowErrorCodes.TooManyAttempts);
        await ProblemAssert.IsProblem(await client.SubmitCodeAsync(flowId, await client.LatestCodeAsync(phone)), HttpStatusCode.TooManyRequests, FlowErrorCodes.TooManyAttempts);

        // Resend: cooldown with seconds left, then a new code that works; at most five sends.
        var cooldown = await client.ResendAsync(flowId);
        var body = await ProblemAssert.IsProblem(cooldown, HttpStatusCode.TooManyRequests, FlowErrorCodes.ResendCooldown);
        Assert.Equal(60, body.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal("60", cooldown.Headers.RetryAfter?.ToString());
        for (var i = 0; i < 4; i++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(60));
            await FlowClient.OkJson(await client.ResendAsync(flowId));
        }

        app.Time.Advance(TimeSpan.FromSeconds(60));
        await ProblemAssert.IsProblem(await client.ResendAsync(flowId), HttpStatusCode.TooManyRequests, FlowErrorCodes.TooManySends);
        Assert.Equal(5, (await client.InboxAsync(phone)).Length);

        // Expiry: a code older than 10 minutes is refused.
        var second = await SignInPage.StartedAsync(app, Reset, phone);
        var code = await client.LatestCodeAsync(phone);
        app.Time.Advance(TimeSpan.FromMinutes(10));
        await ProblemAssert.IsProblem(await client.SubmitCodeAsync(second, code), HttpStatusCode.Gone, FlowErrorCodes.CodeExpired);

        // Used: a confirmed code does not work twice.
        var third = await SignInPage.StartedAsync(app, Reset, phone);
        code = await client.LatestCodeAsync(phone);
        await FlowClient.OkJson(await client.SubmitCodeAsync(third, code));
        await ProblemAssert.IsProblem(await client.SubmitCodeAsync(third, code), HttpStatusCode.Conflict, FlowErrorCodes.CodeUsed);
    }

    [Fact]
    public async Task Reset_SamePasswordOrWeak_RefusedAndStillAwaitingPassword()
    {
        await using var app = await TestApp.StartAsync();
        var client = new FlowClient(app.Client);
        var phone = NewPhone();
        var flowId = await AwaitingPasswordAsync(app, client, phone);

        await ProblemAssert.IsProblem(await client.SetPasswordAsync(flowId, Password), HttpStatusCode.BadRequest, FlowErrorCodes.PasswordSameAsCurrent);
        var weak = await ProblemAssert.IsProblem(await client.SetPasswordAsync(flowId, "password"), HttpStatusCode.BadRequest, FlowErrorCodes.WeakPassword);
        Assert.Equal("letter_and_digit", weak.GetProperty("rule").GetString());
        var shortOne = await ProblemAssert.IsProblem(await client.SetPasswordAsync(flowId, "a1"), HttpStatusCode.BadRequest, FlowErrorCodes.WeakPassword);
        Assert.Equal("length", shortOne.GetProperty("rule").GetString());

        Assert.Equal("awaiting_password", (await client.GetFlowAsync(flowId)).GetProperty("state").GetString());
        await JsonAsync(await PostSignInAsync(app, phone));
    }

    [Fact]
    public async Task Reset_TwentyParallelPasswords_OneHashOneWinnerRestConflict()
    {
        await using var app = await TestApp.StartAsync();
        var client = new FlowClient(app.Client);
        var phone = NewPhone();
        var flowId = await AwaitingPasswordAsync(app, client, phone);
        using var hashes = PasswordHashCount.Listen(app);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.SetPasswordAsync(flowId, NewPassword + i)));

        // The step is claimed with a conditional write before PBKDF2: one request hashes; the others find the claim (or
        // the finished step) and answer at once instead of each spending a hash and losing the commit race.
        Assert.Equal(1, hashes.Count);
        var winner = Assert.Single(answers, r => r.IsSuccessStatusCode);
        var codes = await Task.WhenAll(answers.Where(r => r != winner).Select(async r => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString()));
        Assert.All(codes, c => Assert.True(c is "flow_conflict" or FlowErrorCodes.InvalidState or FlowErrorCodes.FlowCompleted, c));
        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(app, phone, NewPassword + Array.IndexOf(answers, winner))).StatusCode);
    }

    [Fact]
    public async Task Reset_RefusedPasswordThenAnother_NotBlockedByItsOwnClaim()
    {
        await using var app = await TestApp.StartAsync();
        var client = new FlowClient(app.Client);
        var phone = NewPhone();
        var flowId = await AwaitingPasswordAsync(app, client, phone);

        // Refused after the claim (same as the current one): the claim is given back, so the retry right after works.
        await ProblemAssert.IsProblem(await client.SetPasswordAsync(flowId, Password), HttpStatusCode.BadRequest, FlowErrorCodes.PasswordSameAsCurrent);
        await FlowClient.OkJson(await client.SetPasswordAsync(flowId, NewPassword));

        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(app, phone, NewPassword)).StatusCode);
    }

    [Fact]
    public async Task Reset_ClaimOfACrashedRequest_RunsOutAfterItsLease()
    {
        await using var app = await TestApp.StartAsync();
        var client = new FlowClient(app.Client);
        var phone = NewPhone();
        var flowId = await AwaitingPasswordAsync(app, client, phone);
        // A request that claimed the step and died before hashing: its claim is in the flow row, nothing else.
        var store = app.Services.GetRequiredService<Rebind.Azure.Flows.TableFlowStore>();
        var stored = (await store.GetAsync(flowId))!;
        var claimed = Rebind.Functions.Flows.StepClaim.New(app.Time.GetUtcNow()).On(stored.Flow);
        Assert.NotNull(await store.TryReplaceAsync(claimed, stored.ETag, []));

        await ProblemAssert.IsProblem(await client.SetPasswordAsync(flowId, NewPassword), HttpStatusCode.Conflict, "flow_conflict");
        app.Time.Advance(Rebind.Functions.Flows.StepClaim.Lease);
        await FlowClient.OkJson(await client.SetPasswordAsync(flowId, NewPassword));

        Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(app, phone, NewPassword)).StatusCode);
    }

    [Fact]
    public async Task Reset_BadIdentifier_StableCodes()
    {
        await using var app = await TestApp.StartAsync();

        await ProblemAssert.IsProblem(await SignInPage.StartAsync(app, Reset, "12"), HttpStatusCode.BadRequest, FlowErrorCodes.InvalidPhone);
        await ProblemAssert.IsProblem(await SignInPage.StartAsync(app, Reset, "a@@b"), HttpStatusCode.BadRequest, FlowErrorCodes.InvalidEmail);
        await ProblemAssert.IsProblem(await SignInPage.StartAsync(app, Reset, " "), HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task NoAccess_PointsToSupport()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Recovery:SupportUrl"] = "https://help.rebind.example/recover" });

        var body = await ProblemAssert.IsProblem(await app.Client.PostAsync("/api/recovery/no-access", null), HttpStatusCode.Conflict, FlowErrorCodes.RecoveryRequiresSupport);

        Assert.Equal("https://help.rebind.example/recover", body.GetProperty("supportUrl").GetString());
    }

    private static async Task AssertSameAsync(Task<HttpResponseMessage> a, Task<HttpResponseMessage> b, string known, string unknown)
    {
        var (ra, rb) = (await a, await b);
        Assert.Equal(ra.StatusCode, rb.StatusCode);
        Assert.Equal(ra.Headers.RetryAfter?.ToString(), rb.Headers.RetryAfter?.ToString());
        Assert.Equal(await SignInPage.NormalizedAsync(ra, known), await SignInPage.NormalizedAsync(rb, unknown));
    }

    private static async Task<double> TimeAsync(Func<Task<HttpResponseMessage>> call)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await call();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>A reset of a seeded account on <paramref name="phone"/>, its code confirmed: waiting for the new password.</summary>
    private static async Task<string> AwaitingPasswordAsync(TestApp app, FlowClient client, string phone)
    {
        await SeedAsync(app, phone);
        var flowId = await SignInPage.StartedAsync(app, Reset, phone);
        await FlowClient.OkJson(await client.SubmitCodeAsync(flowId, await client.LatestCodeAsync(phone)));
        return flowId;
    }
}
