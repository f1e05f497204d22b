namespace Rebind.Azure.Communication.Email;

/// <summary>The result of an email send operation.</summary>
public class EmailSendResult
{
    /// <summary>Creates a result (for the client and for tests).</summary>
    public EmailSendResult(string id, EmailSendStatus status)
    {
        Id = id;
        Status = status;
    }

    /// <summary>The operation id.</summary>
    public string Id { get; }

    /// <summary>The operation's status.</summary>
    public EmailSendStatus Status { get; }
}
