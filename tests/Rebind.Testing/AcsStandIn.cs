using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Rebind.Testing;

/// <summary>
/// Azure Communication Services on loopback, for tests: <c>POST /sms</c>, <c>POST /emails:send</c> and
/// <c>GET /emails/operations/{id}</c>. It checks the HMAC signature as the service does (recomputed from the
/// request as received: method, request target, <c>x-ms-date</c>, <c>Host</c>, the hash of the body bytes),
/// validates the JSON shape, answers as scripted (<see cref="ScriptSms"/>, <see cref="ScriptEmail"/>,
/// <see cref="ScriptEmailStatuses"/>), records every request, and honours repeatability: an SMS whose
/// repeatabilityRequestId it has seen, or an email whose Operation-Id it has seen, is not delivered again.
/// </summary>
public sealed class AcsStandIn : IAsyncDisposable
{
    public const string SmsApiVersion = "2021-03-07";
    public const string EmailApiVersion = "2023-03-31";

    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(15);
    private static readonly Regex E164 = new(@"^\+[1-9][0-9]{1,14}$", RegexOptions.CultureInvariant);

    private readonly object gate = new();
    private readonly WebApplication app;
    private readonly byte[] accessKey;
    private readonly Queue<AcsStandInReply> smsReplies = new();
    private readonly Queue<AcsStandInReply> emailReplies = new();
    private readonly Queue<string> emailStatuses = new();
    private readonly List<AcsStandInRequest> requests = [];
    private readonly List<AcsSmsDelivery> smsDeliveries = [];
    private readonly List<AcsEmailDelivery> emailDeliveries = [];
    private readonly Dictionary<Guid, (string FirstSent, JsonObject Result)> smsRepeatability = [];
    private readonly Dictionary<string, EmailOperationState> emailOperations = new(StringComparer.OrdinalIgnoreCase);
    private string lastEmailStatus = "Succeeded";

    private AcsStandIn(WebApplication app, byte[] accessKey, X509Certificate2? certificate)
    {
        this.app = app;
        this.accessKey = accessKey;
        Certificate = certificate;
    }

    /// <summary>The base64 access key requests must be signed with.</summary>
    public string AccessKey => Convert.ToBase64String(accessKey);

    /// <summary><c>http://127.0.0.1:{port}/</c> (https with <c>StartAsync(https: true)</c>).</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary><c>endpoint=http://127.0.0.1:{port}/;accesskey=...</c>.</summary>
    public string ConnectionString => $"endpoint={Endpoint};accesskey={AccessKey}";

    /// <summary>The self-signed server certificate when started with https; trust it by thumbprint.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Clock for the <c>x-ms-date</c> freshness check (±15 minutes).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>When set, <c>Authorization: Bearer {BearerToken}</c> is accepted as well as HMAC.</summary>
    public string? BearerToken { get; set; }

    /// <summary>Seconds put in <c>Retry-After</c> of email send and poll answers.</summary>
    public int EmailRetryAfterSeconds { get; set; }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<AcsStandInRequest> Requests { get { lock (gate) { return [.. requests]; } } }

    /// <summary>Requests to <c>POST /sms</c>.</summary>
    public IReadOnlyList<AcsStandInRequest> SmsRequests => Requests.Where(r => r.Route == "sms").ToList();

    /// <summary>Requests to <c>POST /emails:send</c>.</summary>
    public IReadOnlyList<AcsStandInRequest> EmailRequests => Requests.Where(r => r.Route == "email").ToList();

    /// <summary>SMS delivered, once per repeatabilityRequestId.</summary>
    public IReadOnlyList<AcsSmsDelivery> SmsDeliveries { get { lock (gate) { return [.. smsDeliveries]; } } }

    /// <summary>Emails delivered, once per Operation-Id.</summary>
    public IReadOnlyList<AcsEmailDelivery> EmailDeliveries { get { lock (gate) { return [.. emailDeliveries]; } } }

