using Rebind.Core.Flows;
using Rebind.Core.Flows.PasswordReset;
using Rebind.Core.Messaging;
using Rebind.Core.Security;
using K = Rebind.Core.Tests.Flows.AccountFlowKit;

namespace Rebind.Core.Tests.Flows;

public sealed class ResetPasswordFlowTests
{
    private static readonly PasswordHasher Hasher = PasswordHasher.ForTests(1_000);
    private static readonly string NewHash = Hasher.Hash("river7stone");
    private readonly K kit = new();

    private Result<FlowStep> Start(ContactIdentifier identifier, AccountSnapshot? account) =>
        kit.ResetPassword.Start(new ResetPasswordStart(identifier, account, "en"), K.T0);

    private Flow AwaitingPassword(ContactIdentifier identifier, AccountSnapshot account) =>
        K.Ok(kit.ResetPassword.Apply(K.Ok(Start(identifier, account)).Flow, new SubmitCode(K.Code), K.T0)).Flow;

    [Fact]
    public void SubmitCode_AfterConfirmation_ReturnsCodeUsed()
    {
        var result = kit.ResetPassword.Apply(AwaitingPassword(K.ByPhone(), K.Account()), new SubmitCode(K.Code), K.T0);

        Assert.False(result.IsSuccess);
        Assert.Equal(FlowErrorCodes.CodeUsed, result.Error.Code);
    }

    [Fact]
    public void Start_ByPhone_SendsResetCodeBySmsToThatPhone()
    {
        var step = K.Ok(Start(K.ByPhone(), K.Account()));

        var message = Assert.Single(K.Messages(step));
        Assert.Equal(("password_reset_code", Channel.Sms, K.OldPhone), (message.Kind, message.Channel, message.To));
        Assert.Equal(("reset_password", "awaiting_code", (string?)null), (step.Flow.Kind, step.Flow.State, step.Flow.AccountId));
    }

    [Fact]
    public void Start_ByEmail_SendsResetCodeByEmailToThatAddress()
    {
        var message = Assert.Single(K.Messages(K.Ok(Start(K.ByEmail(), K.Account()))));

        Assert.Equal(("password_reset_code", Channel.Email, K.Email), (message.Kind, message.Channel, message.To));
    }

    [Fact]
    public void Start_UnknownIdentifier_SendsNothingAndAnswersLikeRealPath()
    {
        var real = Start(K.ByPhone(), K.Account());
        var pretend = Start(K.ByPhone("+8613900000000"), null);

        Assert.Empty(pretend.Value.Effects);
        Assert.Equal(K.Shape(real), K.Shape(pretend));
    }

    [Fact]
    public void Start_IdentifierNotTheAccounts_Pretends()
    {
        var step = K.Ok(Start(K.ByEmail("someone@example.net"), K.Account()));

        Assert.Empty(step.Effects);
        Assert.True(step.Flow.Challenges[0].Pretend);
        Assert.False(step.Flow.Data.ContainsKey(FlowDataKeys.AccountId));
    }

    [Fact]
    public void Pretend_WholeCodeStep_SameAnswersCooldownsAndAttemptsAsRealPath()
    {
        var real = K.Ok(Start(K.ByEmail(), K.Account())).Flow;
        var pretend = K.Ok(Start(K.ByEmail("nobody@example.net"), null)).Flow;
        var inputs = new (FlowInput Input, int Seconds)[]
        {
            (new Resend(), 10), (new SubmitCode("000000"), 20), (new Resend(), 61), (new SubmitCode("000000"), 70), (new Resend(), 90),
        };

        foreach (var (input, seconds) in inputs)
        {
            var realStep = kit.ResetPassword.Apply(real, input, K.T0.AddSeconds(seconds));
            var pretendStep = kit.ResetPassword.Apply(pretend, input, K.T0.AddSeconds(seconds));
            Assert.Equal(K.Shape(realStep), K.Shape(pretendStep));
            Assert.Empty(pretendStep.IsSuccess ? pretendStep.Value.Effects : []);
            (real, pretend) = (realStep.IsSuccess ? realStep.Value.Flow : real, pretendStep.IsSuccess ? pretendStep.Value.Flow : pretend);
        }

        var pinned = kit.ResetPassword.Apply(pretend, new SubmitCode(K.Code), K.T0.AddMinutes(2)).Value;
        Assert.Equal((FlowErrorCodes.InvalidCode, "awaiting_code"), (pinned.Error?.Code, pinned.Flow.State));
    }

