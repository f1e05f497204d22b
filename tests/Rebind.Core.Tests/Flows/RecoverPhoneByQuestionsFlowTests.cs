using Rebind.Core.Flows;
using Rebind.Core.Flows.PhoneRecoveryByQuestions;
using Rebind.Core.Messaging;
using K = Rebind.Core.Tests.Flows.AccountFlowKit;

namespace Rebind.Core.Tests.Flows;

public sealed class RecoverPhoneByQuestionsFlowTests
{
    private static readonly DateTimeOffset Confirmed = K.T0.AddMinutes(5);
    private static readonly DateTimeOffset CoolOffEnds = Confirmed.AddHours(72);
    private readonly K kit = new();

    private Result<FlowStep> Start(AccountSnapshot? account, ContactIdentifier? identifier = null) =>
        kit.RecoverByQuestions.Start(new RecoverPhoneByQuestionsStart(identifier ?? K.ByPhone(), account, "en"), K.T0);

    private Flow AwaitingNewPhoneCode(AccountSnapshot? account = null)
    {
        var flow = K.Ok(Start(account ?? K.Account())).Flow;
        flow = K.Ok(kit.RecoverByQuestions.Apply(flow, new SubmitAnswers(true), K.T0.AddMinutes(1))).Flow;
        return K.Ok(kit.RecoverByQuestions.Apply(flow, new SubmitPhone(K.Phone()), K.T0.AddMinutes(2))).Flow;
    }

    private FlowStep CoolingOff(AccountSnapshot? account = null) =>
        K.Ok(kit.RecoverByQuestions.Apply(AwaitingNewPhoneCode(account), new SubmitCode(K.Code), Confirmed));

    [Fact]
    public void Start_WithQuestions_KeepsThemForEveryRead()
    {
        ShownQuestion[] shown = [new("a1b2c3d4e5f6", "Pet?"), new("0f0e0d0c0b0a", "城市？")];
        var flow = K.Ok(kit.RecoverByQuestions.Start(new RecoverPhoneByQuestionsStart(K.ByPhone(), null, "en", shown), K.T0)).Flow;

        var roundTripped = FlowJson.Deserialize(FlowJson.Serialize(flow));

        Assert.Equal(shown, RecoverPhoneByQuestionsFlow.ShownQuestions(roundTripped));
        Assert.Empty(RecoverPhoneByQuestionsFlow.ShownQuestions(K.Ok(Start(K.Account())).Flow));
    }

    [Fact]
    public void Start_KnownOrUnknown_SameStateNothingSent()
    {
        var real = Start(K.Account());
        var pretend = Start(null, K.ByPhone("+8613900000000"));

        Assert.Equal(("recover_phone_by_questions", "awaiting_answers"), (real.Value.Flow.Kind, real.Value.Flow.State));
        Assert.Empty(real.Value.Effects);
        Assert.Empty(pretend.Value.Effects);
        Assert.Equal(K.Shape(real), K.Shape(pretend));
    }

    [Fact]
    public void SubmitAnswers_WrongThreeTimes_CountsDownThenFailsWithTooManyAttempts()
    {
        var flow = K.Ok(Start(K.Account())).Flow;

        var first = kit.RecoverByQuestions.Apply(flow, new SubmitAnswers(false), K.T0).Value;
        var second = kit.RecoverByQuestions.Apply(first.Flow, new SubmitAnswers(false), K.T0).Value;
        var third = kit.RecoverByQuestions.Apply(second.Flow, new SubmitAnswers(false), K.T0).Value;

        Assert.Equal((FlowErrorCodes.SecurityAnswersIncorrect, (object?)2), (first.Error?.Code, first.Error!.Details["attemptsLeft"]));
        Assert.Equal((FlowErrorCodes.SecurityAnswersIncorrect, (object?)1), (second.Error?.Code, second.Error!.Details["attemptsLeft"]));
        Assert.Equal(FlowErrorCodes.TooManyAttempts, third.Error?.Code);
        Assert.Equal(("failed", "too_many_attempts"), (third.Flow.State, third.Flow.Outcome));
        Assert.Equal(FlowErrorCodes.FlowFailed, kit.RecoverByQuestions.Apply(third.Flow, new SubmitAnswers(true), K.T0).Error?.Code);
    }

