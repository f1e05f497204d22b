using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Core.Flows.PhoneUnbinding;

/// <summary>
/// <c>unbind_phone</c>: code to the bound phone → <see cref="UnbindPhone"/> → completed with a
/// <c>phone_removed_notice</c> to the email. Refused at start with <c>last_recovery_channel</c> when no email is
/// bound (the account would have nothing left to recover with); the effect handler checks again.
/// </summary>
public sealed class UnbindPhoneFlow : AccountChangeFlow
{
    public const string KindName = "unbind_phone";

    /// <summary>Challenge step of the code to the phone being removed.</summary>
    public const string PhoneStep = "phone";

    public UnbindPhoneFlow(FlowPolicy policy, CodeKeyRing keys, ICodeGenerator? codes = null)
        : base(policy, keys, codes)
    {
    }

    public override string Kind => KindName;

    public override Result<FlowStep> Start(FlowStart request, DateTimeOffset now)
    {
        var start = StartAs<UnbindPhoneStart>(request);
        if (start.Account.Phone is null)
        {
            return FlowErrors.AccountHasNoPhone();
        }

        if (start.Account.Email is null)
        {
            return FlowErrors.LastRecoveryChannel();
        }

        var flow = NewFlow(UnbindPhoneStates.AwaitingCode, start, now) with { Phone = start.Account.Phone, Email = start.Account.Email };
        if (start.SessionId is not null)
        {
            flow = flow.WithData(FlowDataKeys.KeepSessionId, start.SessionId);
        }

        return Challenges.Issue(flow, PhoneStep, Channel.Sms, start.Account.Phone, MessageKinds.VerifyOldPhoneCode, now);
    }

    protected override Result<FlowStep> Transition(Flow flow, FlowInput input, DateTimeOffset now)
    {
        switch (flow.State)
        {
            case UnbindPhoneStates.AwaitingCode:
                return input switch
                {
                    SubmitCode submit => Confirm(flow, PhoneStep, submit.Code, now, confirmed => BeginChange(confirmed, Pending)),
                    Resend => Challenges.Resend(flow, PhoneStep, MessageKinds.VerifyOldPhoneCode, now),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            case UnbindPhoneStates.ApplyingChange:
                return Applying(flow, input, now, Pending, f => [Removed(f, now)], claimError: null);

            default:
                return FlowErrors.InvalidState(flow.State, input.Name);
        }
    }

    private static UnbindPhone Pending(Flow flow) =>
        new(flow.AccountId!, flow.Phone!, flow.Data.GetValueOrDefault(FlowDataKeys.KeepSessionId), flow.Id);

    private static SendMessage Removed(Flow flow, DateTimeOffset now) => Notices.Create(
        flow, Channel.Email, flow.Email!, MessageKinds.PhoneRemovedNotice, now, (MessageValues.MaskedPhoneValue, Notices.MaskPhone(flow.Phone!)));
}
