using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Core.Flows.PasswordReset;

/// <summary>
/// <c>reset_password</c> (not signed in): <c>password_reset_code</c> to the phone or email the user typed → new
/// password (policy, not the current one) → <see cref="ResetPassword"/> (all sessions end; no sign-in) →
/// completed with a <c>password_reset_notice</c> on the other channel if bound. Unknown identifier: the same states,
/// answers and cooldowns, nothing sent, no code ever verifies. See <c>states.mermaid</c>.
/// </summary>
public sealed class ResetPasswordFlow : AccountChangeFlow
{
    public const string KindName = "reset_password";

    /// <summary>Challenge step of the reset code.</summary>
    public const string CodeStep = "code";

    public ResetPasswordFlow(FlowPolicy policy, CodeKeyRing keys, ICodeGenerator? codes = null)
        : base(policy, keys, codes)
    {
    }

    public override string Kind => KindName;

    public override Result<FlowStep> Start(FlowStart request, DateTimeOffset now)
    {
        var start = StartAs<ResetPasswordStart>(request);
        var flow = NewFlow(ResetPasswordStates.AwaitingCode, start, now);
        var real = start.Identifier.Identifies(start.Account);
        if (real)
        {
            flow = ForAccount(flow, start.Account!);
        }

        return Challenges.Issue(flow, CodeStep, start.Identifier.Channel, start.Identifier.Value, MessageKinds.PasswordResetCode, now, pretend: !real, limitKey: start.Identifier.Value);
    }

    protected override Result<FlowStep> Transition(Flow flow, FlowInput input, DateTimeOffset now)
    {
        switch (flow.State)
        {
            case ResetPasswordStates.AwaitingCode:
                return input switch
                {
                    SubmitCode submit => Confirm(flow, CodeStep, submit.Code, now, confirmed => FlowStep.Of(confirmed with { State = ResetPasswordStates.AwaitingPassword })),
                    Resend => Challenges.Resend(flow, CodeStep, MessageKinds.PasswordResetCode, now),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            case ResetPasswordStates.AwaitingPassword:
                return input switch
                {
                    SetPassword set => SetPassword(flow, set),
                    // The code was confirmed already: a repeat (a double tap, a replay) is told so.
                    SubmitCode => FlowErrors.CodeUsed(),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            case ResetPasswordStates.ApplyingChange:
                return Applying(flow, input, now, Pending, f => OtherChannelNotice(f, now), claimError: null);

            default:
                return FlowErrors.InvalidState(flow.State, input.Name);
        }
    }

    private static Result<FlowStep> SetPassword(Flow flow, SetPassword set)
    {
        if (CheckNewPassword(set) is { } refused)
        {
            return refused;
        }

        return BeginChange(flow.WithData(FlowDataKeys.PasswordHash, set.PasswordHash), Pending);
    }

    // The code went to the contact the user typed: it must still be the account's when the password applies.
    private static ResetPassword Pending(Flow flow)
    {
        var proven = flow.ChallengeFor(CodeStep)!;
        return new(flow.Data[FlowDataKeys.AccountId], flow.Data[FlowDataKeys.PasswordHash], flow.Id, proven.Channel == Channel.Sms
            ? Guard(flow, provenPhone: proven.Destination)
            : Guard(flow, provenEmail: proven.Destination));
    }

    /// <summary>Email if the code went by SMS, SMS if it went by email; nothing when that channel is not bound.</summary>
    private static IEnumerable<FlowEffect> OtherChannelNotice(Flow flow, DateTimeOffset now)
    {
        var used = flow.ChallengeFor(CodeStep)!.Channel;
        if (used == Channel.Sms && flow.Email is not null)
        {
            yield return Notices.Create(flow, Channel.Email, flow.Email, MessageKinds.PasswordResetNotice, now);
        }
        else if (used == Channel.Email && flow.Phone is not null)
        {
            yield return Notices.Create(flow, Channel.Sms, flow.Phone, MessageKinds.PasswordResetNotice, now);
        }
    }
}
