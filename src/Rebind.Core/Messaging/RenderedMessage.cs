namespace Rebind.Core.Messaging;

/// <summary>A message ready to send. SMS uses <see cref="Text"/> only; email uses all three.</summary>
/// <param name="Subject">Email subject.</param>
/// <param name="Text">SMS body, and the email's plain-text part.</param>
/// <param name="Html">The email's HTML part (values HTML-encoded); <c>null</c> for SMS.</param>
public sealed record RenderedMessage(string Subject, string Text, string? Html);
