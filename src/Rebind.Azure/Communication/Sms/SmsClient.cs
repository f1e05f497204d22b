using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Rebind.Azure.Communication.Sms;

/// <summary>
/// Sends SMS through Azure Communication Services (<c>POST /sms?api-version=2021-03-07</c>).
/// A subset of <c>Azure.Communication.Sms.SmsClient</c>, plus overloads taking <see cref="SmsRecipient"/>
/// for caller-chosen repeatability values. Retries (429, 5xx, network) are Azure.Core's.
/// </summary>
public class SmsClient
{
    private readonly HttpPipeline pipeline;
    private readonly Uri endpoint;
    private readonly string apiVersion;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates a client from <c>endpoint=...;accesskey=...</c>.</summary>
    public SmsClient(string connectionString)
        : this(connectionString, new SmsClientOptions())
    {
    }

    /// <summary>Creates a client from <c>endpoint=...;accesskey=...</c>.</summary>
    public SmsClient(string connectionString, SmsClientOptions options)
        : this(AcsConnectionString.Parse(connectionString), options ?? new SmsClientOptions())
    {
    }

    /// <summary>Creates a client signing requests with the resource's access key.</summary>
    public SmsClient(Uri endpoint, AzureKeyCredential keyCredential, SmsClientOptions? options = null)
        : this(new AcsConnectionString(AcsPipeline.CheckEndpoint(endpoint), keyCredential ?? throw new ArgumentNullException(nameof(keyCredential))), options ?? new SmsClientOptions())
    {
    }

    /// <summary>Creates a client authenticating with Entra ID (scope <c>https://communication.azure.com//.default</c>).</summary>
    public SmsClient(Uri endpoint, TokenCredential tokenCredential, SmsClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tokenCredential);
        options ??= new SmsClientOptions();
        this.endpoint = AcsPipeline.CheckEndpoint(endpoint);
        apiVersion = options.ApiVersion;
        timeProvider = options.TimeProvider;
        pipeline = AcsPipeline.Build(options, tokenCredential);
    }

    /// <summary>For mocking.</summary>
    protected SmsClient()
    {
        pipeline = null!;
        endpoint = null!;
        apiVersion = null!;
        timeProvider = TimeProvider.System;
    }

    private SmsClient(AcsConnectionString connection, SmsClientOptions options)
    {
        endpoint = connection.Endpoint;
        apiVersion = options.ApiVersion;
        timeProvider = options.TimeProvider;
        pipeline = AcsPipeline.Build(options, connection.AccessKey, options.TimeProvider);
    }

    /// <summary>Sends <paramref name="message"/> to one number, with fresh repeatability values.</summary>
    /// <exception cref="RequestFailedException">The service refused the request (after retries).</exception>
    public virtual async Task<Response<SmsSendResult>> SendAsync(string from, string to, string message, SmsSendOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(to);
        return Single(await SendAsync(from, [to], message, options, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Sends <paramref name="message"/> to up to 100 numbers, with fresh repeatability values.</summary>
    /// <exception cref="RequestFailedException">The service refused the request (after retries).</exception>
    public virtual Task<Response<IReadOnlyList<SmsSendResult>>> SendAsync(string from, IEnumerable<string> to, string message, SmsSendOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(to);
        var now = timeProvider.GetUtcNow();
        return SendAsync(from, to.Select(number => new SmsRecipient(number, Guid.NewGuid(), now)), message, options, cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="message"/> to one recipient with the caller's repeatability values: a retry with the
    /// same values is not delivered twice. Not in the official API (see <see cref="SmsRecipient"/>).
    /// </summary>
    /// <exception cref="RequestFailedException">The service refused the request (after retries).</exception>
    public virtual async Task<Response<SmsSendResult>> SendAsync(string from, SmsRecipient to, string message, SmsSendOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(to);
        return Single(await SendAsync(from, [to], message, options, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Sends <paramref name="message"/> to up to 100 recipients with the caller's repeatability values.
    /// Not in the official API (see <see cref="SmsRecipient"/>).
    /// </summary>
    /// <exception cref="RequestFailedException">The service refused the request (after retries).</exception>
    public virtual async Task<Response<IReadOnlyList<SmsSendResult>>> SendAsync(string from, IEnumerable<SmsRecipient> to, string message, SmsSendOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(message);
        var recipients = to.ToList();
        if (recipients.Count is 0 or > 100)
        {
            throw new ArgumentException("Send to 1 to 100 recipients.", nameof(to));
        }

        using var httpMessage = pipeline.CreateMessage();
        var request = httpMessage.Request;
        request.Method = RequestMethod.Post;
        request.Uri.Reset(endpoint);
        request.Uri.AppendPath("/sms", false);
        request.Uri.AppendQuery("api-version", apiVersion, true);
        request.Headers.SetValue(HttpHeader.Names.Accept, "application/json");
        request.Headers.SetValue(HttpHeader.Names.ContentType, "application/json");
        request.Content = RequestContent.Create(Body(from, recipients, message, options));

        await pipeline.SendAsync(httpMessage, cancellationToken).ConfigureAwait(false);
        var response = httpMessage.Response;
        if (response.Status != 202)
        {
            throw new RequestFailedException(response);
        }

        return Response.FromValue<IReadOnlyList<SmsSendResult>>(ParseResults(response), response);
    }

    private static Response<SmsSendResult> Single(Response<IReadOnlyList<SmsSendResult>> response) =>
        Response.FromValue(response.Value.Single(), response.GetRawResponse());

    private static byte[] Body(string from, List<SmsRecipient> recipients, string message, SmsSendOptions? options)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("from", from);
            json.WriteStartArray("smsRecipients");
            foreach (var recipient in recipients)
            {
                ArgumentNullException.ThrowIfNull(recipient);
                json.WriteStartObject();
                json.WriteString("to", recipient.To);
                json.WriteString("repeatabilityRequestId", recipient.RepeatabilityRequestId.ToString("D"));
                json.WriteString("repeatabilityFirstSent", recipient.RepeatabilityFirstSent.ToString("r", CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("message", message);
            if (options is not null)
            {
                json.WriteStartObject("smsSendOptions");
                json.WriteBoolean("enableDeliveryReport", options.EnableDeliveryReport);
                if (options.Tag is not null)
                {
                    json.WriteString("tag", options.Tag);
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static List<SmsSendResult> ParseResults(Response response)
    {
        using var document = JsonDocument.Parse(response.Content.ToMemory());
        var results = new List<SmsSendResult>();
        foreach (var item in document.RootElement.GetProperty("value").EnumerateArray())
        {
            results.Add(new SmsSendResult(
                item.GetProperty("to").GetString() ?? string.Empty,
                OptionalString(item, "messageId"),
                item.TryGetProperty("httpStatusCode", out var status) ? status.GetInt32() : 0,
                item.TryGetProperty("successful", out var ok) && ok.GetBoolean(),
                OptionalString(item, "errorMessage"),
                OptionalString(item, "repeatabilityResult")));
        }
        return results;
    }

    private static string? OptionalString(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
