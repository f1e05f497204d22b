using Rebind.Core.Flows;
using Rebind.Core.Flows.SignUp;
using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Core.Tests.Flows;

public sealed class SignUpFlowTests
{
    private static readonly PasswordHasher Hasher = PasswordHasher.ForTests(1_000);
    private readonly FlowTestKit kit = new();

    [Fact]
    public void Start_Phone_AwaitingCodeWithSignupSmsInRequestCulture()
    {
        var step = kit.SignUp.Start(FlowTestKit.Phone(), "zh-Hans", kit.Now).Value;

        var message = FlowTestKit.SingleMessage(step);
        Assert.Equal(("signup_phone", "awaiting_code", "+8613812345678", "zh-CN"), (step.Flow.Kind, step.Flow.State, step.Flow.Phone, step.Flow.Culture));
        Assert.Equal(("signup_code", Channel.Sms, "+8613812345678", "zh-CN"), (message.Kind, message.Channel, message.To, message.Culture));
        Assert.Equal(kit.Now.AddMinutes(30), step.Flow.Deadline);
        Assert.Null(step.Flow.AccountId);
    }

    [Fact]
    public void Start_TwoFlows_HaveDistinctUnguessableIds()
    {
        var a = kit.SignUp.Start(FlowTestKit.Phone(), "en", kit.Now).Value.Flow;
        var b = kit.SignUp.Start(FlowTestKit.Phone(), "en", kit.Now).Value.Flow;

        Assert.NotEqual(a.Id, b.Id);
        Assert.Equal(32, a.Id.Length);
        Assert.Matches("^[A-Za-z0-9_-]{32}$", a.Id);
    }

    [Fact]
    public void SignUp_HappyPath_CreatesAccountEffectThenCompletes()
    {
        var (flow, code) = kit.StartSignUp();
        var hash = Hasher.Hash("river7stone");

        var confirmed = kit.SignUp.Apply(flow, new SubmitCode(code), kit.Now).Value;
        var passwordSet = kit.SignUp.Apply(confirmed.Flow, new SetPassword("river7stone", hash), kit.Now).Value;
        var done = kit.SignUp.Apply(passwordSet.Flow, new AccountCreated(), kit.Now).Value;

        Assert.Equal("awaiting_password", confirmed.Flow.State);
        Assert.Empty(confirmed.Effects);
        var create = Assert.IsType<CreateAccount>(Assert.Single(passwordSet.Effects));
        Assert.Equal(("+8613812345678", hash, flow.Id), (create.Phone, create.PasswordHash, create.FlowId));
        Assert.Equal(create.AccountId, passwordSet.Flow.Data[SignUpData.AccountId]);
        Assert.Equal("creating_account", passwordSet.Flow.State);
        Assert.Equal(("completed", (DateTimeOffset?)kit.Now), (done.Flow.State, done.Flow.FinishedAt));
        Assert.Null(done.Error);
        Assert.False(done.Flow.Data.ContainsKey(SignUpData.PasswordHash));
    }

    [Fact]
    public void SubmitCode_RightCodeAndPhoneAlreadyBound_FailsWithPhoneAlreadyBound()
    {
        var (flow, code) = kit.StartSignUp();

        var step = kit.SignUp.Apply(flow, new SubmitCode(code, PhoneAlreadyBound: true), kit.Now).Value;

        Assert.Equal(FlowErrorCodes.PhoneAlreadyBound, step.Error?.Code);
        Assert.Equal(("failed", "phone_already_bound"), (step.Flow.State, step.Flow.Outcome));
    }

    [Fact]
    public void SubmitCode_WrongCodeAndPhoneAlreadyBound_RevealsOnlyInvalidCode()
    {
        var (flow, code) = kit.StartSignUp();

        var step = kit.SignUp.Apply(flow, new SubmitCode(FlowTestKit.WrongCode(code), PhoneAlreadyBound: true), kit.Now).Value;

        Assert.Equal(FlowErrorCodes.InvalidCode, step.Error?.Code);
        Assert.Equal(4, step.Error!.Details["attemptsLeft"]);
        Assert.Equal("awaiting_code", step.Flow.State);
    }

    [Fact]
    public void SubmitCode_WrongCode_AttemptsPersistedInFlow()
    {
        var (flow, code) = kit.StartSignUp();

        var first = kit.SignUp.Apply(flow, new SubmitCode(FlowTestKit.WrongCode(code)), kit.Now).Value;
        var second = kit.SignUp.Apply(first.Flow, new SubmitCode(FlowTestKit.WrongCode(code)), kit.Now).Value;

        Assert.Equal(4, first.Error!.Details["attemptsLeft"]);
        Assert.Equal(3, second.Error!.Details["attemptsLeft"]);
        Assert.Equal(2, second.Flow.Challenges[0].FailedAttempts);
    }

