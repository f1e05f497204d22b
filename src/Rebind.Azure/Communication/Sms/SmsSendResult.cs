namespace Rebind.Azure.Communication.Sms;

/// <summary>The service's answer for one recipient. One 202 response can hold failures: check <see cref="Successful"/>.</summary>
public class SmsSendResult
{
    /// <summary>Creates a result (for the client and for tests).</summary>
    public SmsSendResult(string to, string? messageId, int httpStatusCode, bool successful, string? errorMessage, string? repeatabilityResult = null)
    {
        To = to;
        MessageId = messageId;
        HttpStatusCode = httpStatusCode;
        Successful = successful;
        ErrorMessage = errorMessage;
        RepeatabilityResult = repeatabilityResult;
    }

    /// <summary>The recipient's phone number.</summary>
    public string To { get; }

    /// <summary>The service's id of the message, when it was accepted.</summary>
    public string? MessageId { get; }

    /// <summary>The HTTP status for this recipient (202 when accepted, 400 for an invalid number...).</summary>
    public int HttpStatusCode { get; }

    /// <summary>Whether the message to this recipient was accepted.</summary>
    public bool Successful { get; }

    /// <summary>Why it was not accepted.</summary>
    public string? ErrorMessage { get; }

    /// <summary><c>accepted</c> or <c>rejected</c> for a repeatable request, when the service says. Not in the official model.</summary>
    public string? RepeatabilityResult { get; }
}
