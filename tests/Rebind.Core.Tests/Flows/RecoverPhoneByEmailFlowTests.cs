using Rebind.Core.Flows;
using Rebind.Core.Flows.PhoneRecoveryByEmail;
using Rebind.Core.Messaging;
using K = Rebind.Core.Tests.Flows.AccountFlowKit;

namespace Rebind.Core.Tests.Flows;

public sealed class RecoverPhoneByEmailFlowTests
{
    private readonly K kit = new();

    private Result<FlowStep> Start(ContactIdentifier identifier, AccountSnapshot? account) =>
        kit.RecoverByEmail.Start(new RecoverPhoneByEmailStart(identifier, account, "en"), K.T0);

    private Flow AwaitingNewPhoneCode() =>
        K.Ok(kit.RecoverByEmail.Apply(
            K.Ok(kit.RecoverByEmail.Apply(K.Ok(Start(K.ByPhone(), K.Account())).Flow, new SubmitCode(K.Code), K.T0)).Flow,
            new SubmitPhone(K.Phone()),
            K.T0)).Flow;

    [Fact]
    public void Start_ByOldPhone_SendsRecoveryCodeToBoundEmailNeverSms()
    {
        var step = K.Ok(Start(K.ByPhone(), K.Account()));

        var message = Assert.Single(K.Messages(step));
        Assert.Equal(("recovery_email_code", Channel.Email, K.Email), (message.Kind, message.Channel, message.To));
        Assert.Equal(("recover_phone_by_email", "awaiting_email_code"), (step.Flow.Kind, step.Flow.State));
        Assert.Null(step.Flow.AccountId);
        Assert.True(step.Flow.AcceptsCaller(null));
    }

    [Fact]
    public void Start_ByEmail_SendsRecoveryCodeToThatEmail()
    {
        var message = Assert.Single(K.Messages(K.Ok(Start(K.ByEmail(), K.Account()))));

        Assert.Equal(("recovery_email_code", Channel.Email, K.Email), (message.Kind, message.Channel, message.To));
    }

    public static TheoryData<string> PretendCases => new() { "unknown", "no_email" };

    private Result<FlowStep> StartPretend(string which) => which == "unknown"
        ? Start(K.ByPhone("+8613900000000"), null)
        : Start(K.ByPhone(), K.Account(email: null));

    [Theory]
    [MemberData(nameof(PretendCases))]
    public void Start_Pretend_SendsNothingAndAnswersLikeRealPath(string which)
    {
        var real = Start(K.ByPhone(), K.Account());
        var pretend = StartPretend(which);

        Assert.Empty(pretend.Value.Effects);
        Assert.True(Assert.Single(pretend.Value.Flow.Challenges).Pretend);
        Assert.Equal(K.Shape(real), K.Shape(pretend));
    }

    [Theory]
    [MemberData(nameof(PretendCases))]
    public void SubmitCode_Pretend_NeverVerifiesAndAnswersLikeAWrongCodeOnRealPath(string which)
    {
        var real = K.Ok(Start(K.ByPhone(), K.Account())).Flow;
        var pretend = K.Ok(StartPretend(which)).Flow;

        for (var i = 0; i < 5; i++)
        {
            var realStep = kit.RecoverByEmail.Apply(real, new SubmitCode("000000"), K.T0);
            var pretendStep = kit.RecoverByEmail.Apply(pretend, new SubmitCode(K.Code), K.T0);
            Assert.Equal(K.Shape(realStep), K.Shape(pretendStep));
            (real, pretend) = (realStep.Value.Flow, pretendStep.Value.Flow);
        }

        Assert.Equal(FlowErrorCodes.TooManyAttempts, kit.RecoverByEmail.Apply(pretend, new SubmitCode(K.Code), K.T0).Error?.Code);
        Assert.Equal("awaiting_email_code", pretend.State);
    }

