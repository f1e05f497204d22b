using Rebind.Core.Flows;
using Rebind.Core.Flows.PhoneChange;
using Rebind.Core.Flows.PhoneUnbinding;
using Rebind.Core.Messaging;
using K = Rebind.Core.Tests.Flows.AccountFlowKit;

namespace Rebind.Core.Tests.Flows;

public sealed class ChangePhoneFlowTests
{
    private readonly K kit = new();

    private FlowStep Started(AccountSnapshot? account = null) =>
        K.Ok(kit.ChangePhone.Start(new ChangePhoneStart(account ?? K.Account(), K.SessionId, "en"), K.T0));

    private Flow AwaitingNewPhone(AccountSnapshot? account = null) =>
        K.Ok(kit.ChangePhone.Apply(Started(account).Flow, new SubmitCode(K.Code), K.T0.AddMinutes(1))).Flow;

    private Flow AwaitingNewPhoneCode(AccountSnapshot? account = null) =>
        K.Ok(kit.ChangePhone.Apply(AwaitingNewPhone(account), new SubmitPhone(K.Phone()), K.T0.AddMinutes(2))).Flow;

    [Fact]
    public void Start_AccountWithPhone_SendsVerifyCodeToOldPhone()
    {
        var step = Started();

        var message = Assert.Single(K.Messages(step));
        Assert.Equal(("change_phone", "awaiting_old_phone_code", K.AccountId), (step.Flow.Kind, step.Flow.State, step.Flow.AccountId));
        Assert.Equal(("verify_old_phone_code", Channel.Sms, K.OldPhone), (message.Kind, message.Channel, message.To));
    }

    [Fact]
    public void Start_AccountWithoutPhone_ReturnsAccountHasNoPhone()
    {
        var result = kit.ChangePhone.Start(new ChangePhoneStart(K.Account(phone: null), K.SessionId, "en"), K.T0);

        Assert.Equal(FlowErrorCodes.AccountHasNoPhone, result.Error?.Code);
    }

    [Fact]
    public void SubmitPhone_BeforeOldPhoneConfirmed_ReturnsInvalidState()
    {
        var result = kit.ChangePhone.Apply(Started().Flow, new SubmitPhone(K.Phone()), K.T0);

        Assert.Equal(FlowErrorCodes.InvalidState, result.Error?.Code);
    }

    [Fact]
    public void SubmitPhone_SameAsCurrent_ReturnsPhoneUnchanged()
    {
        var result = kit.ChangePhone.Apply(AwaitingNewPhone(), new SubmitPhone(K.Phone(K.OldPhone)), K.T0);

        Assert.Equal(FlowErrorCodes.PhoneUnchanged, result.Error?.Code);
    }

    [Fact]
    public void SubmitPhone_NewNumber_SendsBindCodeToNewPhone()
    {
        var step = K.Ok(kit.ChangePhone.Apply(AwaitingNewPhone(), new SubmitPhone(K.Phone()), K.T0.AddMinutes(2)));

        var message = Assert.Single(K.Messages(step));
        Assert.Equal("awaiting_new_phone_code", step.Flow.State);
        Assert.Equal(("bind_phone_code", Channel.Sms, K.NewPhone), (message.Kind, message.Channel, message.To));
        Assert.Equal(K.NewPhone, step.Flow.Data[FlowDataKeys.NewPhone]);
    }

    [Fact]
    public void ChangePhone_HappyPath_EffectThenNoticesOnlyWhenApplied()
    {
        var flow = AwaitingNewPhoneCode();

        var confirmed = K.Ok(kit.ChangePhone.Apply(flow, new SubmitCode(K.Code), K.T0.AddMinutes(3)));
        var done = K.Ok(kit.ChangePhone.Apply(confirmed.Flow, new ChangeApplied(), new DateTimeOffset(2026, 1, 15, 9, 4, 30, TimeSpan.Zero)));

        Assert.Equal("applying_change", confirmed.Flow.State);
        Assert.Equal(new ChangePhone(K.AccountId, K.OldPhone, K.NewPhone, K.SessionId, flow.Id), K.Single<ChangePhone>(confirmed));
        Assert.Equal("completed", done.Flow.State);
        var notices = K.Messages(done);
        Assert.Equal(2, notices.Count);
        var sms = Assert.Single(notices, m => m.Channel == Channel.Sms);
        var email = Assert.Single(notices, m => m.Channel == Channel.Email);
        Assert.Equal(("phone_unbound_notice", K.OldPhone), (sms.Kind, sms.To));
        Assert.Equal(("phone_changed_notice", K.Email), (email.Kind, email.To));
        Assert.All(notices, m => Assert.Equal("+852****4567", m.Values["maskedNewPhone"]));
        Assert.All(notices, m => Assert.Equal("2026-01-15 09:04 UTC", m.Values["time"]));
        Assert.All(notices, m => MessageTemplates.Render(m));
    }

    [Fact]
    public void ChangeApplied_AccountWithoutEmail_OnlySmsNoticeToOldPhone()
    {
        var flow = K.Ok(kit.ChangePhone.Apply(AwaitingNewPhoneCode(K.Account(email: null)), new SubmitCode(K.Code), K.T0)).Flow;

        var done = K.Ok(kit.ChangePhone.Apply(flow, new ChangeApplied(), K.T0));

        var notice = Assert.Single(K.Messages(done));
        Assert.Equal(("phone_unbound_notice", Channel.Sms, K.OldPhone), (notice.Kind, notice.Channel, notice.To));
    }

    [Fact]
    public void SubmitCode_NewPhoneWrongCodeAndAlreadyBound_RevealsOnlyInvalidCode()
    {
        var step = kit.ChangePhone.Apply(AwaitingNewPhoneCode(), new SubmitCode("000000", PhoneAlreadyBound: true), K.T0).Value;

        Assert.Equal((FlowErrorCodes.InvalidCode, "awaiting_new_phone_code"), (step.Error?.Code, step.Flow.State));
    }

