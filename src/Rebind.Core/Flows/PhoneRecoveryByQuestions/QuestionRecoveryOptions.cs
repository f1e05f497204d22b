namespace Rebind.Core.Flows.PhoneRecoveryByQuestions;

/// <summary>
/// Options of <c>recover_phone_by_questions</c>. The kind is off by default: register its definition only when
/// the deployment's setting turns it on (the registry then answers <c>flow_not_found</c> for it).
/// </summary>
public sealed record QuestionRecoveryOptions
{
    public static QuestionRecoveryOptions Default { get; } = new();

    /// <summary>Waiting period between the verified new phone and the change (72 h; 1 h–30 days).</summary>
    public TimeSpan CoolOff { get; init; } = TimeSpan.FromHours(72);

    /// <summary>Wrong answer attempts that end the flow (3; 1–5).</summary>
    public int MaxAnswerAttempts { get; init; } = 3;

    /// <summary>
    /// Optional link for the notices, with <c>{code}</c> standing for the URL-escaped cancel code, e.g.
    /// <c>https://rebind.example/cancel?code={code}</c>. Null: the notices carry the code only.
    /// </summary>
    public string? CancelUrlFormat { get; init; }

    /// <summary>Throws when the options are invalid: a configuration bug, caught at startup.</summary>
    public QuestionRecoveryOptions EnsureValid()
    {
        if (CoolOff < TimeSpan.FromHours(1) || CoolOff > TimeSpan.FromDays(30))
        {
            throw new ArgumentException("Invalid QuestionRecoveryOptions: CoolOff must be 1 hour–30 days.");
        }

        if (MaxAnswerAttempts is < 1 or > 5)
        {
            throw new ArgumentException("Invalid QuestionRecoveryOptions: MaxAnswerAttempts must be 1–5.");
        }

        if (CancelUrlFormat is not null && !CancelUrlFormat.Contains("{code}", StringComparison.Ordinal))
        {
            throw new ArgumentException("Invalid QuestionRecoveryOptions: CancelUrlFormat must contain {code}.");
        }

        return this;
    }
}
