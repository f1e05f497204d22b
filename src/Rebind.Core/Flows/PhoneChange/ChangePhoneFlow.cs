using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Core.Flows.PhoneChange;

/// <summary>
/// <c>change_phone</c> (old phone works): code to the old phone → new number → code to the new phone →
/// <see cref="ChangePhone"/> (keeps the caller's session) → completed with notices to the old phone and the email.
/// See <c>states.mermaid</c>.
/// </summary>
public sealed class ChangePhoneFlow : AccountChangeFlow
{
    public const string KindName = "change_phone";

    /// <summary>Challenge step of the code to the old phone.</summary>
    public const string OldPhoneStep = "old_phone";

    public ChangePhoneFlow(FlowPolicy policy, CodeKeyRing keys, ICodeGenerator? codes = null)
        : base(policy, keys, codes)
    {
    }

    public override string Kind => KindName;

    /// <summary><c>account_has_no_phone</c> without a phone (bind one instead); else the <c>verify_old_phone_code</c> SMS.</summary>
    public override Result<FlowStep> Start(FlowStart request, DateTimeOffset now)
    {
        var start = StartAs<ChangePhoneStart>(request);
        if (start.Account.Phone is null)
        {
            return FlowErrors.AccountHasNoPhone();
        }

        var flow = NewFlow(ChangePhoneStates.AwaitingOldPhoneCode, start, now) with { Phone = start.Account.Phone, Email = start.Account.Email };
        if (start.SessionId is not null)
        {
            flow = flow.WithData(FlowDataKeys.KeepSessionId, start.SessionId);
        }

        return Challenges.Issue(flow, OldPhoneStep, Channel.Sms, start.Account.Phone, MessageKinds.VerifyOldPhoneCode, now);
    }

    protected override Result<FlowStep> Transition(Flow flow, FlowInput input, DateTimeOffset now)
    {
        switch (flow.State)
        {
            case ChangePhoneStates.AwaitingOldPhoneCode:
                return input switch
                {
                    SubmitCode submit => Confirm(flow, OldPhoneStep, submit.Code, now, confirmed => FlowStep.Of(confirmed with { State = ChangePhoneStates.AwaitingNewPhone })),
                    Resend => Challenges.Resend(flow, OldPhoneStep, MessageKinds.VerifyOldPhoneCode, now),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            case ChangePhoneStates.AwaitingNewPhone:
                return OnAwaitingNewPhone(flow, input, ChangePhoneStates.AwaitingNewPhoneCode, now);

            case ChangePhoneStates.AwaitingNewPhoneCode:
                return OnAwaitingNewPhoneCode(flow, input, now, confirmed => BeginChange(confirmed, Pending));

            case ChangePhoneStates.ApplyingChange:
                return Applying(flow, input, now, Pending, f => Notices.PhoneChanged(f, now), FlowErrors.PhoneAlreadyBound());

            default:
                return FlowErrors.InvalidState(flow.State, input.Name);
        }
    }

    private static ChangePhone Pending(Flow flow) => new(
        flow.AccountId!,
        flow.Phone,
        flow.Data[FlowDataKeys.NewPhone],
        flow.Data.GetValueOrDefault(FlowDataKeys.KeepSessionId),
        flow.Id);
}
