using System.Text.Json.Nodes;

namespace Rebind.Testing;

/// <summary>One request <see cref="AcsStandIn"/> received, whatever it answered.</summary>
/// <param name="Route"><c>sms</c>, <c>email</c>, <c>email-status</c> or <c>unknown</c>.</param>
/// <param name="ReceivedAt">Wall-clock arrival time, for measuring the client's back-off.</param>
/// <param name="Status">What the stand-in answered.</param>
public sealed record AcsStandInRequest(
    string Route,
    string Method,
    string PathAndQuery,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    JsonNode? Json,
    DateTimeOffset ReceivedAt,
    int Status)
{
    /// <summary>A header value, or <c>null</c>.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>An SMS the stand-in "delivered" (once per repeatabilityRequestId).</summary>
public sealed record AcsSmsDelivery(
    string From,
    string To,
    string Message,
    Guid RepeatabilityRequestId,
    string RepeatabilityFirstSent,
    string MessageId);

/// <summary>An email the stand-in "delivered" (once per Operation-Id).</summary>
public sealed record AcsEmailDelivery(
    string OperationId,
    string SenderAddress,
    IReadOnlyList<string> To,
    string Subject,
    string? PlainText,
    string? Html);
