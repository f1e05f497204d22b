namespace Rebind.Core;

/// <summary>What kind of failure an <see cref="Error"/> is; the HTTP layer maps it to a status code.</summary>
public enum ErrorKind
{
    Validation,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Gone,
    TooManyRequests,
    Unavailable,
}

/// <summary>
/// An expected failure, as a value. <see cref="Code"/> is stable and machine-readable (snake_case);
/// clients branch on it. <see cref="Message"/> is English; localized text is looked up by code.
/// </summary>
public sealed record Error(string Code, string Message, ErrorKind Kind)
{
    /// <summary>Extra machine-readable members, e.g. <c>retryAfterSeconds</c>, <c>attemptsLeft</c>.</summary>
    public IReadOnlyDictionary<string, object?> Details { get; init; } = new Dictionary<string, object?>();

    public Error With(string key, object? value) =>
        this with { Details = new Dictionary<string, object?>(Details) { [key] = value } };
}
