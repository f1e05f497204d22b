namespace Rebind.Core.Messaging;

/// <summary>Masks contact details for logs and notices: enough to recognise, not enough to use.</summary>
public static class Mask
{
    /// <summary><c>+8613812345678</c> → <c>+86*******5678</c>: keeps the first three and last four characters.</summary>
    public static string Phone(string? phone)
    {
        if (string.IsNullOrEmpty(phone))
        {
            return string.Empty;
        }

        if (phone.Length < 8)
        {
            // Too short to keep both ends without revealing most of it.
            return phone.Length <= 2 ? new string('*', phone.Length) : new string('*', phone.Length - 2) + phone[^2..];
        }

        return phone[..3] + new string('*', phone.Length - 7) + phone[^4..];
    }

    /// <summary><c>alice@example.com</c> → <c>a***@example.com</c>: keeps the first character and the domain.</summary>
    public static string Email(string? email)
    {
        if (string.IsNullOrEmpty(email))
        {
            return string.Empty;
        }

        var at = email.LastIndexOf('@');
        if (at <= 0)
        {
            return "***";
        }

        return email[0] + "***" + email[at..];
    }

    /// <summary>Masks <paramref name="to"/> by the kind of address it is.</summary>
    public static string Address(Channel channel, string? to) => channel == Channel.Email ? Email(to) : Phone(to);
}
