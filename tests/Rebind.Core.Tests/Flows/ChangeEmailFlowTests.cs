using Rebind.Core.Flows;
using Rebind.Core.Flows.EmailChange;
using Rebind.Core.Messaging;
using K = Rebind.Core.Tests.Flows.AccountFlowKit;

namespace Rebind.Core.Tests.Flows;

public sealed class ChangeEmailFlowTests
{
    private readonly K kit = new();

    private FlowStep Started(Channel verifyBy = Channel.Email, AccountSnapshot? account = null) =>
        K.Ok(kit.ChangeEmail.Start(new ChangeEmailStart(account ?? K.Account(), verifyBy, K.SessionId, "en"), K.T0));

    private Flow AwaitingNewEmailCode() =>
        K.Ok(kit.ChangeEmail.Apply(K.Ok(kit.ChangeEmail.Apply(Started().Flow, new SubmitCode(K.Code), K.T0)).Flow, new SubmitEmail(K.Mail()), K.T0)).Flow;

    [Fact]
    public void Start_VerifyByEmail_SendsAccountChangeCodeToOldAddress()
    {
        var message = Assert.Single(K.Messages(Started(Channel.Email)));

        Assert.Equal(("account_change_code", Channel.Email, K.Email), (message.Kind, message.Channel, message.To));
    }

    [Fact]
    public void Start_VerifyByPhone_SendsAccountChangeCodeToBoundPhoneAndResendKeepsIt()
    {
        var started = Started(Channel.Sms);

        var resent = K.Ok(kit.ChangeEmail.Apply(started.Flow, new Resend(), K.T0.AddMinutes(1)));

        var first = Assert.Single(K.Messages(started));
        var again = Assert.Single(K.Messages(resent));
        Assert.Equal(("account_change_code", Channel.Sms, K.OldPhone), (first.Kind, first.Channel, first.To));
        Assert.Equal(("account_change_code", Channel.Sms, K.OldPhone), (again.Kind, again.Channel, again.To));
    }

    [Fact]
    public void Start_NoEmailBound_ReturnsAccountHasNoEmail()
    {
        var result = kit.ChangeEmail.Start(new ChangeEmailStart(K.Account(email: null), Channel.Sms, null, "en"), K.T0);

        Assert.Equal(FlowErrorCodes.AccountHasNoEmail, result.Error?.Code);
    }

    [Fact]
    public void Start_VerifyByPhoneWithoutPhone_ReturnsAccountHasNoPhone()
    {
        var result = kit.ChangeEmail.Start(new ChangeEmailStart(K.Account(phone: null), Channel.Sms, null, "en"), K.T0);

        Assert.Equal(FlowErrorCodes.AccountHasNoPhone, result.Error?.Code);
    }

    [Fact]
    public void SubmitEmail_SameAsCurrent_ReturnsEmailUnchanged()
    {
        var flow = K.Ok(kit.ChangeEmail.Apply(Started().Flow, new SubmitCode(K.Code), K.T0)).Flow;

        var result = kit.ChangeEmail.Apply(flow, new SubmitEmail(K.Mail(K.Email)), K.T0);

        Assert.Equal(FlowErrorCodes.EmailUnchanged, result.Error?.Code);
    }

    [Fact]
    public void ChangeEmail_HappyPath_EffectThenNoticeToOldAddress()
    {
        var flow = AwaitingNewEmailCode();

        var confirmed = K.Ok(kit.ChangeEmail.Apply(flow, new SubmitCode(K.Code), K.T0));
        var done = K.Ok(kit.ChangeEmail.Apply(confirmed.Flow, new ChangeApplied(), K.T0.AddMinutes(5)));

        Assert.Equal(new ChangeEmail(K.AccountId, K.Email, K.NewEmail, K.SessionId, flow.Id), K.Single<ChangeEmail>(confirmed));
        var notice = Assert.Single(K.Messages(done));
        Assert.Equal(("email_changed_notice", Channel.Email, K.Email), (notice.Kind, notice.Channel, notice.To));
        Assert.Equal(("w***@example.org", "2026-01-15 09:05 UTC"), (notice.Values["maskedNewEmail"], notice.Values["time"]));
        Assert.Equal("completed", done.Flow.State);
    }

    [Fact]
    public void SubmitCode_NewEmailAlreadyBound_FailsOnlyAfterRightCode()
    {
        var flow = AwaitingNewEmailCode();

        var wrong = kit.ChangeEmail.Apply(flow, new SubmitCode("000000", EmailAlreadyBound: true), K.T0).Value;
        var right = kit.ChangeEmail.Apply(wrong.Flow, new SubmitCode(K.Code, EmailAlreadyBound: true), K.T0).Value;

        Assert.Equal((FlowErrorCodes.InvalidCode, "awaiting_new_email_code"), (wrong.Error?.Code, wrong.Flow.State));
        Assert.Equal(("failed", "email_already_bound"), (right.Flow.State, right.Flow.Outcome));
    }

    [Fact]
    public void ClaimFailed_WhileApplying_FailsWithEmailAlreadyBoundAndNoNotice()
    {
        var flow = K.Ok(kit.ChangeEmail.Apply(AwaitingNewEmailCode(), new SubmitCode(K.Code), K.T0)).Flow;

        var step = kit.ChangeEmail.Apply(flow, new ClaimFailed(), K.T0).Value;

        Assert.Equal(("failed", "email_already_bound"), (step.Flow.State, step.Flow.Outcome));
        Assert.Empty(step.Effects);
    }

    [Fact]
    public void Resume_WhileApplying_ReemitsSameChangeEmail()
    {
        var confirmed = K.Ok(kit.ChangeEmail.Apply(AwaitingNewEmailCode(), new SubmitCode(K.Code), K.T0));

        var resumed = K.Ok(kit.ChangeEmail.Apply(confirmed.Flow, new Resume(), K.T0.AddDays(2)));

        Assert.Equal(K.Single<ChangeEmail>(confirmed), K.Single<ChangeEmail>(resumed));
    }
}
