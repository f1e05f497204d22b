using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using Rebind.Core.Security;
using Rebind.Functions.Tests.Infrastructure;
using Xunit.Abstractions;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

/// <summary>
/// Known and unknown identifiers on every sign-in-page entry point answer alike: status, headers, body shape, and
/// the median time within 10 % (interleaved samples, see <see cref="SignInPage.AssertSameTimeAsync"/>).
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class EnumerationTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> HighLimits = new()
    {
        ["RateLimits:SmsPerDestinationPerHour"] = "100000",
        ["RateLimits:SmsPerDestinationPerDay"] = "100000",
        ["RateLimits:EmailPerDestinationPerHour"] = "100000",
        ["RateLimits:EmailPerDestinationPerDay"] = "100000",
        ["RateLimits:FlowStartsPerIpPerHour"] = "100000000",
        ["SignIn:PerIpPerHour"] = "100000000",
    };

    private static Dictionary<string, string?> With(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>(HighLimits);
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        return settings;
    }

    private static Action<HttpResponseMessage> Is(HttpStatusCode status) => r => Assert.Equal(status, r.StatusCode);

    // --- POST /api/auth/sign-in ---

    [Fact]
    public async Task SignIn_EmptyOrMissingPasswordsThenWrong_KnownAndUnknownAnswerAlikeAndNothingCounted()
    {
        await using var app = await TestApp.StartAsync();
        var (known, unknown) = (NewPhone(), NewPhone());
        var account = await SeedAsync(app, phone: known);

        async Task<List<HttpResponseMessage>> AttemptsAsync(string identifier)
        {
            var answers = new List<HttpResponseMessage>();
            for (var i = 0; i < 5; i++)
            {
                object body = i % 2 == 0 ? new { identifier, password = "" } : new { identifier };
                answers.Add(await app.Client.PostAsJsonAsync("/api/auth/sign-in", body));
            }
            answers.Add(await app.Client.PostAsJsonAsync("/api/auth/sign-in", new { identifier, password = 12345 }));
            answers.Add(await PostSignInAsync(app, identifier, "wrong-password-1"));
            return answers;
        }

        var forKnown = await AttemptsAsync(known);
        var forUnknown = await AttemptsAsync(unknown);

        for (var i = 0; i < forKnown.Count; i++)
        {
            await SignInPage.AssertAlikeAsync(forKnown[i], forUnknown[i]);
        }
        var missing = await ProblemAssert.IsProblem(forKnown[0], HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("password", missing.GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, forKnown[5].StatusCode);
        await ProblemAssert.IsProblem(forKnown[^1], HttpStatusCode.Unauthorized, AccountErrors.InvalidCredentialsCode);
        // Rejected before any lookup: neither counter moved but for the one wrong password, counted for this client on
        // both alike (a stranger's failure is not the account's own).
        var stored = await app.Services.GetRequiredService<IAccountStore>().GetAsync(account.Id);
        Assert.Equal(0, stored!.Value.ConsecutiveFailedSignIns);
        Assert.Equal(1, (await ClientFailuresAsync(app, AccountSubject(account))).Client.Count);
        Assert.Equal(1, (await ClientFailuresAsync(app, UnknownSubject(unknown))).Client.Count);
    }

    [Fact]
    public async Task SignIn_WrongPassword_KnownAndUnknownAlikeInTime()
    {
        await using var app = await TestApp.StartAsync(With(("SignIn:FreeFailures", "100000"), ("SignIn:FailureCeiling", "100000"), ("SignIn:AccountFreeFailures", "100000")));
        var known = NewPhone();
        await SeedAsync(app, phone: known);
        var unknown = NewPhone();

        await SignInPage.AssertAlikeAsync(await PostSignInAsync(app, known, "wrong-password-1"), await PostSignInAsync(app, unknown, "wrong-password-1"));
        await SignInPage.AssertSameTimeAsync(output, "sign-in 401",
            () => PostSignInAsync(app, known, "wrong-password-1"), () => PostSignInAsync(app, unknown, "wrong-password-1"),
            Is(HttpStatusCode.Unauthorized), samples: 25);
    }

    [Fact]
    public async Task SignIn_NewDeviceCheckOn_WrongPassword_KnownDeviceNewDeviceAndUnknownAccountAlike()
    {
        // Issue 15: before the password is verified, nothing may tell a known device from a new one, nor an account
        // from none. The known device's failures count on the account (growing delays from 100000 on here).
        await using var app = await TestApp.StartAsync(With(("SignIn:VerifyNewDevices", "true"),
            ("SignIn:FreeFailures", "100000"), ("SignIn:FailureCeiling", "100000"), ("SignIn:AccountFreeFailures", "100000")));
        var known = NewPhone();
        await SeedAsync(app, phone: known);
        var unknown = NewPhone();
        var newDevice = NewDeviceId();

        Task<HttpResponseMessage> FromKnownDevice() => PostSignInAsync(app, known, "wrong-password-1", deviceId: TestDeviceId);
        Task<HttpResponseMessage> FromNewDevice() => PostSignInAsync(app, known, "wrong-password-1", deviceId: newDevice);
        Task<HttpResponseMessage> NoAccount() => PostSignInAsync(app, unknown, "wrong-password-1", deviceId: newDevice);

        await SignInPage.AssertAlikeAsync(await FromKnownDevice(), await NoAccount());
        await SignInPage.AssertAlikeAsync(await FromNewDevice(), await NoAccount());
        await SignInPage.AssertSameTimeAsync(output, "sign-in 401, known device vs no account", FromKnownDevice, NoAccount, Is(HttpStatusCode.Unauthorized), samples: 25);
        await SignInPage.AssertSameTimeAsync(output, "sign-in 401, new device vs no account", FromNewDevice, NoAccount, Is(HttpStatusCode.Unauthorized), samples: 25);
        Assert.DoesNotContain(await SignInPage.KindsAsync(new FlowClient(app.Client), known), k => k == Rebind.Core.Messaging.MessageKinds.DeviceSignInCode);
    }

    [Fact]
    public async Task SignIn_Throttled_KnownAndUnknownAlikeInTime()
    {
        await using var app = await TestApp.StartAsync(HighLimits);
        var now = app.Time.GetUtcNow();
        var known = NewPhone();
        var account = await SeedAsync(app, phone: known);
        var unknown = NewPhone();
        await RecordClientFailuresAsync(app, AccountSubject(account), 9, now);
        await RecordClientFailuresAsync(app, UnknownSubject(unknown), 9, now);

        var a = await PostSignInAsync(app, known, "wrong-password-1");
        var b = await PostSignInAsync(app, unknown, "wrong-password-1");

        await ProblemAssert.IsProblem(a, (HttpStatusCode)429, AccountErrors.SignInThrottledCode);
        await SignInPage.AssertAlikeAsync(a, b);
        await SignInPage.AssertSameTimeAsync(output, "sign-in 429",
            () => PostSignInAsync(app, known, "wrong-password-1"), () => PostSignInAsync(app, unknown, "wrong-password-1"),
            Is((HttpStatusCode)429));
    }

    [Fact]
    public async Task SignIn_StrangersFromManyClients_KnownAndUnknownAnswerAlike()
    {
        await using var app = await TestApp.StartAsync(TestApp.BehindFrontEnd(With(
            ("SignIn:FreeFailures", "3"), ("SignIn:AccountFreeFailures", "8"), ("SignIn:NoticeAfterFailures", "4"))));
        var known = NewPhone();
        await SeedAsync(app, phone: known, email: NewEmail());
        var unknown = NewPhone();
        // One client past its own count (a), then others until all of them together are past theirs (e), a wait, one
        // more checked guess and the doubled wait; every attempt with a device id never seen. The known account's owner
        // is also told along the way (after 4), which must not show either.
        string[] clients = ["a", "a", "a", "a", "b", "b", "c", "c", "d", "e", "+30s", "f", "g"];
        var answers = new List<string>();
        foreach (var client in clients)
        {
            if (client == "+30s")
            {
                app.Time.Advance(TimeSpan.FromSeconds(30));
                continue;
            }

            var ip = "203.0.113." + (client[0] - 'a' + 1);
            var a = await PostSignInAsync(app, known, "wrong-password-1", ip: ip, deviceId: NewDeviceId());
            var b = await PostSignInAsync(app, unknown, "wrong-password-1", ip: ip, deviceId: NewDeviceId());
            await SignInPage.AssertAlikeAsync(a, b);
            var json = JsonDocument.Parse(await a.Content.ReadAsStringAsync()).RootElement;
            answers.Add($"{client}:{(int)a.StatusCode}:{(json.TryGetProperty("retryAfterSeconds", out var r) ? r.GetInt32() : 0)}");
        }

        Assert.Equal(["a:401:0", "a:401:0", "a:401:0", "a:429:30", "b:401:0", "b:401:0", "c:401:0", "c:401:0", "d:401:0", "e:429:30", "f:401:0", "g:429:60"], answers);
    }

    [Fact]
    public async Task SignIn_ThrottledByAllStrangersTogether_KnownAndUnknownAlikeInTime()
    {
        await using var app = await TestApp.StartAsync(With(("SignIn:AccountFreeFailures", "5")));
        var now = app.Time.GetUtcNow();
        var known = NewPhone();
        var account = await SeedAsync(app, phone: known);
        var unknown = NewPhone();
        for (var i = 0; i < 9; i++)
        {
            // Other clients' failures: this client (127.0.0.1) has none of its own.
            await RecordClientFailuresAsync(app, AccountSubject(account), 1, now, ip: $"198.51.100.{i}");
            await RecordClientFailuresAsync(app, UnknownSubject(unknown), 1, now, ip: $"198.51.100.{i}");
        }

        var a = await PostSignInAsync(app, known, "wrong-password-1");
        var b = await PostSignInAsync(app, unknown, "wrong-password-1");

        await ProblemAssert.IsProblem(a, (HttpStatusCode)429, AccountErrors.SignInThrottledCode);
        await SignInPage.AssertAlikeAsync(a, b);
        await SignInPage.AssertSameTimeAsync(output, "sign-in 429 (all strangers)",
            () => PostSignInAsync(app, known, "wrong-password-1"), () => PostSignInAsync(app, unknown, "wrong-password-1"),
            Is((HttpStatusCode)429));
    }

    // --- POST /api/signup ---

    [Fact]
    public async Task SignUp_BoundAndFreeNumber_AlikeAtStartInTime()
    {
        await using var app = await TestApp.StartAsync(HighLimits);
        var bound = NewPhone();
        await SeedAsync(app, phone: bound);
        var free = NewPhone();
        Task<HttpResponseMessage> Start(string phone) => app.Client.PostAsJsonAsync("/api/signup", new { phone });

        await SignInPage.AssertAlikeAsync(await Start(bound), await Start(free), bound, free);
        await SignInPage.AssertSameTimeAsync(output, "sign-up start", () => Start(bound), () => Start(free), Is(HttpStatusCode.Created));
    }

    // --- POST /api/password/reset ---

    [Fact]
    public async Task Reset_KnownAndUnknown_AlikeInTime()
    {
        await using var app = await TestApp.StartAsync(HighLimits);
        var known = NewPhone();
        await SeedAsync(app, phone: known, email: NewEmail());
        var unknown = NewPhone();

        await SignInPage.AssertAlikeAsync(await SignInPage.StartAsync(app, "/api/password/reset", known), await SignInPage.StartAsync(app, "/api/password/reset", unknown), known, unknown);
        await SignInPage.AssertSameTimeAsync(output, "password reset start",
            () => SignInPage.StartAsync(app, "/api/password/reset", known), () => SignInPage.StartAsync(app, "/api/password/reset", unknown), Is(HttpStatusCode.Created));
    }

    [Fact]
    public async Task Reset_NumberThatSignedUpThisHour_LimitAnswersLikeUnknownNumber()
    {
        await using var app = await TestApp.StartAsync();
        var known = NewPhone();
        await SeedAsync(app, phone: known);
        var unknown = NewPhone();
        // The account's own sign-up within the hour: its SMS went to the number.
        Assert.Equal(HttpStatusCode.Created, (await app.Client.PostAsJsonAsync("/api/signup", new { phone = known })).StatusCode);

        for (var i = 0; i < 10; i++)
        {
            var a = await SignInPage.StartAsync(app, "/api/password/reset", known);
            var b = await SignInPage.StartAsync(app, "/api/password/reset", unknown);
            Assert.True(a.StatusCode == HttpStatusCode.Created, $"reset {i + 1} for the known number: {(int)a.StatusCode} {await a.Content.ReadAsStringAsync()}");
            await SignInPage.AssertAlikeAsync(a, b, known, unknown);
        }

        var limitedKnown = await SignInPage.StartAsync(app, "/api/password/reset", known);
        var limitedUnknown = await SignInPage.StartAsync(app, "/api/password/reset", unknown);
        await ProblemAssert.IsProblem(limitedKnown, HttpStatusCode.TooManyRequests, "rate_limited");
        await SignInPage.AssertAlikeAsync(limitedKnown, limitedUnknown, known, unknown);
    }

    // --- POST /api/recovery/phone/email ---

    [Fact]
    public async Task RecoveryByEmail_KnownAndUnknown_AlikeInTime()
    {
        await using var app = await TestApp.StartAsync(HighLimits);
        var known = NewPhone();
        await SeedAsync(app, phone: known, email: NewEmail());
        var unknown = NewPhone();
        const string path = "/api/recovery/phone/email";

        await SignInPage.AssertAlikeAsync(await SignInPage.StartAsync(app, path, known), await SignInPage.StartAsync(app, path, unknown), known, unknown);
        await SignInPage.AssertSameTimeAsync(output, "recovery by email start",
            () => SignInPage.StartAsync(app, path, known), () => SignInPage.StartAsync(app, path, unknown), Is(HttpStatusCode.Created));
    }

    [Fact]
    public async Task RecoveryByEmail_LimitFollowsWhatWasTyped_NotTheBoundEmail()
    {
        await using var app = await TestApp.StartAsync();
        var (known, email) = (NewPhone(), NewEmail());
        await SeedAsync(app, phone: known, email: email);
        var unknown = NewPhone();
        const string path = "/api/recovery/phone/email";
        // Someone fills the bound email's limit by typing the email itself.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await SignInPage.StartAsync(app, path, email)).StatusCode);
        }

        // Typing the phone must not show that it leads to that email.
        await SignInPage.AssertAlikeAsync(await SignInPage.StartAsync(app, path, known), await SignInPage.StartAsync(app, path, unknown), known, unknown);
    }

    // --- POST /api/recovery/phone/questions ---

    [Fact]
    public async Task RecoveryByQuestions_KnownAndUnknown_AlikeInTime()
    {
        await using var app = await TestApp.StartAsync(With(("Recovery:SecurityQuestionsEnabled", "true")));
        var known = NewPhone();
        var hash = SecurityAnswers.Hash(app.Services.GetRequiredService<PasswordHasher>(), "answer");
        await SeedAsync(app, phone: known, change: a => a with
        {
            SecurityQuestions = [.. new[] { "first_car", "first_job_company", "first_concert" }.Select(id => new SecurityQuestion(id, id, hash))],
        });
        var unknown = NewPhone();
        const string path = "/api/recovery/phone/questions";

        await SignInPage.AssertAlikeAsync(await SignInPage.StartAsync(app, path, known), await SignInPage.StartAsync(app, path, unknown), known, unknown);
        await SignInPage.AssertSameTimeAsync(output, "recovery by questions start",
            () => SignInPage.StartAsync(app, path, known), () => SignInPage.StartAsync(app, path, unknown), Is(HttpStatusCode.Created));
    }

    [Fact]
    public async Task RecoveryByQuestions_DecoysDrawnFromTheCatalogueLikeRealChoices_InTheCallersLanguage()
    {
        await using var app = await TestApp.StartAsync(With(("Recovery:SecurityQuestionsEnabled", "true")));
        var client = await MeClientAsync(app);
        // A real account picks questions by catalogue id, any three.
        var put = await SendAsync(app, HttpMethod.Put, "/api/me/security-questions", client.Token, new
        {
            questions = new[] { "first_concert", "best_friend_childhood", "first_job_company" }.Select(id => new { questionId = id, answer = "x" }),
        });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var freeText = await SendAsync(app, HttpMethod.Put, "/api/me/security-questions", client.Token, new
        {
            questions = new[] { "Pet?", "City?", "School?" }.Select(q => new { question = q, answer = "x" }),
        });
        await ProblemAssert.IsProblem(freeText, HttpStatusCode.BadRequest, AccountErrors.InvalidSecurityQuestionsCode);

        var real = Questions(await FlowClient.OkJson(await SignInPage.StartAsync(app, "/api/recovery/phone/questions", client.Phone)));
        var seen = new HashSet<string>();
        for (var i = 0; i < 40; i++)
        {
            var decoys = Questions(await FlowClient.OkJson(await SignInPage.StartAsync(app, "/api/recovery/phone/questions", NewPhone())));
            Assert.Equal(3, decoys.Count);
            Assert.Equal(decoys.Select(q => SecurityQuestionCatalogue.IndexOf(q.Id)).Order(), decoys.Select(q => SecurityQuestionCatalogue.IndexOf(q.Id)));
            Assert.All(decoys, q => Assert.Equal(SecurityQuestionCatalogue.Text(q.Id, "en"), q.Question));
            seen.UnionWith(decoys.Select(q => q.Id));
        }

        Assert.Equal(["first_job_company", "best_friend_childhood", "first_concert"], real.Select(q => q.Id));
        // Every catalogue question turns up among decoys: none shown to a real account gives it away.
        Assert.Equal(SecurityQuestionCatalogue.Ids.Order(), seen.Order());
        // +86 numbers asked in English see English decoys; in Chinese, Chinese ones.
        var chinese = new HttpRequestMessage(HttpMethod.Post, "/api/recovery/phone/questions") { Content = JsonContent.Create(new { identifier = NewPhone() }) };
        chinese.Headers.AcceptLanguage.ParseAdd("zh-CN");
        var zh = Questions(await FlowClient.OkJson(await app.Client.SendAsync(chinese)));
        Assert.All(zh, q => Assert.Equal(SecurityQuestionCatalogue.Text(q.Id, "zh-CN"), q.Question));
    }

    // --- POST /api/recovery/no-access and /api/recovery/cancel ---

    [Fact]
    public async Task NoAccess_KnownAndUnknown_AlikeInTime()
    {
        await using var app = await TestApp.StartAsync(HighLimits);
        var known = NewPhone();
        await SeedAsync(app, phone: known, email: NewEmail());
        var unknown = NewPhone();
        const string path = "/api/recovery/no-access";

        await SignInPage.AssertAlikeAsync(await SignInPage.StartAsync(app, path, known), await SignInPage.StartAsync(app, path, unknown));
        await SignInPage.AssertSameTimeAsync(output, "no-access",
            () => SignInPage.StartAsync(app, path, known), () => SignInPage.StartAsync(app, path, unknown), Is(HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Cancel_CodeOfAnExistingFlowAndOfNone_AlikeInTime()
    {
        await using var app = await TestApp.StartAsync(With(("Recovery:SecurityQuestionsEnabled", "true")));
        var known = NewPhone();
        await SeedAsync(app, phone: known, email: NewEmail());
        // A real flow (not cooling off) and a flow id nobody has; the same well-formed cancel code shape.
        var flowId = await SignInPage.StartedAsync(app, "/api/recovery/phone/questions", known);
        var other = Rebind.Core.Flows.FlowIds.New();
        Task<HttpResponseMessage> Cancel(string id) => SignInPage.PostAsync(app, "/api/recovery/cancel", new { code = $"{id}.ABCDEFGHJKMNPQRS" });

        var a = await Cancel(flowId);
        await ProblemAssert.IsProblem(a, HttpStatusCode.BadRequest, FlowErrorCodes.InvalidCancelCode);
        await SignInPage.AssertAlikeAsync(a, await Cancel(other));
        await SignInPage.AssertSameTimeAsync(output, "cancel", () => Cancel(flowId), () => Cancel(other), Is(HttpStatusCode.BadRequest));
    }

    private static async Task<(string Token, string Phone)> MeClientAsync(TestApp app)
    {
        var phone = NewPhone();
        await SeedAsync(app, phone: phone);
        var (token, _) = await SignInAsync(app, phone);
        return (token, phone);
    }

    private static List<(string Id, string Question)> Questions(JsonElement view) =>
        view.GetProperty("questions").EnumerateArray().Select(q => (q.GetProperty("id").GetString()!, q.GetProperty("question").GetString()!)).ToList();
}
