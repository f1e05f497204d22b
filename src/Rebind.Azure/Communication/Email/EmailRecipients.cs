namespace Rebind.Azure.Communication.Email;

/// <summary>The To, CC and BCC recipients of an email (50 at most in all).</summary>
public class EmailRecipients
{
    /// <summary>Creates recipients.</summary>
    public EmailRecipients(IEnumerable<EmailAddress>? to = null, IEnumerable<EmailAddress>? cc = null, IEnumerable<EmailAddress>? bcc = null)
    {
        To = to?.ToList() ?? [];
        CC = cc?.ToList() ?? [];
        BCC = bcc?.ToList() ?? [];
    }

    /// <summary>Primary recipients.</summary>
    public IList<EmailAddress> To { get; }

    /// <summary>Carbon-copy recipients.</summary>
    public IList<EmailAddress> CC { get; }

    /// <summary>Blind carbon-copy recipients.</summary>
    public IList<EmailAddress> BCC { get; }
}
