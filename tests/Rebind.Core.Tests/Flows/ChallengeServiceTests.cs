using Rebind.Core.Flows;
using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Core.Tests.Flows;

public sealed class ChallengeServiceTests
{
    private readonly FlowTestKit kit = new();

    private Flow NewFlow(string id = "flow-aaaaaaaaaaaaaaaaaaaaaaaaaaaa") => new()
    {
        Id = id,
        Kind = "test_kind",
        State = "awaiting_code",
        CreatedAt = kit.Now,
        Deadline = kit.Now + TimeSpan.FromMinutes(30),
        Culture = "en",
    };

    private ChallengeService Service(CodeKeyRing? keys = null, ICodeGenerator? codes = null) => new(kit.Policy, keys ?? kit.Keys, codes);

    private (Flow Flow, string Code) Issue(ChallengeService service, Flow flow, string step = "phone", string destination = "+8613812345678")
    {
        var issued = service.Issue(flow, step, Channel.Sms, destination, "signup_code", kit.Now).Value;
        return (issued.Flow, FlowTestKit.CodeOf(issued));
    }

    [Fact]
    public void Issue_NewStep_SendsSmsWithCodeAndMinutesAndStoresOnlyHash()
    {
        var service = Service();

        var step = service.Issue(NewFlow(), "phone", Channel.Sms, "+8613812345678", "signup_code", kit.Now).Value;

        var message = FlowTestKit.SingleMessage(step);
        var challenge = Assert.Single(step.Flow.Challenges);
        Assert.Equal(("+8613812345678", "signup_code", Channel.Sms, "10"), (message.To, message.Kind, message.Channel, message.Values["minutes"]));
        Assert.Matches("^[0-9]{6}$", message.Values["code"]);
        Assert.DoesNotContain(message.Values["code"], challenge.CodeHash, StringComparison.Ordinal);
        Assert.Equal((kit.Now, kit.Now.AddMinutes(10), 1, "k1"), (challenge.SentAt, challenge.ExpiresAt, challenge.Sends, challenge.KeyId));
    }

    [Fact]
    public void IssueDerived_SameSendTwice_SameCodeAndMessageKey_AndTheCodeVerifies()
    {
        var service = Service();
        var flow = NewFlow();

        var first = service.IssueDerived(flow, "phone", Channel.Sms, "+8613812345678", "signup_code", kit.Now, send: 1).Value;
        var again = service.IssueDerived(flow, "phone", Channel.Sms, "+8613812345678", "signup_code", kit.Now, send: 1).Value;
        var code = FlowTestKit.CodeOf(first);

        Assert.Equal(code, FlowTestKit.CodeOf(again));
        Assert.Equal(FlowTestKit.SingleMessage(first).IdempotencyKey, FlowTestKit.SingleMessage(again).IdempotencyKey);
        Assert.Matches("^[0-9]{6}$", code);
        Assert.True(service.Verify(first.Flow, "phone", code, kit.Now).Value.Error is null);
    }

    [Fact]
    public void IssueDerived_NextSendOrOtherFlowOrOtherKey_OtherCodeAndKey()
    {
        var service = Service();
        string CodeFor(ChallengeService s, Flow f, int send) =>
            FlowTestKit.CodeOf(s.IssueDerived(f, "phone", Channel.Sms, "+8613812345678", "signup_code", kit.Now, send).Value);

        var codes = new[]
        {
            CodeFor(service, NewFlow(), 1),
            CodeFor(service, NewFlow(), 2),
            CodeFor(service, NewFlow("flow-bbbbbbbbbbbbbbbbbbbbbbbbbbbb"), 1),
            CodeFor(Service(CodeKeyRing.CreateRandom()), NewFlow(), 1),
        };

        // Four 6-digit codes from a PRF: a collision would be a one-in-a-hundred-thousand accident, not a pass.
        Assert.Equal(codes.Length, codes.Distinct().Count());
        Assert.NotEqual(ChallengeService.DerivedMessageKey("f", "phone", 1), ChallengeService.DerivedMessageKey("f", "phone", 2));
    }

