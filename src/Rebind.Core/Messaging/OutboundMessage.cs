namespace Rebind.Core.Messaging;

/// <summary>
/// A message a flow decided to send. It is stored in the outbox with the flow, in the same transaction,
/// and delivered at least once; <see cref="IdempotencyKey"/> and <see cref="CreatedAt"/> are fixed when
/// the message is created and reused on every attempt (ACS <c>repeatabilityRequestId</c> /
/// <c>repeatabilityFirstSent</c> for SMS, <c>Operation-Id</c> for email) so a retry never reaches the
/// person twice.
/// </summary>
/// <param name="Kind">Template name, e.g. <c>signup_code</c>; see <c>MessageKinds</c>.</param>
/// <param name="Culture"><c>zh-CN</c> or <c>en</c>.</param>
/// <param name="Values">Template values, e.g. <c>code</c>, <c>minutes</c>. May hold a code: never log them.</param>
public sealed record OutboundMessage(
    Guid IdempotencyKey,
    Channel Channel,
    string To,
    string Kind,
    string Culture,
    IReadOnlyDictionary<string, string> Values,
    DateTimeOffset CreatedAt);