    [Fact]
    public void SubmitCode_AfterCodeExpiredButBeforeDeadline_ReturnsCodeExpiredThenResendWorks()
    {
        var (flow, code) = kit.StartSignUp();
        kit.Clock.Advance(TimeSpan.FromMinutes(11));

        var submitted = kit.SignUp.Apply(flow, new SubmitCode(code), kit.Now);
        var resent = kit.SignUp.Apply(flow, new Resend(), kit.Now).Value;

        Assert.Equal(FlowErrorCodes.CodeExpired, submitted.Error?.Code);
        Assert.Equal("awaiting_code", resent.Flow.State);
        Assert.Single(resent.Effects);
    }

    [Fact]
    public void SetPassword_WeakPassword_ReturnsWeakPasswordAndStaysAwaitingPassword()
    {
        var flow = kit.AwaitingPassword();

        var result = kit.SignUp.Apply(flow, new SetPassword("password1", Hasher.Hash("password1")), kit.Now);

        Assert.Equal(FlowErrorCodes.WeakPassword, result.Error?.Code);
        Assert.Equal("common", result.Error!.Details["rule"]);
    }

    [Fact]
    public void SetPassword_MalformedHash_Throws()
    {
        var flow = kit.AwaitingPassword();

        Assert.Throws<ArgumentException>(() => kit.SignUp.Apply(flow, new SetPassword("river7stone", "river7stone"), kit.Now));
    }

    [Fact]
    public void SetPassword_BeforeCodeConfirmed_ReturnsInvalidState()
    {
        var (flow, _) = kit.StartSignUp();

        var result = kit.SignUp.Apply(flow, new SetPassword("river7stone", Hasher.Hash("river7stone")), kit.Now);

        Assert.Equal(FlowErrorCodes.InvalidState, result.Error?.Code);
        Assert.Equal("awaiting_code", result.Error!.Details["state"]);
    }

    [Fact]
    public void SubmitCode_WhenAwaitingPassword_ReturnsInvalidState()
    {
        var flow = kit.AwaitingPassword();

        var result = kit.SignUp.Apply(flow, new SubmitCode("123456"), kit.Now);

        Assert.Equal(FlowErrorCodes.InvalidState, result.Error?.Code);
        Assert.Equal("awaiting_password", result.Error!.Details["state"]);
    }

    [Fact]
    public void ClaimFailed_WhileCreatingAccount_FailsWithPhoneAlreadyBound()
    {
        var flow = kit.CreatingAccount(Hasher);

        var step = kit.SignUp.Apply(flow, new ClaimFailed(), kit.Now).Value;

        Assert.Equal(FlowErrorCodes.PhoneAlreadyBound, step.Error?.Code);
        Assert.Equal(("failed", "phone_already_bound"), (step.Flow.State, step.Flow.Outcome));
        Assert.False(step.Flow.Data.ContainsKey(SignUpData.PasswordHash));
    }

    [Fact]
    public void Resume_WhileCreatingAccount_ReemitsSameAccountEffect()
    {
        var flow = kit.CreatingAccount(Hasher);

        var step = kit.SignUp.Apply(flow, new Resume(), kit.Now.AddHours(2)).Value;

        var create = Assert.IsType<CreateAccount>(Assert.Single(step.Effects));
        Assert.Equal(flow.Data[SignUpData.AccountId], create.AccountId);
        Assert.Equal("creating_account", step.Flow.State);
    }

    [Fact]
    public void AccountCreated_AfterDeadline_StillCompletes()
    {
        var flow = kit.CreatingAccount(Hasher);

        var step = kit.SignUp.Apply(flow, new AccountCreated(), kit.Now.AddHours(1)).Value;

        Assert.Equal("completed", step.Flow.State);
    }

    [Fact]
    public void Cancel_WhileCreatingAccount_ReturnsInvalidState()
    {
        var flow = kit.CreatingAccount(Hasher);

        var result = kit.SignUp.Apply(flow, new Cancel(), kit.Now);

        Assert.Equal(FlowErrorCodes.InvalidState, result.Error?.Code);
    }

    [Fact]
    public void ConcurrentSignUps_SamePhone_OnlyClaimWinnerCompletes()
    {
        var claimedBy = (string?)null;
        var outcomes = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var step = kit.SignUp.Apply(kit.AwaitingPassword(), new SetPassword("river7stone", Hasher.Hash("river7stone")), kit.Now).Value;
            var effect = Assert.IsType<CreateAccount>(Assert.Single(step.Effects));
            // The phone index row: a conditional insert with exactly one winner.
            var won = claimedBy is null || claimedBy == effect.AccountId;
            claimedBy ??= effect.AccountId;
            FlowInput report = won ? new AccountCreated() : new ClaimFailed();
            outcomes.Add(kit.SignUp.Apply(step.Flow, report, kit.Now).Value.Flow.State);
        }