    [Fact]
    public void Resend_Pretend_SameCooldownAndNothingSent()
    {
        var real = K.Ok(Start(K.ByPhone(), K.Account())).Flow;
        var pretend = K.Ok(StartPretend("unknown")).Flow;

        Assert.Equal(K.Shape(kit.RecoverByEmail.Apply(real, new Resend(), K.T0.AddSeconds(20))), K.Shape(kit.RecoverByEmail.Apply(pretend, new Resend(), K.T0.AddSeconds(20))));
        var realResent = kit.RecoverByEmail.Apply(real, new Resend(), K.T0.AddSeconds(60));
        var pretendResent = kit.RecoverByEmail.Apply(pretend, new Resend(), K.T0.AddSeconds(60));

        Assert.Equal(K.Shape(realResent), K.Shape(pretendResent));
        Assert.Single(realResent.Value.Effects);
        Assert.Empty(pretendResent.Value.Effects);
    }

    [Fact]
    public void Recover_HappyPath_ChangePhoneEndsAllSessionsThenNotices()
    {
        var flow = AwaitingNewPhoneCode();

        var confirmed = K.Ok(kit.RecoverByEmail.Apply(flow, new SubmitCode(K.Code), K.T0));
        var done = K.Ok(kit.RecoverByEmail.Apply(confirmed.Flow, new ChangeApplied(), K.T0));

        var bindCode = Assert.Single(flow.Challenges, c => c.Step == "new_phone");
        Assert.Equal((Channel.Sms, K.NewPhone), (bindCode.Channel, bindCode.Destination));
        Assert.Equal(new ChangePhone(K.AccountId, K.OldPhone, K.NewPhone, null, flow.Id, new AccountGuard(K.StampRef, ProvenEmail: K.Email)), K.Single<ChangePhone>(confirmed));
        var notices = K.Messages(done);
        Assert.Equal(2, notices.Count);
        Assert.Contains(notices, m => (m.Kind, m.Channel, m.To) == ("phone_unbound_notice", Channel.Sms, K.OldPhone));
        Assert.Contains(notices, m => (m.Kind, m.Channel, m.To) == ("phone_changed_notice", Channel.Email, K.Email));
    }

    [Fact]
    public void Recover_AccountWithoutPhone_ChangePhoneFromNoneAndOnlyEmailNotice()
    {
        var flow = K.Ok(Start(K.ByEmail(), K.Account(phone: null))).Flow;
        flow = K.Ok(kit.RecoverByEmail.Apply(flow, new SubmitCode(K.Code), K.T0)).Flow;
        flow = K.Ok(kit.RecoverByEmail.Apply(flow, new SubmitPhone(K.Phone()), K.T0)).Flow;

        var confirmed = K.Ok(kit.RecoverByEmail.Apply(flow, new SubmitCode(K.Code), K.T0));
        var done = K.Ok(kit.RecoverByEmail.Apply(confirmed.Flow, new ChangeApplied(), K.T0));

        Assert.Null(K.Single<ChangePhone>(confirmed).OldPhone);
        Assert.Equal("phone_changed_notice", Assert.Single(K.Messages(done)).Kind);
    }

    [Fact]
    public void SubmitCode_NewPhoneAlreadyBound_FailsOnlyAfterRightCode()
    {
        var flow = AwaitingNewPhoneCode();

        var wrong = kit.RecoverByEmail.Apply(flow, new SubmitCode("000000", PhoneAlreadyBound: true), K.T0).Value;
        var right = kit.RecoverByEmail.Apply(flow, new SubmitCode(K.Code, PhoneAlreadyBound: true), K.T0).Value;

        Assert.Equal(FlowErrorCodes.InvalidCode, wrong.Error?.Code);
        Assert.Equal(("failed", "phone_already_bound"), (right.Flow.State, right.Flow.Outcome));
    }

    [Fact]
    public void Resume_WhileApplying_ReemitsSameEffect()
    {
        var confirmed = K.Ok(kit.RecoverByEmail.Apply(AwaitingNewPhoneCode(), new SubmitCode(K.Code), K.T0));

        var resumed = K.Ok(kit.RecoverByEmail.Apply(confirmed.Flow, new Resume(), K.T0.AddHours(5)));

        Assert.Equal(K.Single<ChangePhone>(confirmed), K.Single<ChangePhone>(resumed));
    }
}
