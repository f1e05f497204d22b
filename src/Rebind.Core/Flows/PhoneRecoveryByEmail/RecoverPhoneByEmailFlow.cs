using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Core.Flows.PhoneRecoveryByEmail;

/// <summary>
/// <c>recover_phone_by_email</c> (old phone lost, not signed in): a <c>recovery_email_code</c> to the account's
/// bound email — never an SMS to the old number → new number → SMS code to it → <see cref="ChangePhone"/> ending
/// every session → completed with notices to the old phone and the email. No matching account, or no email bound:
/// the same states and answers, nothing sent, no code ever verifies. See <c>states.mermaid</c>.
/// </summary>
public sealed class RecoverPhoneByEmailFlow : AccountChangeFlow
{
    public const string KindName = "recover_phone_by_email";

    /// <summary>Challenge step of the code to the account's email.</summary>
    public const string EmailStep = "email";

    public RecoverPhoneByEmailFlow(FlowPolicy policy, CodeKeyRing keys, ICodeGenerator? codes = null)
        : base(policy, keys, codes)
    {
    }

    public override string Kind => KindName;

    public override Result<FlowStep> Start(FlowStart request, DateTimeOffset now)
    {
        var start = StartAs<RecoverPhoneByEmailStart>(request);
        var flow = NewFlow(RecoverPhoneByEmailStates.AwaitingEmailCode, start, now);
        if (start.Identifier.Identifies(start.Account) && start.Account!.Email is { } email)
        {
            flow = ForAccount(flow, start.Account);
            return Challenges.Issue(flow, EmailStep, Channel.Email, email, MessageKinds.RecoveryEmailCode, now, limitKey: start.Identifier.Value);
        }

        return Challenges.Issue(flow, EmailStep, Channel.Email, start.Identifier.Value, MessageKinds.RecoveryEmailCode, now, pretend: true, limitKey: start.Identifier.Value);
    }

    protected override Result<FlowStep> Transition(Flow flow, FlowInput input, DateTimeOffset now)
    {
        switch (flow.State)
        {
            case RecoverPhoneByEmailStates.AwaitingEmailCode:
                return input switch
                {
                    SubmitCode submit => Confirm(flow, EmailStep, submit.Code, now, confirmed => FlowStep.Of(confirmed with { State = RecoverPhoneByEmailStates.AwaitingNewPhone })),
                    Resend => Challenges.Resend(flow, EmailStep, MessageKinds.RecoveryEmailCode, now),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            case RecoverPhoneByEmailStates.AwaitingNewPhone:
                return OnAwaitingNewPhone(flow, input, RecoverPhoneByEmailStates.AwaitingNewPhoneCode, now);

            case RecoverPhoneByEmailStates.AwaitingNewPhoneCode:
                return OnAwaitingNewPhoneCode(flow, input, now, confirmed => BeginChange(confirmed, Pending));

            case RecoverPhoneByEmailStates.ApplyingChange:
                return Applying(flow, input, now, Pending, f => Notices.PhoneChanged(f, now), FlowErrors.PhoneAlreadyBound());

            default:
                return FlowErrors.InvalidState(flow.State, input.Name);
        }
    }

    // Whoever lost the phone may have lost the device too: every session ends.
    // The email the code went to must still be bound when the phone changes.
    private static ChangePhone Pending(Flow flow) =>
        new(flow.Data[FlowDataKeys.AccountId], flow.Phone, flow.Data[FlowDataKeys.NewPhone], KeepSessionId: null, flow.Id, Guard(flow, provenEmail: flow.Email));
}
