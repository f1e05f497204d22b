using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Core.Flows.EmailBinding;

/// <summary>
/// <c>bind_email</c>: signed in, no email bound → <c>email_code</c> to the new address → <see cref="BindEmail"/>
/// effect → completed. Whether the address is taken is revealed only after its code is confirmed.
/// </summary>
public sealed class BindEmailFlow : AccountChangeFlow
{
    public const string KindName = "bind_email";

    public BindEmailFlow(FlowPolicy policy, CodeKeyRing keys, ICodeGenerator? codes = null)
        : base(policy, keys, codes)
    {
    }

    public override string Kind => KindName;

    /// <summary><c>account_has_email</c> when one is bound (change it instead); else <c>awaiting_code</c> and the email.</summary>
    public override Result<FlowStep> Start(FlowStart request, DateTimeOffset now)
    {
        var start = StartAs<BindEmailStart>(request);
        if (start.Account.Email is not null)
        {
            return FlowErrors.AccountHasEmail();
        }

        var flow = NewFlow(BindEmailStates.AwaitingCode, start, now) with { Phone = start.Account.Phone };
        return AcceptNewEmail(flow, start.Email, BindEmailStates.AwaitingCode, now);
    }

    protected override Result<FlowStep> Transition(Flow flow, FlowInput input, DateTimeOffset now)
    {
        switch (flow.State)
        {
            case BindEmailStates.AwaitingCode:
                return OnAwaitingNewEmailCode(flow, input, now, confirmed => BeginChange(confirmed, Pending));

            case BindEmailStates.ApplyingChange:
                return Applying(flow, input, now, Pending, f => Notices.ContactAdded(f, Mask.Email(f.Data[FlowDataKeys.NewEmail]), input, Policy, now), FlowErrors.EmailAlreadyBound());

            default:
                return FlowErrors.InvalidState(flow.State, input.Name);
        }
    }

    private static BindEmail Pending(Flow flow) => new(flow.AccountId!, flow.Data[FlowDataKeys.NewEmail], flow.Id);
}
