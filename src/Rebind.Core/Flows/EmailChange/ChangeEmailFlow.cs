using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Core.Flows.EmailChange;

/// <summary>
/// <c>change_email</c>: <c>account_change_code</c> to the old email (or, by choice, the bound phone) → new address → <c>email_code</c> to
/// it → <see cref="ChangeEmail"/> (keeps the caller's session) → completed with <c>email_changed_notice</c> to the
/// old address. See <c>states.mermaid</c>.
/// </summary>
public sealed class ChangeEmailFlow : AccountChangeFlow
{
    public const string KindName = "change_email";

    /// <summary>Challenge step of the first code (old email or bound phone).</summary>
    public const string VerifyStep = "verify";

    public ChangeEmailFlow(FlowPolicy policy, CodeKeyRing keys, ICodeGenerator? codes = null)
        : base(policy, keys, codes)
    {
    }

    public override string Kind => KindName;

    /// <summary>
    /// <c>account_has_no_email</c> without an email (bind one instead); <c>account_has_no_phone</c> when verifying by
    /// phone without one; else the first code.
    /// </summary>
    public override Result<FlowStep> Start(FlowStart request, DateTimeOffset now)
    {
        var start = StartAs<ChangeEmailStart>(request);
        if (start.Account.Email is null)
        {
            return FlowErrors.AccountHasNoEmail();
        }

        if (start.VerifyBy == Channel.Sms && start.Account.Phone is null)
        {
            return FlowErrors.AccountHasNoPhone();
        }

        var flow = NewFlow(ChangeEmailStates.AwaitingVerificationCode, start, now) with { Phone = start.Account.Phone, Email = start.Account.Email };
        if (start.SessionId is not null)
        {
            flow = flow.WithData(FlowDataKeys.KeepSessionId, start.SessionId);
        }

        return start.VerifyBy == Channel.Sms
            ? Challenges.Issue(flow, VerifyStep, Channel.Sms, flow.Phone!, MessageKinds.AccountChangeCode, now)
            : Challenges.Issue(flow, VerifyStep, Channel.Email, start.Account.Email, MessageKinds.AccountChangeCode, now);
    }

    protected override Result<FlowStep> Transition(Flow flow, FlowInput input, DateTimeOffset now)
    {
        switch (flow.State)
        {
            case ChangeEmailStates.AwaitingVerificationCode:
                return input switch
                {
                    SubmitCode submit => Confirm(flow, VerifyStep, submit.Code, now, confirmed => FlowStep.Of(confirmed with { State = ChangeEmailStates.AwaitingNewEmail })),
                    Resend => Challenges.Resend(flow, VerifyStep, MessageKinds.AccountChangeCode, now),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            case ChangeEmailStates.AwaitingNewEmail:
                return input switch
                {
                    SubmitEmail email => AcceptNewEmail(flow, email.Email, ChangeEmailStates.AwaitingNewEmailCode, now),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            case ChangeEmailStates.AwaitingNewEmailCode:
                return OnAwaitingNewEmailCode(flow, input, now, confirmed => BeginChange(confirmed, Pending));

            case ChangeEmailStates.ApplyingChange:
                return Applying(flow, input, now, Pending, f => [Changed(f, now)], FlowErrors.EmailAlreadyBound());

            default:
                return FlowErrors.InvalidState(flow.State, input.Name);
        }
    }

    private static ChangeEmail Pending(Flow flow) => new(
        flow.AccountId!,
        flow.Email!,
        flow.Data[FlowDataKeys.NewEmail],
        flow.Data.GetValueOrDefault(FlowDataKeys.KeepSessionId),
        flow.Id);

    private static SendMessage Changed(Flow flow, DateTimeOffset now) => Notices.Create(
        flow, Channel.Email, flow.Email!, MessageKinds.EmailChangedNotice, now,
        (MessageValues.MaskedNewEmailValue, Mask.Email(flow.Data[FlowDataKeys.NewEmail])));
}