    [Fact]
    public void SubmitAnswers_PretendPathEvenIfToldCorrect_AnswersLikeWrongAnswersOnRealPath()
    {
        var real = K.Ok(Start(K.Account())).Flow;
        var pretend = K.Ok(Start(null, K.ByEmail("nobody@example.net"))).Flow;

        for (var i = 0; i < 3; i++)
        {
            var realStep = kit.RecoverByQuestions.Apply(real, new SubmitAnswers(false), K.T0);
            var pretendStep = kit.RecoverByQuestions.Apply(pretend, new SubmitAnswers(true), K.T0);
            Assert.Equal(K.Shape(realStep), K.Shape(pretendStep));
            (real, pretend) = (realStep.Value.Flow, pretendStep.Value.Flow);
        }

        Assert.Equal("failed", pretend.State);
    }

    [Fact]
    public void SubmitCode_NewPhoneConfirmed_CoolsOffWithCancellableNoticesAndNoChangeYet()
    {
        var step = CoolingOff();

        Assert.Equal(("cooling_off", CoolOffEnds), (step.Flow.State, step.Flow.Deadline));
        Assert.DoesNotContain(step.Effects, e => e is ChangePhone);
        var notices = K.Messages(step);
        Assert.Equal(2, notices.Count);
        Assert.Contains(notices, m => (m.Channel, m.To) == (Channel.Sms, K.OldPhone));
        Assert.Contains(notices, m => (m.Channel, m.To) == (Channel.Email, K.Email));
        Assert.All(notices, m => Assert.Equal("security_change_pending_notice", m.Kind));
        Assert.All(notices, m => Assert.Equal(("+852****4567", "2026-01-15 09:05 UTC"), (m.Values["maskedNewPhone"], m.Values["time"])));
        var code = notices[0].Values["cancelCode"];
        Assert.Equal(code, notices[1].Values["cancelCode"]);
        Assert.StartsWith(step.Flow.Id + ".", code, StringComparison.Ordinal);
        Assert.False(notices[0].Values.ContainsKey("cancelUrl"));
        Assert.DoesNotContain(code, FlowJson.Serialize(step.Flow), StringComparison.Ordinal);
        Assert.All(notices, m => Assert.Contains(code, MessageTemplates.Render(m).Text, StringComparison.Ordinal));
    }

    [Fact]
    public void CancelWithCode_JustBeforeCoolOffEnds_CancelsWithoutSignIn()
    {
        var cooling = CoolingOff();
        var code = K.Messages(cooling)[0].Values["cancelCode"];

        var step = K.Ok(kit.RecoverByQuestions.Apply(cooling.Flow, new CancelWithCode(code), CoolOffEnds.AddSeconds(-1)));

        Assert.Equal(("cancelled", "flow_cancelled"), (step.Flow.State, step.Flow.Outcome));
        Assert.Empty(step.Effects);
        Assert.True(CancelCodes.TryGetFlowId(code, out var flowId));
        Assert.Equal(cooling.Flow.Id, flowId);
    }

    [Fact]
    public void CancelWithCode_WrongCode_RefusedAndNothingChanged()
    {
        var cooling = CoolingOff();

        var result = kit.RecoverByQuestions.Apply(cooling.Flow, new CancelWithCode(cooling.Flow.Id + ".0000000000000000"), Confirmed.AddHours(1));

        Assert.Equal(FlowErrorCodes.InvalidCancelCode, result.Error?.Code);
    }

    [Fact]
    public void CancelWithCode_BeforeCoolingOff_ReturnsInvalidState()
    {
        var result = kit.RecoverByQuestions.Apply(AwaitingNewPhoneCode(), new CancelWithCode("x.y"), K.T0);

        Assert.Equal(FlowErrorCodes.InvalidState, result.Error?.Code);
    }

    [Fact]
    public void Expire_BeforeCoolOffEnds_ReturnsInvalidStateSoCleanupDropsStaleBucket()
    {
        var cooling = CoolingOff();

        var result = kit.RecoverByQuestions.Apply(cooling.Flow, new Expire(), K.T0.AddMinutes(30));

        Assert.Equal(FlowErrorCodes.InvalidState, result.Error?.Code);
    }

    [Fact]
    public void Expire_AtCoolOffEnd_MaturesIntoChangePhoneThenNoticesOnApplied()
    {
        var cooling = CoolingOff();

        var matured = K.Ok(kit.RecoverByQuestions.Apply(cooling.Flow, new Expire(), CoolOffEnds));
        var done = K.Ok(kit.RecoverByQuestions.Apply(matured.Flow, new ChangeApplied(), CoolOffEnds.AddMinutes(1)));

        Assert.Equal("applying_change", matured.Flow.State);
        Assert.Equal(new ChangePhone(K.AccountId, K.OldPhone, K.NewPhone, null, cooling.Flow.Id, new AccountGuard(K.StampRef)), K.Single<ChangePhone>(matured));
        Assert.False(matured.Flow.Data.ContainsKey(FlowDataKeys.CancelCodeHash));
        var notices = K.Messages(done);
        Assert.Equal(2, notices.Count);
        Assert.Contains(notices, m => (m.Kind, m.Channel, m.To) == ("phone_unbound_notice", Channel.Sms, K.OldPhone));
        Assert.Contains(notices, m => (m.Kind, m.Channel, m.To) == ("phone_changed_notice", Channel.Email, K.Email));
        Assert.Equal("completed", done.Flow.State);
    }

