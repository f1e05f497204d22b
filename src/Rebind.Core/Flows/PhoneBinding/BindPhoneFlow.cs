using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Core.Flows.PhoneBinding;

/// <summary>
/// <c>bind_phone</c>: signed in, no phone bound → SMS code to the new phone → <see cref="BindPhone"/> effect
/// → completed. Whether the phone is taken is revealed only after its code is confirmed. See <c>states.mermaid</c>.
/// </summary>
public sealed class BindPhoneFlow : AccountChangeFlow
{
    public const string KindName = "bind_phone";

    public BindPhoneFlow(FlowPolicy policy, CodeKeyRing keys, ICodeGenerator? codes = null)
        : base(policy, keys, codes)
    {
    }

    public override string Kind => KindName;

    /// <summary><c>account_has_phone</c> when one is bound (change it instead); else <c>awaiting_code</c> and the SMS.</summary>
    public override Result<FlowStep> Start(FlowStart request, DateTimeOffset now)
    {
        var start = StartAs<BindPhoneStart>(request);
        if (start.Account.Phone is not null)
        {
            return FlowErrors.AccountHasPhone();
        }

        var flow = NewFlow(BindPhoneStates.AwaitingCode, start, now) with { Email = start.Account.Email };
        return AcceptNewPhone(flow, start.Phone, BindPhoneStates.AwaitingCode, now);
    }

    protected override Result<FlowStep> Transition(Flow flow, FlowInput input, DateTimeOffset now)
    {
        switch (flow.State)
        {
            case BindPhoneStates.AwaitingCode:
                return OnAwaitingNewPhoneCode(flow, input, now, confirmed => BeginChange(confirmed, Pending));

            case BindPhoneStates.ApplyingChange:
                return Applying(flow, input, now, Pending, f => Notices.ContactAdded(f, Notices.MaskPhone(f.Data[FlowDataKeys.NewPhone]), input, Policy, now), FlowErrors.PhoneAlreadyBound());

            default:
                return FlowErrors.InvalidState(flow.State, input.Name);
        }
    }

    private static BindPhone Pending(Flow flow) => new(flow.AccountId!, flow.Data[FlowDataKeys.NewPhone], flow.Id);
}