    /// <summary>Starts a stand-in on a free loopback port with a random access key.</summary>
    public static async Task<AcsStandIn> StartAsync(bool https = false)
    {
        var certificate = https ? CreateCertificate() : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        var standIn = new AcsStandIn(app, RandomNumberGenerator.GetBytes(32), certificate);
        app.Run(standIn.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var port = new Uri(address).Port;
        standIn.Endpoint = new Uri($"{(https ? "https" : "http")}://127.0.0.1:{port}/");
        return standIn;
    }

    /// <summary>Answers the next SMS sends in this order; then accepts.</summary>
    public void ScriptSms(params AcsStandInReply[] replies)
    {
        lock (gate)
        {
            foreach (var reply in replies)
            {
                smsReplies.Enqueue(reply);
            }
        }
    }

    /// <summary>Answers the next email sends in this order; then accepts.</summary>
    public void ScriptEmail(params AcsStandInReply[] replies)
    {
        lock (gate)
        {
            foreach (var reply in replies)
            {
                emailReplies.Enqueue(reply);
            }
        }
    }

    /// <summary>
    /// Statuses the next polls of running email operations report (<c>Running</c>, <c>Succeeded</c>,
    /// <c>Failed</c>, <c>Canceled</c>); the last one repeats. Without a script a poll reports <c>Succeeded</c>.
    /// </summary>
    public void ScriptEmailStatuses(params string[] statuses)
    {
        lock (gate)
        {
            foreach (var status in statuses)
            {
                emailStatuses.Enqueue(status);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        Certificate?.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer).ConfigureAwait(false);
        var body = buffer.ToArray();
        var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var path = request.Path.Value ?? string.Empty;
        var route = (request.Method, path) switch
        {
            ("POST", "/sms") => "sms",
            ("POST", "/emails:send") => "email",
            ("GET", _) when path.StartsWith("/emails/operations/", StringComparison.Ordinal) => "email-status",
            _ => "unknown",
        };

        JsonNode? json = null;
        try
        {
            json = body.Length > 0 ? JsonNode.Parse(body) : null;
        }
        catch (JsonException)
        {
        }

        var reply = Authenticate(context, target, body) ?? route switch
        {
            "sms" => Sms(request, json),
            "email" => Email(request, json),
            "email-status" => EmailStatus(request, Uri.UnescapeDataString(path["/emails/operations/".Length..])),
            _ => ErrorReply(404, "NotFound", "No such route."),
        };

        lock (gate)
        {
            requests.Add(new AcsStandInRequest(
                route,
                request.Method,
                target,
                request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                Encoding.UTF8.GetString(body),
                json,
                DateTimeOffset.UtcNow,
                reply.Status));
        }

        context.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers)
        {
            context.Response.Headers[name] = value;
        }
        if (reply.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(reply.Body.ToJsonString()).ConfigureAwait(false);
        }
    }

    private Reply? Authenticate(HttpContext context, string target, byte[] body)
    {
        var headers = context.Request.Headers;
        var authorization = headers.Authorization.ToString();
        if (BearerToken is not null && authorization == "Bearer " + BearerToken)
        {
            return null;
        }

        const string prefix = "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=";
        var date = headers["x-ms-date"].ToString();
        var contentHash = headers["x-ms-content-sha256"].ToString();
        var host = headers.Host.ToString();
        if (!authorization.StartsWith(prefix, StringComparison.Ordinal) || date.Length == 0 || contentHash.Length == 0 || host.Length == 0)
        {
            return Denied("Missing or malformed authentication headers.");
        }
        if (!DateTimeOffset.TryParseExact(date, "r", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var sent)
            || (Clock.GetUtcNow() - sent).Duration() > MaxClockSkew)
        {
            return Denied("The x-ms-date is malformed or more than 15 minutes off.");
        }
        if (contentHash != Convert.ToBase64String(SHA256.HashData(body)))
        {
            return Denied("The x-ms-content-sha256 does not match the body.");
        }

        var stringToSign = $"{context.Request.Method}\n{target}\n{date};{host};{contentHash}";
        var expected = HMACSHA256.HashData(accessKey, Encoding.UTF8.GetBytes(stringToSign));
        byte[] given;
        try
        {
            given = Convert.FromBase64String(authorization[prefix.Length..]);
        }
        catch (FormatException)
        {
            return Denied("The signature is not base64.");
        }
        return CryptographicOperations.FixedTimeEquals(expected, given) ? null : Denied("The signature does not match.");
    }

    private Reply Sms(HttpRequest request, JsonNode? json)
    {
        var invalid = ApiVersion(request, SmsApiVersion) ?? ValidateSms(json);
        if (invalid is not null)
        {
            return invalid;
        }

        lock (gate)
        {
            var scripted = smsReplies.Count > 0 ? smsReplies.Dequeue() : AcsStandInReply.Accept();
            if (scripted.Status != 202 && !scripted.AfterProcessing)
            {
                return ErrorReply(scripted);
            }

            var results = new JsonArray();
            foreach (var recipient in json!["smsRecipients"]!.AsArray())
            {
                var to = recipient!["to"]!.GetValue<string>();
                var id = Guid.Parse(recipient["repeatabilityRequestId"]!.GetValue<string>());
                var firstSent = recipient["repeatabilityFirstSent"]!.GetValue<string>();
                results.Add(SmsRecipient(json, scripted, to, id, firstSent));
            }

            return scripted.Status != 202 ? ErrorReply(scripted) : new Reply(202, new JsonObject { ["value"] = results });
        }
    }

    // Repeatable requests (OASIS): a repeat with the same id and first-sent time gets the stored result and no
    // second delivery ("accepted"); the same id with another first-sent time is "rejected".
    private JsonObject SmsRecipient(JsonNode json, AcsStandInReply scripted, string to, Guid id, string firstSent)
    {
        if (smsRepeatability.TryGetValue(id, out var seen))
        {
            if (seen.FirstSent == firstSent)
            {
                var again = (JsonObject)seen.Result.DeepClone();
                again["repeatabilityResult"] = "accepted";
                return again;
            }
            return new JsonObject
            {
                ["to"] = to,
                ["httpStatusCode"] = 400,
                ["repeatabilityResult"] = "rejected",
                ["successful"] = false,
                ["errorMessage"] = "The repeatability request id was used with another first-sent time.",
            };
        }

        JsonObject result;
        if (scripted.FailRecipients)
        {
            result = new JsonObject
            {
                ["to"] = to,
                ["httpStatusCode"] = scripted.RecipientStatus,
                ["repeatabilityResult"] = "accepted",
                ["successful"] = false,
                ["errorMessage"] = scripted.ErrorMessage,
            };
        }
        else
        {
            var messageId = "Outgoing_" + Guid.NewGuid().ToString("N");
            smsDeliveries.Add(new AcsSmsDelivery(json["from"]!.GetValue<string>(), to, json["message"]!.GetValue<string>(), id, firstSent, messageId));
            result = new JsonObject
            {
                ["to"] = to,
                ["messageId"] = messageId,
                ["httpStatusCode"] = 202,
                ["repeatabilityResult"] = "accepted",
                ["successful"] = true,
            };
        }
        smsRepeatability[id] = (firstSent, result);
        return result;
    }

    private Reply Email(HttpRequest request, JsonNode? json)
    {
        var invalid = ApiVersion(request, EmailApiVersion) ?? ValidateEmail(request, json);
        if (invalid is not null)
        {
            return invalid;
        }

        lock (gate)
        {
            var scripted = emailReplies.Count > 0 ? emailReplies.Dequeue() : AcsStandInReply.Accept();
            if (scripted.Status != 202 && !scripted.AfterProcessing)
            {
                return ErrorReply(scripted);
            }

            var header = request.Headers["Operation-Id"].ToString();
            var id = header.Length > 0 ? header : Guid.NewGuid().ToString("D");
            if (!emailOperations.TryGetValue(id, out var operation))
            {
                operation = new EmailOperationState(id);
                emailOperations[id] = operation;
                var content = json!["content"]!;
                emailDeliveries.Add(new AcsEmailDelivery(
                    id,
                    json["senderAddress"]!.GetValue<string>(),
                    json["recipients"]!["to"]!.AsArray().Select(a => a!["address"]!.GetValue<string>()).ToList(),
                    content["subject"]!.GetValue<string>(),
                    content["plainText"]?.GetValue<string>(),
                    content["html"]?.GetValue<string>()));
            }
            if (scripted.Status != 202)
            {
                return ErrorReply(scripted);
            }

            var reply = OperationReply(202, operation);
            reply.Headers["Operation-Location"] = $"{Endpoint}emails/operations/{Uri.EscapeDataString(id)}?api-version={EmailApiVersion}";
            return reply;
        }
    }

    private Reply EmailStatus(HttpRequest request, string id)
    {
        var invalid = ApiVersion(request, EmailApiVersion);
        if (invalid is not null)
        {
            return invalid;
        }

        lock (gate)
        {
            if (!emailOperations.TryGetValue(id, out var operation))
            {
                return ErrorReply(404, "NotFound", "No such operation.");
            }
            if (!IsTerminal(operation.Status))
            {
                if (emailStatuses.Count > 0)
                {
                    lastEmailStatus = emailStatuses.Dequeue();
                }
                operation.Status = lastEmailStatus;
            }
            return OperationReply(200, operation);
        }
    }

    private Reply OperationReply(int status, EmailOperationState operation)
    {
        var body = new JsonObject { ["id"] = operation.Id, ["status"] = operation.Status };
        if (operation.Status is "Failed" or "Canceled")
        {
            body["error"] = new JsonObject { ["code"] = "EmailDroppedAllRecipientsSuppressed", ["message"] = "Message dropped because all recipients were suppressed." };
        }
        var reply = new Reply(status, body);
        reply.Headers["Retry-After"] = EmailRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return reply;
    }

    private static Reply? ApiVersion(HttpRequest request, string expected)
    {
        var version = request.Query["api-version"].ToString();
        if (version.Length == 0)
        {
            return ErrorReply(400, "MissingApiVersionParameter", "The api-version query parameter is required.");
        }
        return version == expected ? null : ErrorReply(400, "UnsupportedApiVersion", $"The stand-in speaks api-version {expected}.");
    }

    private static Reply? ValidateSms(JsonNode? json)
    {
        if (json is not JsonObject body)
        {
            return Invalid("The body must be a JSON object.");
        }
        if (!IsNonEmptyString(body["from"]))
        {
            return Invalid("'from' is required.");
        }
        if (body["message"] is not JsonValue message || message.GetValueKind() != JsonValueKind.String)
        {
            return Invalid("'message' is required.");
        }
        if (body["smsRecipients"] is not JsonArray recipients || recipients.Count is 0 or > 100)
        {
            return Invalid("'smsRecipients' must hold 1 to 100 recipients.");
        }
        foreach (var recipient in recipients)
        {
            if (recipient is not JsonObject item
                || !IsNonEmptyString(item["to"]) || !E164.IsMatch(item["to"]!.GetValue<string>())
                || !IsNonEmptyString(item["repeatabilityRequestId"]) || !Guid.TryParse(item["repeatabilityRequestId"]!.GetValue<string>(), out _)
                || !IsNonEmptyString(item["repeatabilityFirstSent"])
                || !DateTimeOffset.TryParseExact(item["repeatabilityFirstSent"]!.GetValue<string>(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out _))
            {
                return Invalid("Each recipient needs an E.164 'to', a GUID 'repeatabilityRequestId' and an RFC 1123 'repeatabilityFirstSent'.");
            }
        }
        if (body["smsSendOptions"] is { } options && options is not JsonObject)
        {
            return Invalid("'smsSendOptions' must be an object.");
        }
        return null;
    }

    private static Reply? ValidateEmail(HttpRequest request, JsonNode? json)
    {
        var operationId = request.Headers["Operation-Id"].ToString();
        if (operationId.Length > 0 && !Guid.TryParse(operationId, out _))
        {
            return Invalid("'Operation-Id' must be a UUID.");
        }
        if (json is not JsonObject body)
        {
            return Invalid("The body must be a JSON object.");
        }
        if (!IsNonEmptyString(body["senderAddress"]) || !body["senderAddress"]!.GetValue<string>().Contains('@'))
        {
            return Invalid("'senderAddress' is required.");
        }
        if (body["content"] is not JsonObject content || !IsNonEmptyString(content["subject"])
            || (!IsNonEmptyString(content["plainText"]) && !IsNonEmptyString(content["html"])))
        {
            return Invalid("'content' needs a 'subject' and 'plainText' or 'html'.");
        }
        if (body["recipients"] is not JsonObject recipients || recipients["to"] is not JsonArray to || to.Count == 0
            || to.Any(a => a is not JsonObject address || !IsNonEmptyString(address["address"]) || !address["address"]!.GetValue<string>().Contains('@')))
        {
            return Invalid("'recipients.to' needs at least one 'address'.");
        }
        return null;
    }

    private static bool IsNonEmptyString(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length > 0;

    private static bool IsTerminal(string status) => status is "Succeeded" or "Failed" or "Canceled";

    private static Reply Invalid(string message) => ErrorReply(400, "BadRequest", message);

    private static Reply Denied(string message) => ErrorReply(401, "Denied", message);

    private static Reply ErrorReply(AcsStandInReply scripted)
    {
        var reply = ErrorReply(scripted.Status, scripted.ErrorCode ?? "Error", scripted.ErrorMessage ?? "Error.");
        if (scripted.RetryAfterSeconds is { } seconds)
        {
            reply.Headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
        }
        return reply;
    }

    private static Reply ErrorReply(int status, string code, string message)
    {
        var reply = new Reply(status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });
        reply.Headers["x-ms-error-code"] = code;
        return reply;
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    private sealed record Reply(int Status, JsonObject? Body)
    {
        public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);
    }

    private sealed class EmailOperationState(string id)
    {
        public string Id { get; } = id;

        public string Status { get; set; } = "Running";
    }
}
