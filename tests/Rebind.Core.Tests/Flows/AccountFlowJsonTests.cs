using System.Text.Json;
using Rebind.Core.Flows;
using Rebind.Core.Flows.EmailChange;
using Rebind.Core.Flows.PasswordReset;
using Rebind.Core.Flows.PhoneChange;
using Rebind.Core.Flows.PhoneRecoveryByQuestions;
using Rebind.Core.Messaging;
using Rebind.Core.Security;
using K = Rebind.Core.Tests.Flows.AccountFlowKit;

namespace Rebind.Core.Tests.Flows;

public sealed class AccountFlowJsonTests
{
    private readonly K kit = new();

    public static TheoryData<FlowEffect> Effects => new()
    {
        new BindPhone(K.AccountId, K.NewPhone, "flow1"),
        new ChangePhone(K.AccountId, K.OldPhone, K.NewPhone, K.SessionId, "flow1"),
        new ChangePhone(K.AccountId, null, K.NewPhone, null, "flow1"),
        new UnbindPhone(K.AccountId, K.OldPhone, null, "flow1"),
        new BindEmail(K.AccountId, K.NewEmail, "flow1"),
        new ChangeEmail(K.AccountId, K.Email, K.NewEmail, K.SessionId, "flow1"),
        new ResetPassword(K.AccountId, "pbkdf2-sha256$1$c2FsdA==$aGFzaA==", "flow1"),
    };

    [Theory]
    [MemberData(nameof(Effects))]
    public void Serialize_AccountEffect_PolymorphicRoundTrip(FlowEffect effect)
    {
        var json = JsonSerializer.Serialize(effect, FlowJson.Options);

        var back = JsonSerializer.Deserialize<FlowEffect>(json, FlowJson.Options);

        Assert.Equal(effect, back);
        Assert.Contains("\"$effect\":", json, StringComparison.Ordinal);
    }

    public static TheoryData<FlowInput> Inputs => new()
    {
        new SubmitAnswers(true), new ChangeApplied(), new AccountChanged(), new CancelWithCode("abc.DEF"),
        new SubmitCode("123456", EmailAlreadyBound: true), new SetPassword("pw", "hash", SameAsCurrent: true),
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Serialize_NewInput_RoundTripsAsItsType(FlowInput input)
    {
        var back = JsonSerializer.Deserialize(JsonSerializer.Serialize(input, input.GetType(), FlowJson.Options), input.GetType(), FlowJson.Options);

        Assert.Equal(input, back);
    }

    [Fact]
    public void Serialize_FlowsInEveryNewWaitingState_RoundTrip()
    {
        var hash = PasswordHasher.ForTests(1_000).Hash("river7stone");
        var flows = new List<Flow>();
        var change = K.Ok(kit.ChangePhone.Start(new ChangePhoneStart(K.Account(), K.SessionId, "zh-CN"), K.T0)).Flow;
        flows.Add(change);
        change = K.Ok(kit.ChangePhone.Apply(change, new SubmitCode(K.Code), K.T0)).Flow;
        flows.Add(change);
        change = K.Ok(kit.ChangePhone.Apply(change, new SubmitPhone(K.Phone()), K.T0)).Flow;
        flows.Add(change);
        flows.Add(K.Ok(kit.ChangePhone.Apply(change, new SubmitCode(K.Code), K.T0)).Flow);
        var email = K.Ok(kit.ChangeEmail.Start(new ChangeEmailStart(K.Account(), Channel.Sms, null, "en"), K.T0)).Flow;
        flows.Add(email);
        var questions = K.Ok(kit.RecoverByQuestions.Start(new RecoverPhoneByQuestionsStart(K.ByPhone(), K.Account(), "en"), K.T0)).Flow;
        questions = kit.RecoverByQuestions.Apply(questions, new SubmitAnswers(false), K.T0).Value.Flow;
        flows.Add(questions);
        questions = K.Ok(kit.RecoverByQuestions.Apply(questions, new SubmitAnswers(true), K.T0)).Flow;
        questions = K.Ok(kit.RecoverByQuestions.Apply(questions, new SubmitPhone(K.Phone()), K.T0)).Flow;
        questions = K.Ok(kit.RecoverByQuestions.Apply(questions, new SubmitCode(K.Code), K.T0)).Flow;
        flows.Add(questions);
        var reset = K.Ok(kit.ResetPassword.Start(new ResetPasswordStart(K.ByEmail(), K.Account(), "en"), K.T0)).Flow;
        reset = K.Ok(kit.ResetPassword.Apply(reset, new SubmitCode(K.Code), K.T0)).Flow;
        flows.Add(reset);
        flows.Add(K.Ok(kit.ResetPassword.Apply(reset, new SetPassword("river7stone", hash), K.T0)).Flow);

        Assert.Contains(flows, f => f.State == RecoverPhoneByQuestionsStates.CoolingOff);
        Assert.Contains(flows, f => f.State == ResetPasswordStates.ApplyingChange);
        foreach (var flow in flows)
        {
            var json = FlowJson.Serialize(flow);
            var back = FlowJson.Deserialize(json);
            Assert.Equal(json, FlowJson.Serialize(back));
            Assert.Equal(flow.Challenges, back.Challenges);
            Assert.Equal(flow.Data.OrderBy(p => p.Key), back.Data.OrderBy(p => p.Key));
            Assert.Equal((flow.State, flow.Deadline, flow.Phone, flow.Email), (back.State, back.Deadline, back.Phone, back.Email));
        }
    }

    [Fact]
    public void Apply_AfterJsonRoundTrip_BehavesTheSame()
    {
        var flow = K.Ok(kit.ChangeEmail.Start(new ChangeEmailStart(K.Account(), Channel.Email, K.SessionId, "en"), K.T0)).Flow;

        var step = K.Ok(kit.ChangeEmail.Apply(FlowJson.Deserialize(FlowJson.Serialize(flow)), new SubmitCode(K.Code), K.T0));

        Assert.Equal(ChangeEmailStates.AwaitingNewEmail, step.Flow.State);
    }
}
