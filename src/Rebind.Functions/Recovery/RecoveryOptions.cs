namespace Rebind.Functions.Recovery;

/// <summary>Settings under <c>Recovery</c>: lost-phone recovery and the password reset's support pointer.</summary>
public sealed class RecoveryOptions
{
    public const string SectionName = "Recovery";

    /// <summary>Recovery by security questions (weak by NIST's standard): off unless turned on.</summary>
    public bool SecurityQuestionsEnabled { get; set; }

    /// <summary>Waiting period before a change by security questions is applied (72 h; 1 h–30 days).</summary>
    public int CoolOffHours { get; set; } = 72;

    /// <summary>Wrong answer attempts that end a security-question recovery (3; 1–5).</summary>
    public int MaxAnswerAttempts { get; set; } = 3;

    /// <summary>
    /// Wrong answers across all recovery flows of an account after which recovery by questions is locked until the
    /// owner signs in (6: two flows' worth; 1–20).
    /// </summary>
    public int MaxAnswerFailuresPerAccount { get; set; } = 6;

    /// <summary>Optional link in the cool-off notices, <c>{code}</c> standing for the cancel code.</summary>
    public string? CancelUrlFormat { get; set; }

    /// <summary>
    /// The "this wasn't me" link in the notice of a newly bound contact, <c>{code}</c> standing for its single-use
    /// report code; the page (or app screen) behind it posts the code to <c>POST /api/contacts/not-me</c>.
    /// </summary>
    public string ReportUrlFormat { get; set; } = DefaultReportUrlFormat;

    public const string DefaultReportUrlFormat = "https://app.example/not-me?code={code}";

    /// <summary>
    /// Base64 of ≥ 32 random bytes that picks the decoy questions shown for unknown identifiers; required outside
    /// Development when recovery by questions is on, and never rotated (decoys must not change while real questions
    /// stay). Development without it uses the current code key.
    /// </summary>
    public string? DecoyKey { get; set; }

    /// <summary>Where support-assisted recovery starts (shown with <c>recovery_requires_support</c>); optional.</summary>
    public string? SupportUrl { get; set; }
}
