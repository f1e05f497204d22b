using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using Rebind.Core.Security;
using Rebind.Functions.Tests.Durable;
using Rebind.Functions.Tests.Infrastructure;
using static Rebind.Functions.Tests.Infrastructure.Accounts;

namespace Rebind.Functions.Tests;

public sealed partial class PhoneRecoveryApiTests
{
    private const string ByEmail = "/api/recovery/phone/email";
    private const string ByQuestions = "/api/recovery/phone/questions";

    private static readonly Dictionary<string, string?> QuestionsOn = new() { ["Recovery:SecurityQuestionsEnabled"] = "true" };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RecoverByEmail_HappyPath_RebindsEndsSessionsAndNotifies(bool startWithPhone)
    {
        await using var app = await TestApp.StartAsync();
        var client = new FlowClient(app.Client);
        var (oldPhone, email, newPhone) = (NewPhone(), NewEmail(), NewPhone());
        var account = await SeedAsync(app, oldPhone, email);
        var (before, _) = await SignInAsync(app, oldPhone);

        var started = await SignInPage.StartAsync(app, ByEmail, startWithPhone ? oldPhone : email);
        var view = await FlowClient.OkJson(started);
        var flowId = view.GetProperty("flowId").GetString()!;
        Assert.Equal("recover_phone_by_email", view.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("destination").ValueKind);
        Assert.Empty(await client.InboxAsync(oldPhone));
        Assert.Equal(["recovery_email_code"], await SignInPage.KindsAsync(client, email));

        var confirmed = await FlowClient.OkJson(await client.SubmitCodeAsync(flowId, await client.LatestCodeAsync(email)));
        Assert.Equal("phone", confirmed.GetProperty("next").GetString());
        var phoneSent = await FlowClient.OkJson(await SignInPage.PostAsync(app, $"/api/flows/{flowId}/phone", new { phone = newPhone }));
        Assert.Equal("code", phoneSent.GetProperty("next").GetString());
        var done = await FlowClient.OkJson(await client.SubmitCodeAsync(flowId, await client.LatestCodeAsync(newPhone)));

        Assert.Equal("completed", done.GetProperty("state").GetString());
        Assert.Equal(newPhone, (await app.Services.GetRequiredService<IAccountStore>().GetAsync(account.Id))!.Value.Phone);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, HttpMethod.Get, "/api/me", before)).StatusCode);
        Assert.Equal(["phone_unbound_notice"], await SignInPage.KindsAsync(client, oldPhone));
        Assert.Equal(["phone_changed_notice", "recovery_email_code"], await SignInPage.KindsAsync(client, email));
        await ProblemAssert.IsProblem(await PostSignInAsync(app, oldPhone), HttpStatusCode.Unauthorized, "invalid_credentials");
        await JsonAsync(await PostSignInAsync(app, newPhone));
    }

    [Theory]
    [InlineData("unknown phone")]
    [InlineData("unknown email")]
    [InlineData("phone without email")]
    public async Task RecoverByEmail_NoAccountOrNoEmail_SameAnswerAndNothingSent(string unknownCase)
    {
        await using var app = await TestApp.StartAsync();
        var client = new FlowClient(app.Client);
        var (knownPhone, email) = (NewPhone(), NewEmail());
        await SeedAsync(app, knownPhone, email);
        var noEmailPhone = NewPhone();
        await SeedAsync(app, noEmailPhone);
        var other = unknownCase switch
        {
            "unknown phone" => NewPhone(),
            "unknown email" => NewEmail(),
            _ => noEmailPhone,
        };
        var known = other.Contains('@') ? email : knownPhone;

        var a = await SignInPage.StartAsync(app, ByEmail, known);
        var b = await SignInPage.StartAsync(app, ByEmail, other);

        Assert.Equal(SignInPage.Shape(a), SignInPage.Shape(b));
        Assert.Equal(await SignInPage.NormalizedAsync(a), await SignInPage.NormalizedAsync(b));
        Assert.Single(await client.InboxAsync(email));
        Assert.Empty(await client.InboxAsync(other));
        var (idA, idB) = (a.Headers.Location!.ToString()[11..], b.Headers.Location!.ToString()[11..]);
        var wrongA = await client.SubmitCodeAsync(idA, "000000");
        var wrongB = await client.SubmitCodeAsync(idB, "000000");
        Assert.Equal(await SignInPage.NormalizedAsync(wrongA), await SignInPage.NormalizedAsync(wrongB));
        Assert.Empty(await client.InboxAsync(knownPhone));
    }

    [Fact]
    public async Task RecoverByEmail_NewPhoneBoundElsewhere_RefusedOnlyAfterTheCode()
    {
        await using var app = await TestApp.StartAsync();
        var client = new FlowClient(app.Client);
        var (oldPhone, email, taken) = (NewPhone(), NewEmail(), NewPhone());
        var account = await SeedAsync(app, oldPhone, email);
        await SeedAsync(app, taken);
        var flowId = await SignInPage.StartedAsync(app, ByEmail, email);
        await FlowClient.OkJson(await client.SubmitCodeAsync(flowId, await client.LatestCodeAsync(email)));

        var submitted = await SignInPage.PostAsync(app, $"/api/flows/{flowId}/phone", new { phone = taken });
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        await ProblemAssert.IsProblem(await client.SubmitCodeAsync(flowId, "000000"), HttpStatusCode.BadRequest, FlowErrorCodes.InvalidCode);
        await ProblemAssert.IsProblem(await client.SubmitCodeAsync(flowId, await client.LatestCodeAsync(taken)), HttpStatusCode.Conflict, FlowErrorCodes.PhoneAlreadyBound);

        Assert.Equal("failed", (await client.GetFlowAsync(flowId)).GetProperty("state").GetString());
        Assert.Equal(oldPhone, (await app.Services.GetRequiredService<IAccountStore>().GetAsync(account.Id))!.Value.Phone);
        await ProblemAssert.IsProblem(await SignInPage.PostAsync(app, $"/api/flows/{flowId}/phone", new { phone = NewPhone() }), HttpStatusCode.Gone, FlowErrorCodes.FlowFailed);
    }

    [Fact]
    public async Task RecoverByQuestions_DisabledByDefault_403()
    {
        await using var app = await TestApp.StartAsync();
        var phone = NewPhone();
        await SeedAsync(app, phone, NewEmail());

        await ProblemAssert.IsProblem(await SignInPage.StartAsync(app, ByQuestions, phone), HttpStatusCode.Forbidden, "recovery_method_disabled");
    }

    [Fact]
    public async Task RecoverByQuestions_ShowsQuestions_DecoysStableForUnknown()
    {
        await using var app = await TestApp.StartAsync(QuestionsOn);
        var phone = NewPhone();
        var account = await SeedWithQuestionsAsync(app, phone, NewEmail());
        var unknown = NewPhone();

        var real = await FlowClient.OkJson(await SignInPage.StartAsync(app, ByQuestions, phone));
        var decoy1 = await FlowClient.OkJson(await SignInPage.StartAsync(app, ByQuestions, unknown));
        var decoy2 = await FlowClient.OkJson(await SignInPage.StartAsync(app, ByQuestions, unknown));

        Assert.Equal(account.SecurityQuestions.Select(q => SecurityQuestionCatalogue.Text(q.Id, "en")), Questions(real).Select(q => q.Question));
        Assert.Equal("answers", real.GetProperty("next").GetString());
        Assert.Equal(3, Questions(decoy1).Count);
        Assert.Equal(Questions(decoy1), Questions(decoy2));
        Assert.All(Questions(decoy1), q => Assert.True(SecurityQuestionCatalogue.Contains(q.Id), q.Id));
        Assert.Equal(Questions(decoy1), Questions(await new FlowClient(app.Client).GetFlowAsync(decoy1.GetProperty("flowId").GetString()!)));
        var decoyAnswer = await SignInPage.PostAsync(app, $"/api/flows/{decoy1.GetProperty("flowId").GetString()}/answers",
            new { answers = Questions(decoy1).Select(q => new { questionId = q.Id, answer = "Mimi" }) });
        await ProblemAssert.IsProblem(decoyAnswer, HttpStatusCode.BadRequest, FlowErrorCodes.SecurityAnswersIncorrect);
    }

    [Fact]
    public async Task RecoverByQuestions_BlankOrMissingAnswer_400ValidationFailedAndNoAttemptSpent()
    {
        await using var app = await TestApp.StartAsync(QuestionsOn);
        var phone = NewPhone();
        var account = await SeedWithQuestionsAsync(app, phone, NewEmail());
        var flowId = await SignInPage.StartedAsync(app, ByQuestions, phone);
        var questionId = account.SecurityQuestions[0].Id;

        var blank = await ProblemAssert.IsProblem(await AnswerAsync(app, flowId, account, "  "), HttpStatusCode.BadRequest, "validation_failed");
        var missing = await ProblemAssert.IsProblem(
            await SignInPage.PostAsync(app, $"/api/flows/{flowId}/answers", new { answers = new object[] { new { questionId } } }), HttpStatusCode.BadRequest, "validation_failed");
        var noId = await ProblemAssert.IsProblem(
            await SignInPage.PostAsync(app, $"/api/flows/{flowId}/answers", new { answers = new object[] { new { answer = "Mimi" } } }), HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal("answers[0].answer", blank.GetProperty("field").GetString());
        Assert.Equal("answers[0].answer", missing.GetProperty("field").GetString());
        Assert.Equal("answers[0].questionId", noId.GetProperty("field").GetString());
        // Nothing was spent: a wrong answer now still has the full count behind it.
        var wrong = await ProblemAssert.IsProblem(await AnswerAsync(app, flowId, account, "wrong"), HttpStatusCode.BadRequest, FlowErrorCodes.SecurityAnswersIncorrect);
        Assert.Equal(2, wrong.GetProperty("attemptsLeft").GetInt32());
    }

    [Fact]
    public async Task RecoverByQuestions_ThreeWrongAnswers_EndTheFlow()
    {
        await using var app = await TestApp.StartAsync(QuestionsOn);
        var phone = NewPhone();
        var account = await SeedWithQuestionsAsync(app, phone, NewEmail());
        var flowId = await SignInPage.StartedAsync(app, ByQuestions, phone);

        var first = await ProblemAssert.IsProblem(await AnswerAsync(app, flowId, account, "wrong"), HttpStatusCode.BadRequest, FlowErrorCodes.SecurityAnswersIncorrect);
        var second = await ProblemAssert.IsProblem(await AnswerAsync(app, flowId, account, "wrong"), HttpStatusCode.BadRequest, FlowErrorCodes.SecurityAnswersIncorrect);
        await ProblemAssert.IsProblem(await AnswerAsync(app, flowId, account, "wrong"), HttpStatusCode.TooManyRequests, FlowErrorCodes.TooManyAttempts);

        Assert.Equal(2, first.GetProperty("attemptsLeft").GetInt32());
        Assert.Equal(1, second.GetProperty("attemptsLeft").GetInt32());
        await ProblemAssert.IsProblem(await AnswerAsync(app, flowId, account, "Mimi"), HttpStatusCode.Gone, FlowErrorCodes.FlowFailed);
    }

    [Fact]
    public async Task RecoverByQuestions_TwentyParallelWrongAnswers_OnlyTheAttemptsLeftAreHashed()
    {
        await using var app = await TestApp.StartAsync(QuestionsOn);
        var phone = NewPhone();
        var account = await SeedWithQuestionsAsync(app, phone, NewEmail());
        var flowId = await SignInPage.StartedAsync(app, ByQuestions, phone);
        var factory = app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        long hashed = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == "rebind.recovery.answer_hashes")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref hashed, value));
        listener.Start();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => AnswerAsync(app, flowId, account, "wrong")));

        // Each attempt is counted before its three answers are hashed: 3 attempts, 9 PBKDF2 runs, not 60.
        Assert.Equal(3 * 3, Interlocked.Read(ref hashed));
        var codes = await Task.WhenAll(answers.Select(async r => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString()));
        // The 17 that found no attempt left were refused before hashing; when the 3 hashed ones finished, every
        // attempt was spent, so the flow failed.
        Assert.True(codes.Count(c => c == FlowErrorCodes.TooManyAttempts) >= 17, string.Join(",", codes));
        Assert.DoesNotContain(answers, r => r.IsSuccessStatusCode);
        Assert.Equal("failed", (await new FlowClient(app.Client).GetFlowAsync(flowId)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task RecoverByQuestions_GuessesAcrossFlows_LockedUntilOwnerSignsInRecordedAndNotified()
    {
        await using var app = await TestApp.StartAsync(QuestionsOn);
        var (phone, email) = (NewPhone(), NewEmail());
        var account = await SeedWithQuestionsAsync(app, phone, email);

        // Two flows of three wrong guesses each: six failures on the account, the per-account limit.
        for (var flow = 0; flow < 2; flow++)
        {
            var flowId = await SignInPage.StartedAsync(app, ByQuestions, phone);
            for (var i = 0; i < 3; i++)
            {
                Assert.False((await AnswerAsync(app, flowId, account, "wrong")).IsSuccessStatusCode);
            }
        }
        // Locked: even the right answers fail now, exactly as for a decoy.
        var locked = await SignInPage.StartedAsync(app, ByQuestions, phone);
        await ProblemAssert.IsProblem(await AnswerAsync(app, locked, account, "Mimi"), HttpStatusCode.BadRequest, FlowErrorCodes.SecurityAnswersIncorrect);

        var notice = Assert.Single(await AccountFlows.MessagesAsync(app, email, "security_notice"));
        Assert.Contains("locked", notice.GetProperty("text").GetString());
        Assert.Single(await AccountFlows.MessagesAsync(app, phone, "security_notice"));

        // The owner signs in: the history shows every attempt, and the method opens again.
        var (token, _) = await SignInAsync(app, phone);
        var history = await AccountFlows.ActivityAsync(app, token);
        Assert.Equal(7, history.Count(e => e.Type == "security_answers"));
        Assert.Contains(history, e => e is { Type: "security_answers", Outcome: "locked" });
        var reopened = await SignInPage.StartedAsync(app, ByQuestions, phone);
        Assert.Equal(HttpStatusCode.OK, (await AnswerAsync(app, reopened, account, "Mimi")).StatusCode);
    }

    [Fact]
    public async Task RecoverByQuestions_CoolOffNotCancelled_TheTimerAtItsEndAppliesTheChange()
    {
        // The app's clock starts so that the 72-hour cool-off ends a few seconds from now in real time: the durable timer
        // wakes the orchestration then (nothing else is sent to it), and the row's clock decides whether it is over.
        await using var app = await TestApp.StartAsync(QuestionsOn, clockStart: DateTimeOffset.UtcNow - TimeSpan.FromHours(72) + TimeSpan.FromSeconds(5));
        var client = new FlowClient(app.Client);
        var (oldPhone, email, newPhone) = (NewPhone(), NewEmail(), NewPhone());
        var account = await SeedWithQuestionsAsync(app, oldPhone, email);
        var (before, _) = await SignInAsync(app, oldPhone);
        var flowId = await ReachCoolOffAsync(app, client, oldPhone, account, newPhone);

        var pending = await client.GetFlowAsync(flowId);
        Assert.Equal("cooling_off", pending.GetProperty("state").GetString());
        Assert.Equal(app.Time.GetUtcNow().AddHours(72), pending.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(["security_change_pending_notice"], await SignInPage.KindsAsync(client, oldPhone));
        Assert.Equal(["security_change_pending_notice"], await SignInPage.KindsAsync(client, email));

        // One hour short by the row's clock when the timer fires: the orchestration looks, and waits on.
        app.Time.Advance(TimeSpan.FromHours(71));
        var instance = DurableApp.FlowInstance(flowId);
        await Task.Delay(TimeSpan.FromSeconds(8));
        Assert.Equal("cooling_off", (await client.GetFlowAsync(flowId)).GetProperty("state").GetString());
        Assert.Equal(oldPhone, (await app.Services.GetRequiredService<IAccountStore>().GetAsync(account.Id))!.Value.Phone);
        Assert.Equal(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Running, (await app.Durable().GetInstanceAsync(instance))!.RuntimeStatus);

        app.Time.Advance(TimeSpan.FromHours(1));
        var ended = await app.WaitUntilCompletedAsync(instance, TimeSpan.FromSeconds(30));

        Assert.Equal(new Rebind.Functions.Durable.FlowEnd("completed", null), ended.ReadOutputAs<Rebind.Functions.Durable.FlowEnd>());
        Assert.Equal("completed", (await client.GetFlowAsync(flowId)).GetProperty("state").GetString());
        Assert.Equal(newPhone, (await app.Services.GetRequiredService<IAccountStore>().GetAsync(account.Id))!.Value.Phone);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, HttpMethod.Get, "/api/me", before)).StatusCode);
        Assert.Equal(["phone_unbound_notice", "security_change_pending_notice"], await SignInPage.KindsAsync(client, oldPhone));
        Assert.Equal(["phone_changed_notice", "security_change_pending_notice"], await SignInPage.KindsAsync(client, email));
        await ProblemAssert.IsProblem(await PostSignInAsync(app, oldPhone), HttpStatusCode.Unauthorized, "invalid_credentials");
        await JsonAsync(await PostSignInAsync(app, newPhone));
    }

    [Fact]
    public async Task RecoverByQuestions_CancelledWithCode_NothingChangesAndTheOrchestrationEnds()
    {
        await using var app = await TestApp.StartAsync(QuestionsOn);
        var client = new FlowClient(app.Client);
        var (oldPhone, email, newPhone) = (NewPhone(), NewEmail(), NewPhone());
        var account = await SeedWithQuestionsAsync(app, oldPhone, email);
        var flowId = await ReachCoolOffAsync(app, client, oldPhone, account, newPhone);
        var text = (await client.InboxAsync(email))[0].GetProperty("text").GetString()!;
        var cancelCode = CancelCode().Match(text).Value;
        Assert.StartsWith(flowId + ".", cancelCode);

        // Invalid codes first: a wrong secret, garbage, an unknown flow, another kind's flow.
        await ProblemAssert.IsProblem(await CancelAsync(app, flowId + ".AAAAAAAAAAAAAAAA"), HttpStatusCode.BadRequest, FlowErrorCodes.InvalidCancelCode);
        await ProblemAssert.IsProblem(await CancelAsync(app, "nonsense"), HttpStatusCode.BadRequest, FlowErrorCodes.InvalidCancelCode);
        await ProblemAssert.IsProblem(await CancelAsync(app, FlowIds.New() + ".AAAAAAAAAAAAAAAA"), HttpStatusCode.BadRequest, FlowErrorCodes.InvalidCancelCode);
        var signUp = await client.StartedSignUpAsync(FlowClient.NewPhone());
        await ProblemAssert.IsProblem(await CancelAsync(app, signUp + ".AAAAAAAAAAAAAAAA"), HttpStatusCode.BadRequest, FlowErrorCodes.InvalidCancelCode);
        Assert.Equal("cooling_off", (await client.GetFlowAsync(flowId)).GetProperty("state").GetString());

        app.Time.Advance(TimeSpan.FromHours(5));
        var cancelled = await FlowClient.OkJson(await CancelAsync(app, " " + cancelCode[..33] + cancelCode[33..].ToLowerInvariant() + " "));
        Assert.Equal("cancelled", cancelled.GetProperty("state").GetString());
        // The cancel ended the orchestration's race with the cool-off's timer, 72 hours before it would fire.
        var ended = await app.WaitUntilCompletedAsync(DurableApp.FlowInstance(flowId), TimeSpan.FromSeconds(30));
        Assert.Equal("cancelled", ended.ReadOutputAs<Rebind.Functions.Durable.FlowEnd>()!.State);

        app.Time.Advance(TimeSpan.FromHours(72));
        await app.RunCleanupAsync();
        Assert.Equal("cancelled", (await client.GetFlowAsync(flowId)).GetProperty("state").GetString());
        Assert.Equal(oldPhone, (await app.Services.GetRequiredService<IAccountStore>().GetAsync(account.Id))!.Value.Phone);
        Assert.Null(await app.Services.GetRequiredService<IAccountStore>().FindAccountIdAsync(IdentifierKind.Phone, newPhone));
        Assert.Equal(["security_change_pending_notice"], await SignInPage.KindsAsync(client, oldPhone));
        await JsonAsync(await PostSignInAsync(app, oldPhone));
        // Used twice, or a wrong secret for the finished flow: the README's one answer, saying nothing about the flow.
        await ProblemAssert.IsProblem(await CancelAsync(app, cancelCode), HttpStatusCode.BadRequest, FlowErrorCodes.InvalidCancelCode);
        await ProblemAssert.IsProblem(await CancelAsync(app, flowId + ".AAAAAAAAAAAAAAAA"), HttpStatusCode.BadRequest, FlowErrorCodes.InvalidCancelCode);
    }

    private static async Task<string> ReachCoolOffAsync(TestApp app, FlowClient client, string oldPhone, Account account, string newPhone)
    {
        var flowId = await SignInPage.StartedAsync(app, ByQuestions, oldPhone);
        var answered = await FlowClient.OkJson(await AnswerAsync(app, flowId, account, "  MIMI "));
        Assert.Equal("phone", answered.GetProperty("next").GetString());
        await FlowClient.OkJson(await SignInPage.PostAsync(app, $"/api/flows/{flowId}/phone", new { phone = newPhone }));
        var coolingOff = await FlowClient.OkJson(await client.SubmitCodeAsync(flowId, await client.LatestCodeAsync(newPhone)));
        Assert.Equal("cooling_off", coolingOff.GetProperty("state").GetString());
        return flowId;
    }

    private static Task<HttpResponseMessage> AnswerAsync(TestApp app, string flowId, Account account, string answer) =>
        SignInPage.PostAsync(app, $"/api/flows/{flowId}/answers", new { answers = account.SecurityQuestions.Select(q => new { questionId = q.Id, answer }) });

    private static Task<HttpResponseMessage> CancelAsync(TestApp app, string code) =>
        SignInPage.PostAsync(app, "/api/recovery/cancel", new { code });

    private static Task<Account> SeedWithQuestionsAsync(TestApp app, string phone, string email) =>
        SeedAsync(app, phone, email, a => a with
        {
            SecurityQuestions = [.. new[] { "first_pet", "birth_city", "first_car" }.Select(id => new SecurityQuestion(id, id, AnswerHash.Value))],
        });

    private static readonly Lazy<string> AnswerHash = new(() => SecurityAnswers.Hash(new PasswordHasher(), "Mimi"));

    private static List<(string Id, string Question)> Questions(JsonElement view) =>
        view.GetProperty("questions").EnumerateArray().Select(q => (q.GetProperty("id").GetString()!, q.GetProperty("question").GetString()!)).ToList();

    [GeneratedRegex(@"[A-Za-z0-9_-]{32}\.[0-9A-Z]{16}")]
    private static partial Regex CancelCode();
}