    [Fact]
    public void CancelWithCode_AfterCoolOffEnds_MaturesAndTellsTooLate()
    {
        var cooling = CoolingOff();
        var code = K.Messages(cooling)[0].Values["cancelCode"];

        var step = kit.RecoverByQuestions.Apply(cooling.Flow, new CancelWithCode(code), CoolOffEnds.AddHours(1)).Value;

        Assert.Equal(("applying_change", FlowErrorCodes.InvalidState), (step.Flow.State, step.Error?.Code));
        Assert.IsType<ChangePhone>(Assert.Single(step.Effects));
    }

    [Fact]
    public void Resume_AfterMaturing_ReemitsSameChangePhone()
    {
        var matured = K.Ok(kit.RecoverByQuestions.Apply(CoolingOff().Flow, new Expire(), CoolOffEnds));

        var resumed = K.Ok(kit.RecoverByQuestions.Apply(matured.Flow, new Resume(), CoolOffEnds.AddDays(1)));

        Assert.Equal(K.Single<ChangePhone>(matured), K.Single<ChangePhone>(resumed));
    }

    [Fact]
    public void ClaimFailed_AfterMaturing_FailsWithPhoneAlreadyBound()
    {
        var matured = K.Ok(kit.RecoverByQuestions.Apply(CoolingOff().Flow, new Expire(), CoolOffEnds));

        var step = kit.RecoverByQuestions.Apply(matured.Flow, new ClaimFailed(), CoolOffEnds).Value;

        Assert.Equal(("failed", "phone_already_bound"), (step.Flow.State, step.Flow.Outcome));
        Assert.Empty(step.Effects);
    }

    [Fact]
    public void SubmitCode_NewPhoneAlreadyBound_FailsBeforeCoolOff()
    {
        var step = kit.RecoverByQuestions.Apply(AwaitingNewPhoneCode(), new SubmitCode(K.Code, PhoneAlreadyBound: true), Confirmed).Value;

        Assert.Equal(("failed", "phone_already_bound"), (step.Flow.State, step.Flow.Outcome));
        Assert.Empty(step.Effects);
    }

    [Fact]
    public void CoolOff_OptionsWithUrl_NoticesCarryEscapedCancelUrl()
    {
        var custom = new K(new QuestionRecoveryOptions { CoolOff = TimeSpan.FromHours(24), CancelUrlFormat = "https://rebind.example/cancel?code={code}" });
        var flow = K.Ok(custom.RecoverByQuestions.Start(new RecoverPhoneByQuestionsStart(K.ByEmail(), K.Account(phone: null), "zh-CN"), K.T0)).Flow;
        flow = K.Ok(custom.RecoverByQuestions.Apply(flow, new SubmitAnswers(true), K.T0)).Flow;
        flow = K.Ok(custom.RecoverByQuestions.Apply(flow, new SubmitPhone(K.Phone()), K.T0)).Flow;

        var step = K.Ok(custom.RecoverByQuestions.Apply(flow, new SubmitCode(K.Code), K.T0));

        var notice = Assert.Single(K.Messages(step));
        Assert.Equal((Channel.Email, K.Email), (notice.Channel, notice.To));
        Assert.Equal("https://rebind.example/cancel?code=" + Uri.EscapeDataString(notice.Values["cancelCode"]), notice.Values["cancelUrl"]);
        Assert.Equal(K.T0.AddHours(24), step.Flow.Deadline);
    }

    [Theory]
    [InlineData(0.5, 3, null)]
    [InlineData(72, 0, null)]
    [InlineData(72, 3, "https://rebind.example/cancel")]
    public void Constructor_InvalidOptions_Throws(double hours, int attempts, string? url)
    {
        var options = new QuestionRecoveryOptions { CoolOff = TimeSpan.FromHours(hours), MaxAnswerAttempts = attempts, CancelUrlFormat = url };

        Assert.Throws<ArgumentException>(() => new K(options));
    }
}
