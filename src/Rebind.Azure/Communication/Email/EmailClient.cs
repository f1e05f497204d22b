using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Rebind.Azure.Communication.Email;

/// <summary>
/// Sends email through Azure Communication Services (<c>POST /emails:send?api-version=2023-03-31</c>).
/// A subset of <c>Azure.Communication.Email.EmailClient</c>, plus an overload taking the caller's
/// <c>Operation-Id</c>. Retries (429, 5xx, network) are Azure.Core's.
/// </summary>
public class EmailClient
{
    private readonly HttpPipeline pipeline;
    private readonly Uri endpoint;
    private readonly string apiVersion;

    /// <summary>Creates a client from <c>endpoint=...;accesskey=...</c>.</summary>
    public EmailClient(string connectionString)
        : this(connectionString, new EmailClientOptions())
    {
    }

    /// <summary>Creates a client from <c>endpoint=...;accesskey=...</c>.</summary>
    public EmailClient(string connectionString, EmailClientOptions options)
    {
        var connection = AcsConnectionString.Parse(connectionString);
        options ??= new EmailClientOptions();
        endpoint = connection.Endpoint;
        apiVersion = options.ApiVersion;
        pipeline = AcsPipeline.Build(options, connection.AccessKey, options.TimeProvider);
    }

    /// <summary>Creates a client signing requests with the resource's access key.</summary>
    public EmailClient(Uri endpoint, AzureKeyCredential keyCredential, EmailClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(keyCredential);
        options ??= new EmailClientOptions();
        this.endpoint = AcsPipeline.CheckEndpoint(endpoint);
        apiVersion = options.ApiVersion;
        pipeline = AcsPipeline.Build(options, keyCredential, options.TimeProvider);
    }

    /// <summary>Creates a client authenticating with Entra ID (scope <c>https://communication.azure.com//.default</c>).</summary>
    public EmailClient(Uri endpoint, TokenCredential tokenCredential, EmailClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tokenCredential);
        options ??= new EmailClientOptions();
        this.endpoint = AcsPipeline.CheckEndpoint(endpoint);
        apiVersion = options.ApiVersion;
        pipeline = AcsPipeline.Build(options, tokenCredential);
    }

    /// <summary>For mocking.</summary>
    protected EmailClient()
    {
        pipeline = null!;
        endpoint = null!;
        apiVersion = null!;
    }

    /// <summary>Sends <paramref name="message"/> under a new operation id.</summary>
    /// <param name="wait"><see cref="WaitUntil.Completed"/> polls until the operation ends.</param>
    /// <param name="message">The email.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <exception cref="RequestFailedException">The service refused the request (after retries), or the operation failed.</exception>
    public virtual Task<EmailSendOperation> SendAsync(WaitUntil wait, EmailMessage message, CancellationToken cancellationToken = default) =>
        SendAsync(wait, message, Guid.NewGuid(), cancellationToken);

    /// <summary>
    /// Sends <paramref name="message"/> with the caller's <c>Operation-Id</c>: derive it from the stored message so a
    /// resend names the same operation. Not in the official API, whose id is made per call.
    /// </summary>
    /// <param name="wait"><see cref="WaitUntil.Completed"/> polls until the operation ends.</param>
    /// <param name="message">The email.</param>
    /// <param name="operationId">The operation id, sent as the <c>Operation-Id</c> header.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <exception cref="RequestFailedException">The service refused the request (after retries), or the operation failed.</exception>
    public virtual async Task<EmailSendOperation> SendAsync(WaitUntil wait, EmailMessage message, Guid operationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Recipients.To.Count + message.Recipients.CC.Count + message.Recipients.BCC.Count == 0)
        {
            throw new ArgumentException("An email needs at least one recipient.", nameof(message));
        }

        using var httpMessage = pipeline.CreateMessage();
        var request = httpMessage.Request;
        request.Method = RequestMethod.Post;
        request.Uri.Reset(endpoint);
        request.Uri.AppendPath("/emails:send", false);
        request.Uri.AppendQuery("api-version", apiVersion, true);
        request.Headers.SetValue(HttpHeader.Names.Accept, "application/json");
        request.Headers.SetValue(HttpHeader.Names.ContentType, "application/json");
        request.Headers.SetValue("Operation-Id", operationId.ToString("D"));
        request.Content = RequestContent.Create(Body(message));

        await pipeline.SendAsync(httpMessage, cancellationToken).ConfigureAwait(false);
        var response = httpMessage.Response;
        if (response.Status != 202)
        {
            throw new RequestFailedException(response);
        }

        var operation = new EmailSendOperation(this, operationId.ToString("D"), response);
        if (wait == WaitUntil.Completed)
        {
            await operation.WaitForCompletionAsync(cancellationToken).ConfigureAwait(false);
        }
        return operation;
    }

    /// <summary>Polls the operation; <paramref name="apply"/> reads the response while it is still alive.</summary>
    internal async Task GetSendResultAsync(string operationId, Action<Response> apply, CancellationToken cancellationToken)
    {
        using var httpMessage = pipeline.CreateMessage();
        var request = httpMessage.Request;
        request.Method = RequestMethod.Get;
        request.Uri.Reset(endpoint);
        request.Uri.AppendPath("/emails/operations/", false);
        request.Uri.AppendPath(operationId, true);
        request.Uri.AppendQuery("api-version", apiVersion, true);
        request.Headers.SetValue(HttpHeader.Names.Accept, "application/json");

        await pipeline.SendAsync(httpMessage, cancellationToken).ConfigureAwait(false);
        var response = httpMessage.Response;
        if (response.Status != 200)
        {
            throw new RequestFailedException(response);
        }
        apply(response);
    }

    private static byte[] Body(EmailMessage message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("senderAddress", message.SenderAddress);
            json.WriteStartObject("content");
            json.WriteString("subject", message.Content.Subject);
            if (message.Content.PlainText is not null)
            {
                json.WriteString("plainText", message.Content.PlainText);
            }
            if (message.Content.Html is not null)
            {
                json.WriteString("html", message.Content.Html);
            }
            json.WriteEndObject();
            json.WriteStartObject("recipients");
            WriteAddresses(json, "to", message.Recipients.To);
            if (message.Recipients.CC.Count > 0)
            {
                WriteAddresses(json, "cc", message.Recipients.CC);
            }
            if (message.Recipients.BCC.Count > 0)
            {
                WriteAddresses(json, "bcc", message.Recipients.BCC);
            }
            json.WriteEndObject();
            if (message.ReplyTo.Count > 0)
            {
                WriteAddresses(json, "replyTo", message.ReplyTo);
            }
            if (message.Headers.Count > 0)
            {
                json.WriteStartObject("headers");
                foreach (var (name, value) in message.Headers)
                {
                    json.WriteString(name, value);
                }
                json.WriteEndObject();
            }
            json.WriteBoolean("userEngagementTrackingDisabled", message.UserEngagementTrackingDisabled);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteAddresses(Utf8JsonWriter json, string name, IEnumerable<EmailAddress> addresses)
    {
        json.WriteStartArray(name);
        foreach (var address in addresses)
        {
            json.WriteStartObject();
            json.WriteString("address", address.Address);
            if (address.DisplayName is not null)
            {
                json.WriteString("displayName", address.DisplayName);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
