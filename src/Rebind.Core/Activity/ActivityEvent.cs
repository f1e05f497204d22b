namespace Rebind.Core.Activity;

/// <summary>One entry of an account's sign-in and security history.</summary>
/// <param name="Type">One of <see cref="ActivityTypes"/> (other features may add their own snake_case types).</param>
/// <param name="Outcome">One of <see cref="ActivityOutcomes"/>.</param>
/// <param name="Detail">Short machine-readable extra (e.g. an error code); never a secret or a full phone/email.</param>
public sealed record ActivityEvent(
    string Type,
    string Outcome,
    DateTimeOffset OccurredAt,
    string? IpAddress = null,
    string? DeviceName = null,
    string? UserAgent = null,
    string? SessionId = null,
    string? Detail = null);
