using Rebind.Core.Messaging;

namespace Rebind.Core.Flows;

/// <summary>Notice messages to contacts, in the flow's culture. Values are masked; the time is UTC to the minute.</summary>
internal static class Notices
{
    public static SendMessage Create(Flow flow, Channel channel, string to, string kind, DateTimeOffset now, params (string Key, string Value)[] values)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal) { [MessageValues.TimeValue] = Time(now) };
        foreach (var (key, value) in values)
        {
            all[key] = value;
        }

        return new SendMessage(new OutboundMessage(Guid.NewGuid(), channel, to, kind, flow.Culture, all, now));
    }

    /// <summary>
    /// Masked with the whole country code kept (<c>+852****4567</c>), which <see cref="Mask.Phone"/> cannot know.
    /// Never re-validates: an old number that today's rules would refuse must not stop a change being reported.
    /// </summary>
    public static string MaskPhone(string e164) => Identity.PhoneNumber.MaskE164(e164);

    public static string Time(DateTimeOffset now) => SecurityNotices.Time(now);

    /// <summary>
    /// After a bind: <c>contact_added_notice</c> to every contact the account already had (the phone by SMS, the email
    /// by email), saying until when the new one is held from recovery, with the "this wasn't me" link of
    /// <paramref name="applied"/> (one single-use code for all of them) when the bind issued one.
    /// </summary>
    public static IEnumerable<SendMessage> ContactAdded(Flow flow, string maskedContact, FlowInput applied, FlowPolicy policy, DateTimeOffset now)
    {
        var values = new List<(string, string)>
        {
            (MessageValues.MaskedContactValue, maskedContact),
            (MessageValues.HeldUntilValue, Time(now + policy.NewContactRecoveryHold)),
        };
        if (applied is ChangeApplied { ReportUrl: { } url })
        {
            values.Add((MessageValues.ReportUrlValue, url));
        }
        return ToContacts(flow, MessageKinds.ContactAddedNotice, now, [.. values]);
    }

    /// <summary>
    /// A recovery's change waiting out its cool-off: <c>security_change_pending_notice</c> to the phone (SMS) and email the
    /// account had, with the new number masked, the cancel code and, given <paramref name="cancelUrlFormat"/>, its link.
    /// </summary>
    public static IEnumerable<SendMessage> ChangePending(Flow flow, string cancelCode, string? cancelUrlFormat, DateTimeOffset now)
    {
        var values = new List<(string, string)>
        {
            (MessageValues.MaskedNewPhoneValue, MaskPhone(flow.Data[FlowDataKeys.NewPhone])),
            (MessageValues.CancelCodeValue, cancelCode),
        };
        if (cancelUrlFormat is not null)
        {
            values.Add((MessageValues.CancelUrlValue, cancelUrlFormat.Replace("{code}", Uri.EscapeDataString(cancelCode), StringComparison.Ordinal)));
        }
        return ToContacts(flow, MessageKinds.SecurityChangePendingNotice, now, [.. values]);
    }

    /// <summary><paramref name="kind"/> to the phone (SMS) and the email the account had when the flow started, whichever are bound.</summary>
    public static IEnumerable<SendMessage> ToContacts(Flow flow, string kind, DateTimeOffset now, params (string Key, string Value)[] values)
    {
        if (flow.Phone is not null)
        {
            yield return Create(flow, Channel.Sms, flow.Phone, kind, now, values);
        }
        if (flow.Email is not null)
        {
            yield return Create(flow, Channel.Email, flow.Email, kind, now, values);
        }
    }

    /// <summary>
    /// After a phone change: SMS <c>phone_unbound_notice</c> to the old phone (if there was one) and email
    /// <c>phone_changed_notice</c> to the account's email (if bound).
    /// </summary>
    public static IEnumerable<SendMessage> PhoneChanged(Flow flow, DateTimeOffset now)
    {
        var masked = MaskPhone(flow.Data[FlowDataKeys.NewPhone]);
        if (flow.Phone is not null)
        {
            yield return Create(flow, Channel.Sms, flow.Phone, MessageKinds.PhoneUnboundNotice, now, (MessageValues.MaskedNewPhoneValue, masked));
        }

        if (flow.Email is not null)
        {
            yield return Create(flow, Channel.Email, flow.Email, MessageKinds.PhoneChangedNotice, now, (MessageValues.MaskedNewPhoneValue, masked));
        }
    }
}
