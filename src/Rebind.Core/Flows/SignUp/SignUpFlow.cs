using Rebind.Core.Identity;
using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Core.Flows.SignUp;

/// <summary>
/// <c>signup_phone</c>: phone → SMS code → password → account with the phone bound. See <c>states.mermaid</c>.
/// Whether the phone is taken is revealed only after its code is confirmed (the person owns the number).
/// </summary>
public sealed class SignUpFlow : FlowDefinition
{
    public const string KindName = "signup_phone";

    /// <summary>The challenge step of the phone code.</summary>
    public const string PhoneStep = "phone";

    private readonly ChallengeService challenges;

    public SignUpFlow(FlowPolicy policy, CodeKeyRing keys, ICodeGenerator? codes = null)
        : base(policy)
    {
        challenges = new ChallengeService(Policy, keys, codes);
    }

    public override string Kind => KindName;

    /// <summary>New flow in <c>awaiting_code</c> and the <c>signup_code</c> SMS.</summary>
    public Result<FlowStep> Start(PhoneNumber phone, string culture, DateTimeOffset now) => Start(new SignUpStart(phone, culture), now);

    public override Result<FlowStep> Start(FlowStart request, DateTimeOffset now)
    {
        if (request is not SignUpStart start)
        {
            throw new ArgumentException($"'{KindName}' starts from a {nameof(SignUpStart)}.", nameof(request));
        }

        if (!start.Phone.CanReceiveSms)
        {
            return FlowErrors.PhoneCannotReceiveSms();
        }

        var flow = NewFlow(SignUpStates.AwaitingCode, start, now) with { Phone = start.Phone.E164 };
        if (start.DeviceHash is not null)
        {
            flow = flow.WithData(FlowDataKeys.DeviceHash, start.DeviceHash);
        }
        if (start.DeviceName is not null)
        {
            flow = flow.WithData(FlowDataKeys.DeviceName, start.DeviceName);
        }
        return challenges.Issue(flow, PhoneStep, Channel.Sms, start.Phone.E164, MessageKinds.SignupCode, now, limitKey: start.Phone.E164);
    }

    protected override bool IsAwaitingEffect(Flow flow) => flow.State == SignUpStates.CreatingAccount;

    protected override Result<FlowStep> Transition(Flow flow, FlowInput input, DateTimeOffset now)
    {
        switch (flow.State)
        {
            case SignUpStates.AwaitingCode:
                return input switch
                {
                    SubmitCode submit => SubmitCode(flow, submit, now),
                    Resend => challenges.Resend(flow, PhoneStep, MessageKinds.SignupCode, now),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            case SignUpStates.AwaitingPassword:
                return input switch
                {
                    SetPassword set => SetPassword(flow, set, now),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            case SignUpStates.CreatingAccount:
                return input switch
                {
                    AccountCreated => FlowStep.Of(flow.WithoutData(SignUpData.PasswordHash).Finish(FlowStates.Completed, now)),
                    ClaimFailed => FlowStep.Failed(
                        flow.WithoutData(SignUpData.PasswordHash).Finish(FlowStates.Failed, now, FlowErrorCodes.PhoneAlreadyBound),
                        FlowErrors.PhoneAlreadyBound()),
                    Resume => FlowStep.Of(flow, PendingAccount(flow)),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            default:
                // A state this version does not know: a stored row from a newer deployment.
                return FlowErrors.InvalidState(flow.State, input.Name);
        }
    }

    private Result<FlowStep> SubmitCode(Flow flow, SubmitCode submit, DateTimeOffset now)
    {
        var verified = challenges.Verify(flow, PhoneStep, submit.Code, now);
        if (!verified.IsSuccess || verified.Value.Error is not null)
        {
            return verified;
        }

        var confirmed = verified.Value.Flow;
        return submit.PhoneAlreadyBound
            ? FlowStep.Failed(confirmed.Finish(FlowStates.Failed, now, FlowErrorCodes.PhoneAlreadyBound), FlowErrors.PhoneAlreadyBound())
            : FlowStep.Of(confirmed with { State = SignUpStates.AwaitingPassword });
    }

    private static Result<FlowStep> SetPassword(Flow flow, SetPassword set, DateTimeOffset now)
    {
        if (CheckNewPassword(set) is { } refused)
        {
            return refused;
        }

        var next = flow
            .WithData(SignUpData.AccountId, Guid.CreateVersion7(now).ToString("N"))
            .WithData(SignUpData.PasswordHash, set.PasswordHash)
            with { State = SignUpStates.CreatingAccount };
        return FlowStep.Of(next, PendingAccount(next));
    }

    private static CreateAccount PendingAccount(Flow flow) => new(
        flow.Data[SignUpData.AccountId],
        flow.Phone!,
        flow.Data[SignUpData.PasswordHash],
        flow.Id,
        flow.CreatedAt)
    {
        DeviceHash = flow.Data.GetValueOrDefault(FlowDataKeys.DeviceHash),
        DeviceName = flow.Data.GetValueOrDefault(FlowDataKeys.DeviceName),
    };
}
