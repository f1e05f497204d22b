namespace Rebind.Testing;

/// <summary>
/// A scripted answer of <see cref="AcsStandIn"/> to the next SMS or email send that passes authentication and
/// validation. Without a script the stand-in accepts.
/// </summary>
public sealed record AcsStandInReply
{
    private AcsStandInReply()
    {
    }

    /// <summary>HTTP status of the whole response (202 unless an error).</summary>
    public int Status { get; private init; } = 202;

    /// <summary>Error code in <c>{"error":{"code"}}</c> and <c>x-ms-error-code</c>.</summary>
    public string? ErrorCode { get; private init; }

    /// <summary>Error message.</summary>
    public string? ErrorMessage { get; private init; }

    /// <summary><c>Retry-After</c> header in seconds.</summary>
    public int? RetryAfterSeconds { get; private init; }

    /// <summary>SMS: new recipients of this request fail with <see cref="RecipientStatus"/>.</summary>
    public bool FailRecipients { get; private init; }

    /// <summary>HTTP status given to a failed recipient.</summary>
    public int RecipientStatus { get; private init; }

    /// <summary>
    /// The request is processed (delivery recorded, repeatability stored) before the error is answered: the
    /// "service did it but the answer was lost" case that repeatability exists for.
    /// </summary>
    public bool AfterProcessing { get; private init; }

    /// <summary>202 with every recipient accepted.</summary>
    public static AcsStandInReply Accept() => new();

    /// <summary>202 whose new recipients failed (e.g. an invalid or blocked number).</summary>
    public static AcsStandInReply FailedRecipient(int recipientStatus = 400, string errorMessage = "Invalid To phone number format.") =>
        new() { FailRecipients = true, RecipientStatus = recipientStatus, ErrorMessage = errorMessage };

    /// <summary>An error response with <c>{"error":{"code","message"}}</c>.</summary>
    public static AcsStandInReply Error(int status, string code, string message, int? retryAfterSeconds = null, bool afterProcessing = false) =>
        new() { Status = status, ErrorCode = code, ErrorMessage = message, RetryAfterSeconds = retryAfterSeconds, AfterProcessing = afterProcessing };

    /// <summary>429 with <c>Retry-After</c>.</summary>
    public static AcsStandInReply Throttled(int retryAfterSeconds) =>
        Error(429, "TooManyRequests", "Too many requests.", retryAfterSeconds);

    /// <summary>500; with <paramref name="afterProcessing"/> the send was carried out before the error.</summary>
    public static AcsStandInReply ServerError(bool afterProcessing = false) =>
        Error(500, "InternalServerError", "Internal server error.", afterProcessing: afterProcessing);

    /// <summary>401, as for a revoked key.</summary>
    public static AcsStandInReply Unauthorized() => Error(401, "Denied", "Denied by the resource provider.");

    /// <summary>400, as for a rejected sender.</summary>
    public static AcsStandInReply BadRequest(string code = "BadRequest", string message = "Invalid request.") => Error(400, code, message);
}
