using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rebind.Core.Accounts;
using Rebind.Functions.Tests.Infrastructure;
using Xunit.Abstractions;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

public sealed class SignInApiTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SignIn_ByPhone_TokenWorksForMe()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var account = await SeedAsync(app, phone: phone);

        var response = await PostSignInAsync(app, phone);
        var json = await JsonAsync(response);
        var me = await JsonAsync(await SendAsync(app, HttpMethod.Get, "/api/me", json.GetProperty("token").GetString()));

        Assert.Equal(account.Id, json.GetProperty("accountId").GetString());
        Assert.Equal(43, json.GetProperty("token").GetString()!.Length);
        Assert.Equal(app.Time.GetUtcNow().AddDays(90), json.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(account.Id, me.GetProperty("id").GetString());
        Assert.Equal(phone[..3] + new string('*', phone.Length - 7) + phone[^4..], me.GetProperty("phone").GetString());
    }

    [Fact]
    public async Task SignIn_NationalPhoneWithRegion_Works()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        await SeedAsync(app, phone: phone);

        var response = await app.Client.PostAsync("/api/auth/sign-in", JsonContent(new { identifier = phone[3..], password = Password, region = "CN" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_ByEmailAnyCase_TokenWorksForMe()
    {
        await using var app = await TestApp.StartAsync();
        var email = NewEmail();
        var account = await SeedAsync(app, email: email);

        var (token, _) = await SignInAsync(app, "  " + email.ToUpperInvariant());
        var me = await JsonAsync(await SendAsync(app, HttpMethod.Get, "/api/me", token));

        Assert.Equal(account.Id, me.GetProperty("id").GetString());
        Assert.Equal("u***@example.com", me.GetProperty("email").GetString());
    }

    [Fact]
    public async Task SignIn_WrongPasswordAndUnknownAccount_AnswerIdentically()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["SignIn:FreeFailures"] = "1000" });
        var phone = NewPhone();
        await SeedAsync(app, phone: phone);

        var wrong = await PostSignInAsync(app, phone, "wrong-password-1");
        var unknown = await PostSignInAsync(app, NewPhone(), "wrong-password-1");
        var garbage = await PostSignInAsync(app, "not a phone", "wrong-password-1");

        var a = await ProblemAssert.IsProblem(wrong, HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
        var b = await ProblemAssert.IsProblem(unknown, HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
        var c = await ProblemAssert.IsProblem(garbage, HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
        Assert.Equal(WithoutTraceId(a), WithoutTraceId(b));
        Assert.Equal(WithoutTraceId(a), WithoutTraceId(c));
        Assert.Equal(wrong.Headers.Select(h => h.Key).Order(), unknown.Headers.Select(h => h.Key).Order());

        // Both paths run one PBKDF2: report the medians (no assertion on wall-clock time).
        var wrongTimes = new List<double>();
        var unknownTimes = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            wrongTimes.Add(await TimeAsync(() => PostSignInAsync(app, phone, "wrong-password-1")));
            unknownTimes.Add(await TimeAsync(() => PostSignInAsync(app, NewPhone(), "wrong-password-1")));
        }

        output.WriteLine($"median wrong password {Median(wrongTimes):F1} ms, unknown account {Median(unknownTimes):F1} ms");
        output.WriteLine($"wrong: {string.Join(' ', wrongTimes.Order().Select(t => t.ToString("F0")))}; unknown: {string.Join(' ', unknownTimes.Order().Select(t => t.ToString("F0")))}");
        Assert.All(wrongTimes.Concat(unknownTimes), t => Assert.True(t > 20, "both paths must hash"));
    }

    [Fact]
    public async Task SignIn_Thirty_Concurrent_AllDistinctWorkingSessions()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        await SeedAsync(app, phone: phone);

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => SignInAsync(app, phone, $"device {i}")));

        Assert.Equal(30, results.Select(r => r.Token).Distinct().Count());
        Assert.Equal(30, results.Select(r => r.SessionId).Distinct().Count());
        var statuses = await Task.WhenAll(results.Select(async r => (await SendAsync(app, HttpMethod.Get, "/api/me", r.Token)).StatusCode));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var sessions = await JsonAsync(await SendAsync(app, HttpMethod.Get, "/api/me/sessions", results[0].Token));
        Assert.Equal(30, sessions.GetProperty("sessions").GetArrayLength());
    }

    [Fact]
    public async Task SignIn_UnknownAccountRepeatedly_ThrottledExactlyLikeAWrongPassword()
    {
        await using var app = await TestApp.StartAsync();
        var known = NewPhone();
        await SeedAsync(app, phone: known);
        var unknown = NewPhone();

        async Task<List<(int Status, string Code, int? RetryAfter)>> AttemptsAsync(string phone)
        {
            var answers = new List<(int, string, int?)>();
            for (var i = 0; i < 7; i++)
            {
                var response = await PostSignInAsync(app, phone, "wrong-password-1");
                var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                answers.Add((json.GetProperty("status").GetInt32(), json.GetProperty("code").GetString()!,
                    json.TryGetProperty("retryAfterSeconds", out var r) ? r.GetInt32() : null));
            }
            return answers;
        }

        var forKnown = await AttemptsAsync(known);
        var forUnknown = await AttemptsAsync(unknown);

        Assert.Equal(forKnown, forUnknown);
        Assert.Equal((429, AccountErrors.SignInThrottledCode, 30), forUnknown[5]);
    }

    [Fact]
    public async Task SignIn_EmailWithKeyForbiddenCharacters_InvalidCredentialsNotServerError()
    {
        await using var app = await TestApp.StartAsync();

        var response = await PostSignInAsync(app, "who#me/now?@example.com", "wrong-password-1");

        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
    }

    [Fact]
    public async Task SignIn_AfterFiveFailures_GrowingDelayThenSuccessClearsCounter()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var account = await SeedAsync(app, phone: phone);
        for (var i = 0; i < 5; i++)
        {
            await ProblemAssert.IsProblem(await PostSignInAsync(app, phone, "wrong-password-1"), HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
        }

        var first = await ProblemAssert.IsProblem(await PostSignInAsync(app, phone), (HttpStatusCode)429, AccountErrors.SignInThrottledCode);
        app.Time.Advance(TimeSpan.FromSeconds(30));
        await ProblemAssert.IsProblem(await PostSignInAsync(app, phone, "wrong-password-1"), HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
        var second = await ProblemAssert.IsProblem(await PostSignInAsync(app, phone, "wrong-password-1"), (HttpStatusCode)429, AccountErrors.SignInThrottledCode);
        app.Time.Advance(TimeSpan.FromSeconds(60));
        var ok = await PostSignInAsync(app, phone);

        Assert.Equal(30, first.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal(60, second.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var stored = await app.Services.GetRequiredService<IAccountStore>().GetAsync(account.Id);
        Assert.Equal(0, stored!.Value.ConsecutiveFailedSignIns);
        var counted = await ClientFailuresAsync(app, AccountSubject(account));
        Assert.Equal((0, 0), (counted.Client.Count, counted.All.Count));
    }

    [Fact]
    public async Task SignIn_DelayedRegime_ParallelGuesses_OnlyOneChecked()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var device = NewDeviceId();
        var account = await SeedAsync(app, phone: phone, change: a => WithKnownDevice(a, device, a.CreatedAt) with { ConsecutiveFailedSignIns = 5, LastFailedSignInAt = app.Time.GetUtcNow().AddHours(-1) });

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PostSignInAsync(app, phone, "wrong-password-1", deviceId: device)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(9, responses.Count(r => r.StatusCode == (HttpStatusCode)429));
        var stored = await app.Services.GetRequiredService<IAccountStore>().GetAsync(account.Id);
        Assert.Equal(6, stored!.Value.ConsecutiveFailedSignIns);
    }

    [Fact]
    public async Task SignIn_DelayedRegimeStranger_ParallelGuesses_OnlyOneCheckedOnTheClientsCounter()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var account = await SeedAsync(app, phone: phone);
        await RecordClientFailuresAsync(app, AccountSubject(account), 5, app.Time.GetUtcNow().AddHours(-1));

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PostSignInAsync(app, phone, "wrong-password-1")));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(9, responses.Count(r => r.StatusCode == (HttpStatusCode)429));
        var counted = await ClientFailuresAsync(app, AccountSubject(account));
        Assert.Equal((6, 6), (counted.Client.Count, counted.All.Count));
        Assert.Equal(0, (await app.Services.GetRequiredService<IAccountStore>().GetAsync(account.Id))!.Value.ConsecutiveFailedSignIns);
    }

    [Fact]
    public async Task SignIn_DelayedRegimeUnknownIdentifier_ParallelGuessesAnswerLikeAnAccount()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        await RecordClientFailuresAsync(app, UnknownSubject(phone), 5, app.Time.GetUtcNow().AddHours(-1));

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PostSignInAsync(app, phone, "wrong-password-1")));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(9, responses.Count(r => r.StatusCode == (HttpStatusCode)429));
        Assert.Equal(6, (await ClientFailuresAsync(app, UnknownSubject(phone))).Client.Count);
    }

    [Fact]
    public async Task SignIn_DelayedRegime_CorrectPasswordAfterWait_SucceedsAndClears()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var device = NewDeviceId();
        var account = await SeedAsync(app, phone: phone, change: a => WithKnownDevice(a, device, a.CreatedAt) with { ConsecutiveFailedSignIns = 99, LastFailedSignInAt = app.Time.GetUtcNow().AddHours(-1) });

        var response = await PostSignInAsync(app, phone, deviceId: device);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await app.Services.GetRequiredService<IAccountStore>().GetAsync(account.Id);
        Assert.Equal((0, (DateTimeOffset?)null), (stored!.Value.ConsecutiveFailedSignIns, stored.Value.LastFailedSignInAt));
    }

    [Fact]
    public async Task SignIn_AtHundredOwnClientFailures_ResetRequiredOnlyWithCorrectPassword()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        var device = NewDeviceId();
        await SeedAsync(app, phone: phone, change: a => WithKnownDevice(a, device, a.CreatedAt) with { ConsecutiveFailedSignIns = 100, LastFailedSignInAt = app.Time.GetUtcNow().AddHours(-1) });

        var wrong = await PostSignInAsync(app, phone, "wrong-password-1", deviceId: device);
        await ProblemAssert.IsProblem(wrong, HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
        var throttled = await ProblemAssert.IsProblem(await PostSignInAsync(app, phone, deviceId: device), (HttpStatusCode)429, AccountErrors.SignInThrottledCode);
        app.Time.Advance(TimeSpan.FromMinutes(15));
        var right = await PostSignInAsync(app, phone, deviceId: device);

        Assert.Equal(900, throttled.GetProperty("retryAfterSeconds").GetInt32());
        await ProblemAssert.IsProblem(right, HttpStatusCode.Forbidden, AccountErrors.PasswordResetRequiredCode);
    }

    [Fact]
    public async Task SignIn_PerIpCap_RateLimited()
    {
        await using var app = await TestApp.StartAsync(TestApp.BehindFrontEnd(new Dictionary<string, string?> { ["SignIn:PerIpPerHour"] = "3" }));
        var phone = NewPhone();
        await SeedAsync(app, phone: phone);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(app, phone, ip: "203.0.113.9")).StatusCode);
        }

        var limited = await PostSignInAsync(app, phone, ip: "203.0.113.9");
        var otherIp = await PostSignInAsync(app, phone, ip: "203.0.113.10");

        var json = await ProblemAssert.IsProblem(limited, (HttpStatusCode)429, "rate_limited");
        Assert.True(json.GetProperty("retryAfterSeconds").GetInt32() > 0);
        Assert.Equal(HttpStatusCode.OK, otherIp.StatusCode);
    }

    [Fact]
    public async Task SignIn_MissingFields_ValidationFailedWithField()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.PostAsync("/api/auth/sign-in", JsonContent(new { identifier = (string?)null }));
        var noPassword = await app.Client.PostAsync("/api/auth/sign-in", JsonContent(new { identifier = NewPhone() }));

        var json = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("identifier", json.GetProperty("field").GetString());
        var json2 = await ProblemAssert.IsProblem(noPassword, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("password", json2.GetProperty("field").GetString());
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private static string WithoutTraceId(JsonElement problem)
    {
        var node = JsonNode.Parse(problem.GetRawText())!.AsObject();
        node.Remove("traceId");
        return node.ToJsonString();
    }

    private static async Task<double> TimeAsync(Func<Task<HttpResponseMessage>> call)
    {
        var watch = Stopwatch.StartNew();
        using var response = await call();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[sorted.Count / 2] + sorted[(sorted.Count - 1) / 2]) / 2;
    }
}