    [Fact]
    public void DerivedMessage_OfTheStoredChallenge_IsTheMessageFirstSent()
    {
        var service = Service();
        var step = service.IssueDerived(NewFlow(), "phone", Channel.Sms, "+8613812345678", "signup_code", kit.Now, send: 2).Value;

        var rebuilt = service.DerivedMessage(step.Flow, step.Flow.ChallengeFor("phone")!, "signup_code");

        var sent = FlowTestKit.SingleMessage(step);
        Assert.NotNull(rebuilt);
        Assert.Equal((sent.IdempotencyKey, sent.To, sent.CreatedAt, sent.Values["code"], sent.Values["minutes"]),
            (rebuilt!.IdempotencyKey, rebuilt.To, rebuilt.CreatedAt, rebuilt.Values["code"], rebuilt.Values["minutes"]));
    }

    [Fact]
    public void IssueDerived_PastTheSendCap_TooManySends()
    {
        var result = Service().IssueDerived(NewFlow(), "phone", Channel.Sms, "+8613812345678", "signup_code", kit.Now, send: kit.Policy.MaxSendsPerFlow + 1);

        Assert.False(result.IsSuccess);
        Assert.Equal(FlowErrorCodes.TooManySends, result.Error.Code);
    }

    [Fact]
    public void Issue_CodeLifetimeBeyondDeadline_ExpiresAtDeadline()
    {
        var flow = NewFlow() with { Deadline = kit.Now.AddMinutes(3) };

        var step = Service().Issue(flow, "phone", Channel.Sms, "+8613812345678", "signup_code", kit.Now).Value;

        Assert.Equal(kit.Now.AddMinutes(3), step.Flow.Challenges[0].ExpiresAt);
        Assert.Equal("3", FlowTestKit.SingleMessage(step).Values["minutes"]);
    }

    [Fact]
    public void Verify_RightCode_MarksChallengeUsed()
    {
        var service = Service();
        var (flow, code) = Issue(service, NewFlow());

        var step = service.Verify(flow, "phone", code, kit.Now).Value;

        Assert.Null(step.Error);
        Assert.True(step.Flow.Challenges[0].Used);
    }

    [Fact]
    public void Verify_FullWidthAndSpacedCode_Accepted()
    {
        var service = Service(codes: new FixedCodes("012345"));
        var (flow, _) = Issue(service, NewFlow());

        var step = service.Verify(flow, "phone", "０１２ ３４５", kit.Now).Value;

        Assert.Null(step.Error);
    }

    [Fact]
    public void Verify_WrongCodes_AttemptsLeftDecreasesThenTooManyAttempts()
    {
        var service = Service();
        var (flow, code) = Issue(service, NewFlow());
        var left = new List<object?>();

        for (var i = 0; i < 4; i++)
        {
            var step = service.Verify(flow, "phone", FlowTestKit.WrongCode(code), kit.Now).Value;
            Assert.Equal(FlowErrorCodes.InvalidCode, step.Error?.Code);
            left.Add(step.Error!.Details["attemptsLeft"]);
            flow = step.Flow;
        }

        var fifth = service.Verify(flow, "phone", FlowTestKit.WrongCode(code), kit.Now).Value;

        Assert.Equal(new object?[] { 4, 3, 2, 1 }, left);
        Assert.Equal(FlowErrorCodes.TooManyAttempts, fifth.Error?.Code);
        Assert.True(fifth.Flow.Challenges[0].Dead);
        Assert.Equal(5, fifth.Flow.Challenges[0].FailedAttempts);
    }

    [Fact]
    public void Verify_RightCodeAfterChallengeKilled_ReturnsTooManyAttempts()
    {
        var service = Service();
        var (flow, code) = Issue(service, NewFlow());
        for (var i = 0; i < 5; i++)
        {
            flow = service.Verify(flow, "phone", FlowTestKit.WrongCode(code), kit.Now).Value.Flow;
        }

        var result = service.Verify(flow, "phone", code, kit.Now);

        Assert.Equal(FlowErrorCodes.TooManyAttempts, result.Error?.Code);
    }

    [Fact]
    public void Verify_NonDigitCode_CountsAsWrongAttempt()
    {
        var service = Service();
        var (flow, _) = Issue(service, NewFlow());

        var step = service.Verify(flow, "phone", "12ab56", kit.Now).Value;

        Assert.Equal(FlowErrorCodes.InvalidCode, step.Error?.Code);
        Assert.Equal(1, step.Flow.Challenges[0].FailedAttempts);
    }