        Assert.Equal(1, outcomes.Count(s => s == "completed"));
        Assert.Equal(19, outcomes.Count(s => s == "failed"));
    }

    [Fact]
    public void Cancel_AwaitingCode_Cancelled()
    {
        var (flow, _) = kit.StartSignUp();

        var step = kit.SignUp.Apply(flow, new Cancel(), kit.Now).Value;

        Assert.Equal(("cancelled", (DateTimeOffset?)kit.Now), (step.Flow.State, step.Flow.FinishedAt));
        Assert.Null(step.Error);
    }

    [Fact]
    public void SubmitCode_AfterCancel_ReturnsFlowCancelled()
    {
        var (flow, code) = kit.StartSignUp();
        flow = kit.SignUp.Apply(flow, new Cancel(), kit.Now).Value.Flow;

        var result = kit.SignUp.Apply(flow, new SubmitCode(code), kit.Now);

        Assert.Equal(FlowErrorCodes.FlowCancelled, result.Error?.Code);
    }

    [Fact]
    public void SubmitCode_AfterDeadline_ExpiresFlowLazily()
    {
        var (flow, code) = kit.StartSignUp();
        kit.Clock.Advance(TimeSpan.FromMinutes(30));

        var step = kit.SignUp.Apply(flow, new SubmitCode(code), kit.Now).Value;

        Assert.Equal(FlowErrorCodes.FlowExpired, step.Error?.Code);
        Assert.Equal(("expired", (DateTimeOffset?)kit.Now), (step.Flow.State, step.Flow.FinishedAt));
        Assert.Empty(step.Effects);
    }

    [Fact]
    public void Resend_AfterDeadline_ExpiresFlowWithoutSending()
    {
        var (flow, _) = kit.StartSignUp();
        kit.Clock.Advance(TimeSpan.FromMinutes(45));

        var step = kit.SignUp.Apply(flow, new Resend(), kit.Now).Value;

        Assert.Equal(FlowErrorCodes.FlowExpired, step.Error?.Code);
        Assert.Empty(step.Effects);
    }

    [Fact]
    public void Expire_AfterDeadline_ExpiredWithoutError()
    {
        var flow = kit.AwaitingPassword();

        var step = kit.SignUp.Apply(flow, new Expire(), kit.Now.AddMinutes(31)).Value;

        Assert.Equal("expired", step.Flow.State);
        Assert.Null(step.Error);
    }

    [Fact]
    public void Expire_BeforeDeadline_ReturnsInvalidState()
    {
        var (flow, _) = kit.StartSignUp();

        var result = kit.SignUp.Apply(flow, new Expire(), kit.Now.AddMinutes(29));

        Assert.Equal(FlowErrorCodes.InvalidState, result.Error?.Code);
    }

    [Fact]
    public void Expire_CreatingAccountPastDeadline_ReturnsInvalidState()
    {
        var flow = kit.CreatingAccount(Hasher);

        var result = kit.SignUp.Apply(flow, new Expire(), kit.Now.AddHours(1));

        Assert.Equal(FlowErrorCodes.InvalidState, result.Error?.Code);
    }

    public static TheoryData<string, string> TerminalStates => new()
    {
        { "completed", FlowErrorCodes.FlowCompleted },
        { "expired", FlowErrorCodes.FlowExpired },
        { "cancelled", FlowErrorCodes.FlowCancelled },
        { "failed", FlowErrorCodes.FlowFailed },
    };

    [Theory]
    [MemberData(nameof(TerminalStates))]
    public void Apply_TerminalFlow_ReturnsErrorNamingTheState(string state, string expected)
    {
        var (flow, code) = kit.StartSignUp();
        var finished = flow.Finish(state, kit.Now, state == "failed" ? "phone_already_bound" : null);

        var inputs = new FlowInput[] { new SubmitCode(code), new Resend(), new Cancel(), new Expire(), new SetPassword("river7stone", "x") };

        Assert.All(inputs, input => Assert.Equal(expected, kit.SignUp.Apply(finished, input, kit.Now).Error?.Code));
    }

    [Fact]
    public void Apply_FailedFlow_CarriesReason()
    {
        var (flow, code) = kit.StartSignUp();
        flow = kit.SignUp.Apply(flow, new SubmitCode(code, PhoneAlreadyBound: true), kit.Now).Value.Flow;

        var result = kit.SignUp.Apply(flow, new SubmitCode(code), kit.Now);

        Assert.Equal("phone_already_bound", result.Error!.Details["reason"]);
    }

    [Fact]
    public void SubmitCode_Record_ToStringHidesCode()
    {
        var text = new SubmitCode("482913").ToString() + new SetPassword("river7stone", "hash").ToString();

        Assert.DoesNotContain("482913", text, StringComparison.Ordinal);
        Assert.DoesNotContain("river7stone", text, StringComparison.Ordinal);
    }
}