    [Fact]
    public void SubmitCode_AfterTenMinutes_ReturnsCodeExpired()
    {
        var flow = K.Ok(Start(K.ByPhone(), K.Account())).Flow;

        var result = kit.ResetPassword.Apply(flow, new SubmitCode(K.Code), K.T0.AddMinutes(10));

        Assert.Equal(FlowErrorCodes.CodeExpired, result.Error?.Code);
    }

    [Fact]
    public void Reset_ByPhone_EffectThenEmailNoticeAndNoHashLeft()
    {
        var flow = AwaitingPassword(K.ByPhone(), K.Account());

        var set = K.Ok(kit.ResetPassword.Apply(flow, new SetPassword("river7stone", NewHash), K.T0));
        var done = K.Ok(kit.ResetPassword.Apply(set.Flow, new ChangeApplied(), K.T0));

        Assert.Equal(("applying_change", new ResetPassword(K.AccountId, NewHash, flow.Id, new AccountGuard(K.StampRef, ProvenPhone: K.OldPhone))), (set.Flow.State, K.Single<ResetPassword>(set)));
        var notice = Assert.Single(K.Messages(done));
        Assert.Equal(("password_reset_notice", Channel.Email, K.Email), (notice.Kind, notice.Channel, notice.To));
        Assert.Equal("completed", done.Flow.State);
        Assert.False(done.Flow.Data.ContainsKey(FlowDataKeys.PasswordHash));
    }

    [Fact]
    public void Reset_ByEmail_NoticeBySmsToPhone()
    {
        var flow = K.Ok(kit.ResetPassword.Apply(AwaitingPassword(K.ByEmail(), K.Account()), new SetPassword("river7stone", NewHash), K.T0)).Flow;

        var done = K.Ok(kit.ResetPassword.Apply(flow, new ChangeApplied(), K.T0));

        var notice = Assert.Single(K.Messages(done));
        Assert.Equal(("password_reset_notice", Channel.Sms, K.OldPhone), (notice.Kind, notice.Channel, notice.To));
    }

    [Fact]
    public void Reset_NoOtherChannelBound_NoNotice()
    {
        var flow = K.Ok(kit.ResetPassword.Apply(AwaitingPassword(K.ByPhone(), K.Account(email: null)), new SetPassword("river7stone", NewHash), K.T0)).Flow;

        var done = K.Ok(kit.ResetPassword.Apply(flow, new ChangeApplied(), K.T0));

        Assert.Empty(done.Effects);
    }

    [Fact]
    public void SetPassword_SameAsCurrent_RefusedAndStillAwaitingPassword()
    {
        var flow = AwaitingPassword(K.ByPhone(), K.Account());

        var result = kit.ResetPassword.Apply(flow, new SetPassword("river7stone", NewHash, SameAsCurrent: true), K.T0);
        var retry = K.Ok(kit.ResetPassword.Apply(flow, new SetPassword("river7stone", NewHash), K.T0));

        Assert.Equal(FlowErrorCodes.PasswordSameAsCurrent, result.Error?.Code);
        Assert.Equal("applying_change", retry.Flow.State);
    }

    [Fact]
    public void SetPassword_Weak_ReturnsWeakPassword()
    {
        var result = kit.ResetPassword.Apply(AwaitingPassword(K.ByPhone(), K.Account()), new SetPassword("short1", NewHash), K.T0);

        Assert.Equal((FlowErrorCodes.WeakPassword, (object?)"length"), (result.Error?.Code, result.Error!.Details["rule"]));
    }

    [Fact]
    public void Resume_WhileApplying_ReemitsSameResetPassword()
    {
        var set = K.Ok(kit.ResetPassword.Apply(AwaitingPassword(K.ByPhone(), K.Account()), new SetPassword("river7stone", NewHash), K.T0));

        var resumed = K.Ok(kit.ResetPassword.Apply(set.Flow, new Resume(), K.T0.AddHours(1)));

        Assert.Equal(K.Single<ResetPassword>(set), K.Single<ResetPassword>(resumed));
    }

    [Fact]
    public void ResetPassword_ToString_HidesHash()
    {
        var text = new ResetPassword(K.AccountId, NewHash, "flow").ToString();

        Assert.DoesNotContain(NewHash, text, StringComparison.Ordinal);
        Assert.Contains(K.AccountId, text, StringComparison.Ordinal);
    }

    [Fact]
    public void RecoveryRequiresSupport_PointsToSupportInBothLanguages()
    {
        var error = FlowErrors.RecoveryRequiresSupport();

        Assert.Equal("recovery_requires_support", error.Code);
        Assert.Contains("support", ErrorText.For(error.Code, "en"), StringComparison.Ordinal);
        Assert.Contains("客服", ErrorText.For(error.Code, "zh-CN"), StringComparison.Ordinal);
    }
}
