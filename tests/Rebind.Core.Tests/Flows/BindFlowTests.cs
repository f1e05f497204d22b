using Rebind.Core.Flows;
using Rebind.Core.Flows.EmailBinding;
using Rebind.Core.Flows.PhoneBinding;
using Rebind.Core.Messaging;
using K = Rebind.Core.Tests.Flows.AccountFlowKit;

namespace Rebind.Core.Tests.Flows;

public sealed class BindFlowTests
{
    private readonly K kit = new();

    private Flow BindPhoneAwaitingCode() => K.Ok(kit.BindPhone.Start(new BindPhoneStart(K.Account(phone: null), K.Phone(), "en"), K.T0)).Flow;

    private Flow BindPhoneApplying() => K.Ok(kit.BindPhone.Apply(BindPhoneAwaitingCode(), new SubmitCode(K.Code), K.T0)).Flow;

    [Fact]
    public void BindPhoneStart_AccountWithoutPhone_SendsBindCodeToNewPhone()
    {
        var step = K.Ok(kit.BindPhone.Start(new BindPhoneStart(K.Account(phone: null), K.Phone(), "zh-CN"), K.T0));

        var message = Assert.Single(K.Messages(step));
        Assert.Equal(("bind_phone", "awaiting_code", K.AccountId), (step.Flow.Kind, step.Flow.State, step.Flow.AccountId));
        Assert.Equal(("bind_phone_code", Channel.Sms, K.NewPhone, "zh-CN"), (message.Kind, message.Channel, message.To, message.Culture));
        Assert.Equal(K.T0.AddMinutes(30), step.Flow.Deadline);
    }

    [Fact]
    public void BindPhoneStart_AccountHasPhone_ReturnsAccountHasPhone()
    {
        var result = kit.BindPhone.Start(new BindPhoneStart(K.Account(), K.Phone(), "en"), K.T0);

        Assert.Equal(FlowErrorCodes.AccountHasPhone, result.Error?.Code);
    }

    [Fact]
    public void BindPhone_HappyPath_EmitsBindPhoneThenCompletesNotifyingTheEmail()
    {
        var flow = BindPhoneAwaitingCode();

        var confirmed = K.Ok(kit.BindPhone.Apply(flow, new SubmitCode(K.Code), K.T0.AddMinutes(1)));
        var done = K.Ok(kit.BindPhone.Apply(confirmed.Flow, new ChangeApplied(), K.T0.AddMinutes(2)));

        Assert.Equal("applying_change", confirmed.Flow.State);
        Assert.Equal(new BindPhone(K.AccountId, K.NewPhone, flow.Id), K.Single<BindPhone>(confirmed));
        Assert.Equal(("completed", (DateTimeOffset?)K.T0.AddMinutes(2)), (done.Flow.State, done.Flow.FinishedAt));
        // Every contact the account already had hears of the new one (here the email).
        var notice = Assert.Single(K.Messages(done));
        Assert.Equal((Rebind.Core.Messaging.MessageKinds.ContactAddedNotice, K.Email), (notice.Kind, notice.To));
    }

    [Fact]
    public void BindPhoneSubmitCode_WrongCodeAndPhoneAlreadyBound_RevealsOnlyInvalidCode()
    {
        var step = kit.BindPhone.Apply(BindPhoneAwaitingCode(), new SubmitCode("000000", PhoneAlreadyBound: true), K.T0).Value;

        Assert.Equal((FlowErrorCodes.InvalidCode, "awaiting_code"), (step.Error?.Code, step.Flow.State));
    }

    [Fact]
    public void BindPhoneSubmitCode_RightCodeAndPhoneAlreadyBound_FailsWithoutEffect()
    {
        var step = kit.BindPhone.Apply(BindPhoneAwaitingCode(), new SubmitCode(K.Code, PhoneAlreadyBound: true), K.T0).Value;

        Assert.Equal(FlowErrorCodes.PhoneAlreadyBound, step.Error?.Code);
        Assert.Equal(("failed", "phone_already_bound"), (step.Flow.State, step.Flow.Outcome));
        Assert.Empty(step.Effects);
    }

    [Fact]
    public void BindPhoneClaimFailed_WhileApplying_FailsWithPhoneAlreadyBound()
    {
        var step = kit.BindPhone.Apply(BindPhoneApplying(), new ClaimFailed(), K.T0).Value;

        Assert.Equal(FlowErrorCodes.PhoneAlreadyBound, step.Error?.Code);
        Assert.Equal(("failed", "phone_already_bound"), (step.Flow.State, step.Flow.Outcome));
        Assert.Empty(step.Effects);
    }

    [Fact]
    public void BindPhoneAccountChanged_WhileApplying_FailsWithAccountChanged()
    {
        var step = kit.BindPhone.Apply(BindPhoneApplying(), new AccountChanged(), K.T0).Value;

        Assert.Equal(("failed", "account_changed"), (step.Flow.State, step.Flow.Outcome));
        Assert.Equal(FlowErrorCodes.AccountChanged, step.Error?.Code);
    }

