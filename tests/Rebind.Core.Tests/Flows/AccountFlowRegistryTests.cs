using Rebind.Core.Flows;
using Rebind.Core.Flows.PhoneBinding;
using K = Rebind.Core.Tests.Flows.AccountFlowKit;

namespace Rebind.Core.Tests.Flows;

public sealed class AccountFlowRegistryTests
{
    [Fact]
    public void Kinds_AllDefinitionsTogether_DistinctAndNamedAsDesigned()
    {
        var kit = new K();

        var registry = new FlowRegistry([new FlowTestKit().SignUp, .. kit.All]);

        Assert.Equal(
            new[] { "bind_email", "bind_phone", "change_email", "change_phone", "recover_phone_by_email", "recover_phone_by_questions", "reset_password", "signup_phone", "unbind_phone" },
            registry.Kinds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Start_WrongStartRecord_Throws()
    {
        var kit = new K();

        Assert.Throws<ArgumentException>(() => kit.ChangePhone.Start(new BindPhoneStart(K.Account(phone: null), K.Phone(), "en"), K.T0));
    }

    [Fact]
    public void Apply_OwnedFlowOfAccountKinds_AcceptsOnlyOwner()
    {
        var kit = new K();
        var flow = K.Ok(kit.BindPhone.Start(new BindPhoneStart(K.Account(phone: null), K.Phone(), "en"), K.T0)).Flow;

        Assert.True(flow.AcceptsCaller(K.AccountId));
        Assert.False(flow.AcceptsCaller("someone-else"));
        Assert.False(flow.AcceptsCaller(null));
    }
}

public sealed class ApplyingChangeTests
{
    private static readonly string Hash = Rebind.Core.Security.PasswordHasher.ForTests(1_000).Hash("river7stone");

    public static TheoryData<string> Kinds => new(new K().All.Select(d => d.Kind));

    /// <summary>Drives a flow of <paramref name="kind"/> to <c>applying_change</c> along its happy path.</summary>
    private static FlowStep Applying(K kit, string kind)
    {
        var t = K.T0;
        FlowStep Go(IFlowDefinition d, Flow f, params FlowInput[] inputs)
        {
            FlowStep step = null!;
            foreach (var input in inputs)
            {
                step = K.Ok(d.Apply(f, input, t));
                f = step.Flow;
            }

            return step;
        }

        return kind switch
        {
            "bind_phone" => Go(kit.BindPhone, K.Ok(kit.BindPhone.Start(new BindPhoneStart(K.Account(phone: null), K.Phone(), "en"), t)).Flow, new SubmitCode(K.Code)),
            "bind_email" => Go(kit.BindEmail, K.Ok(kit.BindEmail.Start(new Rebind.Core.Flows.EmailBinding.BindEmailStart(K.Account(email: null), K.Mail(), "en"), t)).Flow, new SubmitCode(K.Code)),
            "change_phone" => Go(kit.ChangePhone, K.Ok(kit.ChangePhone.Start(new Rebind.Core.Flows.PhoneChange.ChangePhoneStart(K.Account(), K.SessionId, "en"), t)).Flow,
                new SubmitCode(K.Code), new SubmitPhone(K.Phone()), new SubmitCode(K.Code)),
            "unbind_phone" => Go(kit.UnbindPhone, K.Ok(kit.UnbindPhone.Start(new Rebind.Core.Flows.PhoneUnbinding.UnbindPhoneStart(K.Account(), K.SessionId, "en"), t)).Flow, new SubmitCode(K.Code)),
            "change_email" => Go(kit.ChangeEmail, K.Ok(kit.ChangeEmail.Start(new Rebind.Core.Flows.EmailChange.ChangeEmailStart(K.Account(), Rebind.Core.Messaging.Channel.Email, K.SessionId, "en"), t)).Flow,
                new SubmitCode(K.Code), new SubmitEmail(K.Mail()), new SubmitCode(K.Code)),
            "recover_phone_by_email" => Go(kit.RecoverByEmail, K.Ok(kit.RecoverByEmail.Start(new Rebind.Core.Flows.PhoneRecoveryByEmail.RecoverPhoneByEmailStart(K.ByPhone(), K.Account(), "en"), t)).Flow,
                new SubmitCode(K.Code), new SubmitPhone(K.Phone()), new SubmitCode(K.Code)),
            "recover_phone_by_questions" => MatureQuestions(kit, Go(kit.RecoverByQuestions,
                K.Ok(kit.RecoverByQuestions.Start(new Rebind.Core.Flows.PhoneRecoveryByQuestions.RecoverPhoneByQuestionsStart(K.ByPhone(), K.Account(), "en"), t)).Flow,
                new SubmitAnswers(true), new SubmitPhone(K.Phone()), new SubmitCode(K.Code)).Flow),
            "reset_password" => Go(kit.ResetPassword, K.Ok(kit.ResetPassword.Start(new Rebind.Core.Flows.PasswordReset.ResetPasswordStart(K.ByPhone(), K.Account(), "en"), t)).Flow,
                new SubmitCode(K.Code), new SetPassword("river7stone", Hash)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static FlowStep MatureQuestions(K kit, Flow cooling) => K.Ok(kit.RecoverByQuestions.Apply(cooling, new Expire(), cooling.Deadline));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Resume_DaysLaterAfterJsonRoundTrip_ReemitsIdenticalEffect(string kind)
    {
        var kit = new K();
        var applying = Applying(kit, kind);
        var definition = kit.All.Single(d => d.Kind == kind);

        var stored = FlowJson.Deserialize(FlowJson.Serialize(applying.Flow));
        var resumed = K.Ok(definition.Apply(stored, new Resume(), K.T0.AddDays(10)));

        Assert.Equal("applying_change", applying.Flow.State);
        Assert.Equal(Assert.Single(applying.Effects), Assert.Single(resumed.Effects));
        Assert.IsNotType<SendMessage>(resumed.Effects[0]);
        Assert.Equal("applying_change", resumed.Flow.State);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void CancelAndExpire_WhileApplying_RefusedEvenPastDeadline(string kind)
    {
        var kit = new K();
        var flow = Applying(kit, kind).Flow;
        var definition = kit.All.Single(d => d.Kind == kind);

        Assert.Equal(FlowErrorCodes.InvalidState, definition.Apply(flow, new Cancel(), K.T0).Error?.Code);
        Assert.Equal(FlowErrorCodes.InvalidState, definition.Apply(flow, new Expire(), flow.Deadline.AddDays(1)).Error?.Code);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AccountChanged_WhileApplying_FailsWithoutNotices(string kind)
    {
        var kit = new K();
        var flow = Applying(kit, kind).Flow;
        var definition = kit.All.Single(d => d.Kind == kind);

        var step = definition.Apply(flow, new AccountChanged(), K.T0).Value;

        Assert.Equal(("failed", "account_changed"), (step.Flow.State, step.Flow.Outcome));
        Assert.Empty(step.Effects);
        Assert.False(step.Flow.Data.ContainsKey(FlowDataKeys.PasswordHash));
    }
}
