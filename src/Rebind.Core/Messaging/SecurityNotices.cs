using System.Globalization;
using Rebind.Core.Accounts;

namespace Rebind.Core.Messaging;

/// <summary>
/// <c>security_notice</c> messages outside a flow (a change made directly on the account, a lock): one per bound
/// contact, the phone by SMS and the email by email, with the event in the reader's language and the time in UTC.
/// </summary>
public static class SecurityNotices
{
    /// <summary>The time as every notice shows it: UTC to the minute.</summary>
    public static string Time(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static IEnumerable<OutboundMessage> For(Account account, string eventEn, string eventZh, string culture, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        var values = new Dictionary<string, string>
        {
            [MessageValues.TimeValue] = Time(now),
            ["event"] = MessageTemplates.IsChinese(culture) ? eventZh : eventEn,
        };
        foreach (var (channel, to) in new[] { (Channel.Sms, account.Phone), (Channel.Email, account.Email) })
        {
            if (to is not null)
            {
                yield return new OutboundMessage(Guid.NewGuid(), channel, to, MessageKinds.SecurityNotice, culture, values, now);
            }
        }
    }

    /// <summary>Sends <see cref="For"/>'s messages; the sender reports failures as outcomes, never throws.</summary>
    public static async Task SendAsync(IMessageSender sender, Account account, string eventEn, string eventZh, string culture, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        foreach (var message in For(account, eventEn, eventZh, culture, now))
        {
            await sender.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }
}
