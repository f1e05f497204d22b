namespace Rebind.Azure.Communication.Sms;

/// <summary>
/// One recipient with caller-chosen repeatability values. The official SDK makes these itself on every
/// call (a new GUID and "now"), which makes a retried send a new send; an outbox stores them with the
/// message and passes them back on every attempt, so ACS delivers at most once. Not in the official API.
/// </summary>
/// <param name="To">E.164 phone number.</param>
/// <param name="RepeatabilityRequestId">Stable id of this send to this recipient.</param>
/// <param name="RepeatabilityFirstSent">When the send was first attempted; sent as RFC 1123.</param>
public sealed record SmsRecipient(string To, Guid RepeatabilityRequestId, DateTimeOffset RepeatabilityFirstSent);
