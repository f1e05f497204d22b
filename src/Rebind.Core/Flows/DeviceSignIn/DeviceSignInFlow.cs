using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Core.Flows.DeviceSignIn;

/// <summary>
/// <c>verify_device</c> (not signed in; started by a sign-in whose password was right, from a device the account does
/// not know): <c>device_sign_in_code</c> to the bound phone (the email when no phone is bound) → the code, which picks
/// the id of the session the sign-in gets (the integrator issues it with that id) → <see cref="TrustDevice"/> (the
/// device is remembered, a "this wasn't me" code issued for that session) → completed with a
/// <c>sign_in_alert_notice</c> to the phone and the email. See <c>states.mermaid</c>.
/// </summary>
public sealed class DeviceSignInFlow : AccountChangeFlow
{
    public const string KindName = "verify_device";

    /// <summary>Challenge step of the code.</summary>
    public const string CodeStep = "code";

    public DeviceSignInFlow(FlowPolicy policy, CodeKeyRing keys, ICodeGenerator? codes = null)
        : base(policy, keys, codes)
    {
    }

    public override string Kind => KindName;

    public override Result<FlowStep> Start(FlowStart request, DateTimeOffset now)
    {
        var start = StartAs<DeviceSignInStart>(request);
        var (channel, destination) = start.Account.Phone is { } phone ? (Channel.Sms, phone)
            : start.Account.Email is { } email ? (Channel.Email, email)
            : throw new ArgumentException("An account without a phone or an email cannot verify a device.", nameof(request));
        var flow = ForAccount(NewFlow(DeviceSignInStates.AwaitingCode, start, now), start.Account)
            .WithData(FlowDataKeys.PasswordProven, "true")
            .WithData(FlowDataKeys.Place, start.Place);
        if (start.DeviceHash is not null)
        {
            flow = flow.WithData(FlowDataKeys.DeviceHash, start.DeviceHash);
        }
        if (start.DeviceName is not null)
        {
            flow = flow.WithData(FlowDataKeys.DeviceName, start.DeviceName);
        }

        return Challenges.Issue(flow, CodeStep, channel, destination, MessageKinds.DeviceSignInCode, now);
    }

    protected override Result<FlowStep> Transition(Flow flow, FlowInput input, DateTimeOffset now)
    {
        switch (flow.State)
        {
            case DeviceSignInStates.AwaitingCode:
                return input switch
                {
                    SubmitCode submit => Confirm(flow, CodeStep, submit.Code, now,
                        confirmed => BeginChange(confirmed.WithData(FlowDataKeys.SessionId, Sessions.SessionTokens.NewSessionId()), Pending)),
                    Resend => Challenges.Resend(flow, CodeStep, MessageKinds.DeviceSignInCode, now),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            case DeviceSignInStates.ApplyingChange:
                // A second submit of the used code is told so: one code, one session.
                return input is SubmitCode ? FlowErrors.CodeUsed() : Applying(flow, input, now, Pending, f => Alert(f, input, now), claimError: null);

            default:
                return FlowErrors.InvalidState(flow.State, input.Name);
        }
    }

    // The stamp seen at the sign-in: a reset or another security change since then and the device is not remembered.
    private static TrustDevice Pending(Flow flow) => new(
        flow.Data[FlowDataKeys.AccountId],
        flow.Data.GetValueOrDefault(FlowDataKeys.DeviceHash),
        flow.Data.GetValueOrDefault(FlowDataKeys.DeviceName),
        flow.Data[FlowDataKeys.SessionId],
        flow.Id,
        Guard(flow));

    /// <summary><c>sign_in_alert_notice</c> to the phone and the email the account had at sign-in, with the report link.</summary>
    private static IEnumerable<FlowEffect> Alert(Flow flow, FlowInput applied, DateTimeOffset now)
    {
        var values = new List<(string, string)>
        {
            (MessageValues.DeviceValue, flow.Data.GetValueOrDefault(FlowDataKeys.DeviceName) ?? "?"),
            (MessageValues.PlaceValue, flow.Data.GetValueOrDefault(FlowDataKeys.Place) ?? "?"),
        };
        if (applied is ChangeApplied { ReportUrl: { } url })
        {
            values.Add((MessageValues.ReportUrlValue, url));
        }
        return Notices.ToContacts(flow, MessageKinds.SignInAlertNotice, now, [.. values]);
    }
}
