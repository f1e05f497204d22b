using Rebind.Core.Identity;
using Rebind.Core.Messaging;

namespace Rebind.Core.Flows;

/// <summary>A phone number or email address typed on the sign-in page, normalized.</summary>
public sealed record ContactIdentifier
{
    private ContactIdentifier(Channel channel, string value)
    {
        Channel = channel;
        Value = value;
    }

    /// <summary><see cref="Channel.Sms"/> for a phone, <see cref="Channel.Email"/> for an email.</summary>
    public Channel Channel { get; }

    /// <summary>E.164 or the normalized email.</summary>
    public string Value { get; }

    public static ContactIdentifier Of(PhoneNumber phone) => new(Channel.Sms, (phone ?? throw new ArgumentNullException(nameof(phone))).E164);

    public static ContactIdentifier Of(EmailAddress email) => new(Channel.Email, (email ?? throw new ArgumentNullException(nameof(email))).Value);

    /// <summary>Whether this identifier is the phone or the email of <paramref name="account"/>.</summary>
    public bool Identifies(AccountSnapshot? account) => account is not null && Value == (Channel == Channel.Sms ? account.Phone : account.Email);

    public override string ToString() => Mask.Address(Channel, Value);
}