    [Fact]
    public void SubmitCode_NewPhoneRightCodeAndAlreadyBound_FailsWithPhoneAlreadyBound()
    {
        var step = kit.ChangePhone.Apply(AwaitingNewPhoneCode(), new SubmitCode(K.Code, PhoneAlreadyBound: true), K.T0).Value;

        Assert.Equal(("failed", "phone_already_bound"), (step.Flow.State, step.Flow.Outcome));
        Assert.Empty(step.Effects);
    }

    [Fact]
    public void SubmitCode_OldPhoneWithPhoneAlreadyBoundFlag_IgnoresFlagAndMovesOn()
    {
        var step = K.Ok(kit.ChangePhone.Apply(Started().Flow, new SubmitCode(K.Code, PhoneAlreadyBound: true), K.T0));

        Assert.Equal("awaiting_new_phone", step.Flow.State);
    }

    [Fact]
    public void ClaimFailed_WhileApplying_FailsCleanlyWithoutNotices()
    {
        var flow = K.Ok(kit.ChangePhone.Apply(AwaitingNewPhoneCode(), new SubmitCode(K.Code), K.T0)).Flow;

        var step = kit.ChangePhone.Apply(flow, new ClaimFailed(), K.T0).Value;

        Assert.Equal(("failed", "phone_already_bound"), (step.Flow.State, step.Flow.Outcome));
        Assert.Empty(step.Effects);
    }

    [Fact]
    public void Resume_AfterCrash_ReemitsSameChangePhone()
    {
        var confirmed = K.Ok(kit.ChangePhone.Apply(AwaitingNewPhoneCode(), new SubmitCode(K.Code), K.T0));

        var resumed = K.Ok(kit.ChangePhone.Apply(FlowJson.Deserialize(FlowJson.Serialize(confirmed.Flow)), new Resume(), K.T0.AddHours(3)));

        Assert.Equal(K.Single<ChangePhone>(confirmed), K.Single<ChangePhone>(resumed));
        Assert.Equal("applying_change", resumed.Flow.State);
    }

    [Fact]
    public void Resend_NewPhoneStep_SendsBindCodeAgainAfterCooldown()
    {
        var flow = AwaitingNewPhoneCode();

        var early = kit.ChangePhone.Apply(flow, new Resend(), K.T0.AddMinutes(2).AddSeconds(30));
        var later = K.Ok(kit.ChangePhone.Apply(flow, new Resend(), K.T0.AddMinutes(3)));

        Assert.Equal(FlowErrorCodes.ResendCooldown, early.Error?.Code);
        Assert.Equal(30, early.Error!.Details["retryAfterSeconds"]);
        var message = Assert.Single(K.Messages(later));
        Assert.Equal(("bind_phone_code", K.NewPhone), (message.Kind, message.To));
    }

    [Fact]
    public void UnbindStart_AccountWithoutEmail_ReturnsLastRecoveryChannel()
    {
        var result = kit.UnbindPhone.Start(new UnbindPhoneStart(K.Account(email: null), K.SessionId, "en"), K.T0);

        Assert.Equal(FlowErrorCodes.LastRecoveryChannel, result.Error?.Code);
    }

    [Fact]
    public void UnbindStart_AccountWithoutPhone_ReturnsAccountHasNoPhone()
    {
        var result = kit.UnbindPhone.Start(new UnbindPhoneStart(K.Account(phone: null), K.SessionId, "en"), K.T0);

        Assert.Equal(FlowErrorCodes.AccountHasNoPhone, result.Error?.Code);
    }

    [Fact]
    public void Unbind_HappyPath_CodeToPhoneEffectThenEmailNotice()
    {
        var started = K.Ok(kit.UnbindPhone.Start(new UnbindPhoneStart(K.Account(), K.SessionId, "zh-CN"), K.T0));

        var confirmed = K.Ok(kit.UnbindPhone.Apply(started.Flow, new SubmitCode(K.Code), K.T0));
        var done = K.Ok(kit.UnbindPhone.Apply(confirmed.Flow, new ChangeApplied(), K.T0));

        var code = Assert.Single(K.Messages(started));
        Assert.Equal(("unbind_phone", "verify_old_phone_code", Channel.Sms, K.OldPhone), (started.Flow.Kind, code.Kind, code.Channel, code.To));
        Assert.Equal(new UnbindPhone(K.AccountId, K.OldPhone, K.SessionId, started.Flow.Id), K.Single<UnbindPhone>(confirmed));
        var notice = Assert.Single(K.Messages(done));
        Assert.Equal(("phone_removed_notice", Channel.Email, K.Email, "+86*******5678"), (notice.Kind, notice.Channel, notice.To, notice.Values["maskedPhone"]));
        Assert.Contains("+86*******5678", MessageTemplates.Render(notice).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void UnbindAccountChanged_WhileApplying_FailsWithAccountChanged()
    {
        var flow = K.Ok(kit.UnbindPhone.Start(new UnbindPhoneStart(K.Account(), null, "en"), K.T0)).Flow;
        flow = K.Ok(kit.UnbindPhone.Apply(flow, new SubmitCode(K.Code), K.T0)).Flow;

        var step = kit.UnbindPhone.Apply(flow, new AccountChanged(), K.T0).Value;
        var claim = kit.UnbindPhone.Apply(flow, new ClaimFailed(), K.T0);

        Assert.Equal(("failed", "account_changed"), (step.Flow.State, step.Flow.Outcome));
        Assert.Equal(FlowErrorCodes.InvalidState, claim.Error?.Code);
    }
}