    [Fact]
    public void BindPhoneResume_LongAfterDeadline_ReemitsSameEffect()
    {
        var flow = BindPhoneApplying();

        var step = K.Ok(kit.BindPhone.Apply(flow, new Resume(), K.T0.AddDays(1)));

        Assert.Equal(new BindPhone(K.AccountId, K.NewPhone, flow.Id), K.Single<BindPhone>(step));
        Assert.Equal(flow, step.Flow);
    }

    [Fact]
    public void BindPhoneCancelOrExpire_WhileApplying_ReturnsInvalidState()
    {
        var flow = BindPhoneApplying();

        Assert.Equal(FlowErrorCodes.InvalidState, kit.BindPhone.Apply(flow, new Cancel(), K.T0).Error?.Code);
        Assert.Equal(FlowErrorCodes.InvalidState, kit.BindPhone.Apply(flow, new Expire(), K.T0.AddHours(1)).Error?.Code);
    }

    [Fact]
    public void BindPhoneSubmitCode_AfterDeadline_Expires()
    {
        var step = kit.BindPhone.Apply(BindPhoneAwaitingCode(), new SubmitCode(K.Code), K.T0.AddMinutes(30)).Value;

        Assert.Equal(("expired", FlowErrorCodes.FlowExpired), (step.Flow.State, step.Error?.Code));
        Assert.Empty(step.Effects);
    }

    [Fact]
    public void BindEmailStart_AccountWithoutEmail_SendsEmailCodeToNewAddress()
    {
        var step = K.Ok(kit.BindEmail.Start(new BindEmailStart(K.Account(email: null), K.Mail(), "en"), K.T0));

        var message = Assert.Single(K.Messages(step));
        Assert.Equal(("bind_email", "awaiting_code", K.AccountId), (step.Flow.Kind, step.Flow.State, step.Flow.AccountId));
        Assert.Equal(("email_code", Channel.Email, K.NewEmail), (message.Kind, message.Channel, message.To));
    }

    [Fact]
    public void BindEmailStart_AccountHasEmail_ReturnsAccountHasEmail()
    {
        var result = kit.BindEmail.Start(new BindEmailStart(K.Account(), K.Mail(), "en"), K.T0);

        Assert.Equal(FlowErrorCodes.AccountHasEmail, result.Error?.Code);
    }

    [Fact]
    public void BindEmail_HappyPath_EmitsBindEmailThenCompletes()
    {
        var flow = K.Ok(kit.BindEmail.Start(new BindEmailStart(K.Account(email: null), K.Mail(), "en"), K.T0)).Flow;

        var confirmed = K.Ok(kit.BindEmail.Apply(flow, new SubmitCode(K.Code), K.T0));
        var done = K.Ok(kit.BindEmail.Apply(confirmed.Flow, new ChangeApplied(), K.T0));

        Assert.Equal(new BindEmail(K.AccountId, K.NewEmail, flow.Id), K.Single<BindEmail>(confirmed));
        Assert.Equal("completed", done.Flow.State);
    }

    [Fact]
    public void BindEmailChangeApplied_WithReportUrl_NoticeToPhoneCarriesTheLink()
    {
        var flow = K.Ok(kit.BindEmail.Start(new BindEmailStart(K.Account(email: null), K.Mail(), "en"), K.T0)).Flow;
        var confirmed = K.Ok(kit.BindEmail.Apply(flow, new SubmitCode(K.Code), K.T0));

        var done = K.Ok(kit.BindEmail.Apply(confirmed.Flow, new ChangeApplied("https://rebind.example/not-me?code=R42"), K.T0));

        var notice = Assert.Single(K.Messages(done));
        Assert.Equal(Rebind.Core.Messaging.MessageKinds.ContactAddedNotice, notice.Kind);
        Assert.Equal("https://rebind.example/not-me?code=R42", notice.Values[Rebind.Core.Messaging.MessageValues.ReportUrlValue]);
        Assert.DoesNotContain("R42", new ChangeApplied("https://rebind.example/not-me?code=R42").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void BindEmailSubmitCode_RightCodeAndEmailAlreadyBound_FailsWithEmailAlreadyBound()
    {
        var flow = K.Ok(kit.BindEmail.Start(new BindEmailStart(K.Account(email: null), K.Mail(), "en"), K.T0)).Flow;

        var wrong = kit.BindEmail.Apply(flow, new SubmitCode("000000", EmailAlreadyBound: true), K.T0).Value;
        var right = kit.BindEmail.Apply(wrong.Flow, new SubmitCode(K.Code, EmailAlreadyBound: true), K.T0).Value;

        Assert.Equal(FlowErrorCodes.InvalidCode, wrong.Error?.Code);
        Assert.Equal(("failed", "email_already_bound"), (right.Flow.State, right.Flow.Outcome));
    }

    [Fact]
    public void BindEmailClaimFailed_WhileApplying_FailsWithEmailAlreadyBound()
    {
        var flow = K.Ok(kit.BindEmail.Start(new BindEmailStart(K.Account(email: null), K.Mail(), "en"), K.T0)).Flow;
        flow = K.Ok(kit.BindEmail.Apply(flow, new SubmitCode(K.Code), K.T0)).Flow;

        var step = kit.BindEmail.Apply(flow, new ClaimFailed(), K.T0).Value;

        Assert.Equal(FlowErrorCodes.EmailAlreadyBound, step.Error?.Code);
        Assert.Equal("failed", step.Flow.State);
    }
}
