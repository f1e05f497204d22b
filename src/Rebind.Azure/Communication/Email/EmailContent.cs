namespace Rebind.Azure.Communication.Email;

/// <summary>Subject and body of an email; at least one of <see cref="PlainText"/> and <see cref="Html"/> is needed.</summary>
public class EmailContent
{
    /// <summary>Creates content with <paramref name="subject"/>.</summary>
    public EmailContent(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        Subject = subject;
    }

    /// <summary>The subject line.</summary>
    public string Subject { get; }

    /// <summary>The plain-text body.</summary>
    public string? PlainText { get; set; }

    /// <summary>The HTML body.</summary>
    public string? Html { get; set; }
}
