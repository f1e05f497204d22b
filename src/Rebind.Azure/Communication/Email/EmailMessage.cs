namespace Rebind.Azure.Communication.Email;

/// <summary>An email to send.</summary>
public class EmailMessage
{
    /// <summary>Creates a message to one recipient.</summary>
    public EmailMessage(string senderAddress, string recipientAddress, EmailContent content)
        : this(senderAddress, new EmailRecipients([new EmailAddress(recipientAddress)]), content)
    {
    }

    /// <summary>Creates a message to <paramref name="recipients"/>.</summary>
    public EmailMessage(string senderAddress, EmailRecipients recipients, EmailContent content)
    {
        ArgumentException.ThrowIfNullOrEmpty(senderAddress);
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentNullException.ThrowIfNull(content);
        SenderAddress = senderAddress;
        Recipients = recipients;
        Content = content;
    }

    /// <summary>The sender, an address of a domain connected to the ACS resource.</summary>
    public string SenderAddress { get; }

    /// <summary>Subject and body.</summary>
    public EmailContent Content { get; }

    /// <summary>Recipients.</summary>
    public EmailRecipients Recipients { get; }

    /// <summary>Reply-to addresses.</summary>
    public IList<EmailAddress> ReplyTo { get; } = [];

    /// <summary>Custom headers.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>();

    /// <summary>Turns off open and click tracking for this message.</summary>
    public bool UserEngagementTrackingDisabled { get; set; }
}