    [Fact]
    public void Verify_AtExpiry_ReturnsCodeExpiredAndChangesNothing()
    {
        var service = Service();
        var (flow, code) = Issue(service, NewFlow());
        kit.Clock.Advance(TimeSpan.FromMinutes(10));

        var result = service.Verify(flow, "phone", code, kit.Now);

        Assert.Equal(FlowErrorCodes.CodeExpired, result.Error?.Code);
    }

    [Fact]
    public void Verify_JustBeforeExpiry_Accepted()
    {
        var service = Service();
        var (flow, code) = Issue(service, NewFlow());
        kit.Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));

        var result = service.Verify(flow, "phone", code, kit.Now);

        Assert.Null(result.Value.Error);
    }

    [Fact]
    public void Verify_UsedCodeAgain_ReturnsCodeUsed()
    {
        var service = Service();
        var (flow, code) = Issue(service, NewFlow());
        flow = service.Verify(flow, "phone", code, kit.Now).Value.Flow;

        var result = service.Verify(flow, "phone", code, kit.Now);

        Assert.Equal(FlowErrorCodes.CodeUsed, result.Error?.Code);
    }

    [Fact]
    public void Verify_NoChallengeForStep_ReturnsInvalidState()
    {
        var result = Service().Verify(NewFlow(), "phone", "123456", kit.Now);

        Assert.Equal(FlowErrorCodes.InvalidState, result.Error?.Code);
        Assert.Equal("awaiting_code", result.Error!.Details["state"]);
    }

    [Fact]
    public void Verify_CodeIssuedForOtherStep_DoesNotVerify()
    {
        var service = Service(codes: new FixedCodes("482913"));
        var (flow, code) = Issue(service, NewFlow(), step: "old_phone");
        var moved = flow with { Challenges = [flow.Challenges[0] with { Step = "new_phone" }] };

        var step = service.Verify(moved, "new_phone", code, kit.Now).Value;

        Assert.Equal(FlowErrorCodes.InvalidCode, step.Error?.Code);
    }

    [Fact]
    public void Verify_CodeIssuedForOtherDestination_DoesNotVerify()
    {
        var service = Service(codes: new FixedCodes("482913"));
        var (flow, code) = Issue(service, NewFlow(), destination: "+8613812345678");
        var redirected = flow with { Challenges = [flow.Challenges[0] with { Destination = "+8613900000000" }] };

        var step = service.Verify(redirected, "phone", code, kit.Now).Value;

        Assert.Equal(FlowErrorCodes.InvalidCode, step.Error?.Code);
    }

    [Fact]
    public void Verify_ChallengeCopiedToOtherFlow_DoesNotVerify()
    {
        var service = Service(codes: new FixedCodes("482913"));
        var (flow, code) = Issue(service, NewFlow("flow-one"));
        var other = NewFlow("flow-two") with { Challenges = flow.Challenges };

        var step = service.Verify(other, "phone", code, kit.Now).Value;

        Assert.Equal(FlowErrorCodes.InvalidCode, step.Error?.Code);
    }

    [Fact]
    public void Verify_AfterKeyRotation_OldChallengeVerifiesWithItsKeyAndNewUsesCurrent()
    {
        var before = Service(FlowTestKit.KeyRing("k1"));
        var (flow, code) = Issue(before, NewFlow());
        var after = Service(FlowTestKit.KeyRing("k2", "k1"));

        var verified = after.Verify(flow, "phone", code, kit.Now).Value;
        var reissued = after.Issue(NewFlow(), "phone", Channel.Sms, "+8613812345678", "signup_code", kit.Now).Value;

        Assert.Null(verified.Error);
        Assert.Equal("k2", reissued.Flow.Challenges[0].KeyId);
    }

    [Fact]
    public void Verify_KeyRemovedFromRing_DoesNotVerify()
    {
        var (flow, code) = Issue(Service(FlowTestKit.KeyRing("k1")), NewFlow());
        var rotatedOut = Service(FlowTestKit.KeyRing("k2"));

        var step = rotatedOut.Verify(flow, "phone", code, kit.Now).Value;

        Assert.Equal(FlowErrorCodes.InvalidCode, step.Error?.Code);
    }

    [Fact]
    public void Verify_PretendChallengeWithTheGeneratedCode_NeverVerifies()
    {
        var service = Service(codes: new FixedCodes("246810"));
        var issued = service.Issue(NewFlow(), "email", Channel.Email, "nobody@example.com", "recovery_email_code", kit.Now, pretend: true).Value;

        var step = service.Verify(issued.Flow, "email", "246810", kit.Now).Value;

        Assert.Empty(issued.Effects);
        Assert.True(issued.Flow.Challenges[0].Pretend);
        Assert.Equal(FlowErrorCodes.InvalidCode, step.Error?.Code);
        Assert.Equal(4, step.Error!.Details["attemptsLeft"]);
    }

    [Fact]
    public void Resend_PretendChallenge_RespectsCooldownAndSendsNothing()
    {
        var service = Service();
        var flow = service.Issue(NewFlow(), "email", Channel.Email, "nobody@example.com", "recovery_email_code", kit.Now, pretend: true).Value.Flow;

        var early = service.Resend(flow, "email", "recovery_email_code", kit.Now.AddSeconds(30));
        var later = service.Resend(flow, "email", "recovery_email_code", kit.Now.AddSeconds(60)).Value;

        Assert.Equal(FlowErrorCodes.ResendCooldown, early.Error?.Code);
        Assert.Empty(later.Effects);
        Assert.Equal(2, later.Flow.Challenges[0].Sends);
    }

    [Theory]
    [InlineData(0, 60)]
    [InlineData(1, 59)]
    [InlineData(59.5, 1)]
    [InlineData(30.2, 30)]
    public void Resend_WithinCooldown_ReturnsRetryAfterSecondsRoundedUp(double elapsedSeconds, int expected)
    {
        var service = Service();
        var (flow, _) = Issue(service, NewFlow());

        var result = service.Resend(flow, "phone", "signup_code", kit.Now.AddSeconds(elapsedSeconds));

        Assert.Equal(FlowErrorCodes.ResendCooldown, result.Error?.Code);
        Assert.Equal(expected, result.Error!.Details["retryAfterSeconds"]);
    }

    [Fact]
    public void Resend_AfterCooldown_NewCodeResetsAttemptsAndOldCodeStopsWorking()
    {
        var service = Service(codes: new FixedCodes("111111", "222222"));
        var (flow, first) = Issue(service, NewFlow());
        flow = service.Verify(flow, "phone", "999999", kit.Now).Value.Flow;
        kit.Clock.Advance(TimeSpan.FromSeconds(60));

        var resent = service.Resend(flow, "phone", "signup_code", kit.Now).Value;
        var withOld = service.Verify(resent.Flow, "phone", first, kit.Now).Value;
        var withNew = service.Verify(resent.Flow, "phone", FlowTestKit.CodeOf(resent), kit.Now).Value;

        Assert.Equal("222222", FlowTestKit.CodeOf(resent));
        Assert.Equal((2, 0), (resent.Flow.Challenges[0].Sends, resent.Flow.Challenges[0].FailedAttempts));
        Assert.Equal(FlowErrorCodes.InvalidCode, withOld.Error?.Code);
        Assert.Null(withNew.Error);
    }

    [Fact]
    public void Resend_SixthSend_ReturnsTooManySends()
    {
        var service = Service();
        var (flow, _) = Issue(service, NewFlow());
        for (var i = 0; i < 4; i++)
        {
            kit.Clock.Advance(TimeSpan.FromSeconds(60));
            flow = service.Resend(flow, "phone", "signup_code", kit.Now).Value.Flow;
        }

        kit.Clock.Advance(TimeSpan.FromSeconds(60));
        var sixth = service.Resend(flow, "phone", "signup_code", kit.Now);

        Assert.Equal(5, flow.TotalSends);
        Assert.Equal(FlowErrorCodes.TooManySends, sixth.Error?.Code);
    }

    [Fact]
    public void Issue_NewStepWhenFlowUsedAllSends_ReturnsTooManySends()
    {
        var service = Service();
        var (flow, _) = Issue(service, NewFlow(), step: "old_phone");
        flow = flow with { Challenges = [flow.Challenges[0] with { Sends = 5 }] };

        var result = service.Issue(flow, "new_phone", Channel.Sms, "+8613900000000", "bind_phone_code", kit.Now);

        Assert.Equal(FlowErrorCodes.TooManySends, result.Error?.Code);
    }

    private sealed class FixedCodes(params string[] codes) : ICodeGenerator
    {
        private int next;

        public string Generate(int digits) => codes[Math.Min(next++, codes.Length - 1)];
    }
}
