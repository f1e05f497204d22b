using Rebind.Core.Security;

namespace Rebind.Core.Flows;

/// <summary>Code, send and lifetime rules for every flow kind. Defaults follow the design's security rules.</summary>
public sealed record FlowPolicy
{
    public static FlowPolicy Default { get; } = new();

    /// <summary>Digits per code (6; 6–8 allowed).</summary>
    public int CodeDigits { get; init; } = 6;

    /// <summary>How long a code verifies (10 min; 5–15 allowed). Never beyond the flow's deadline.</summary>
    public TimeSpan CodeLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Wrong codes that kill a challenge (5).</summary>
    public int MaxFailedAttempts { get; init; } = 5;

    /// <summary>Codes sent per flow, across steps (5).</summary>
    public int MaxSendsPerFlow { get; init; } = 5;

    /// <summary>Minimum time between two sends for one step (60 s).</summary>
    public TimeSpan ResendCooldown { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Flow deadline after start (30 min).</summary>
    public TimeSpan FlowLifetime { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>SMS per destination per hour (10), counted by the integrator through <see cref="IRateLimiter"/>.</summary>
    public RateLimitRule SmsPerDestinationPerHour { get; init; } = new("sms_destination_hour", 10, TimeSpan.FromHours(1));

    /// <summary>SMS per destination per day (20).</summary>
    public RateLimitRule SmsPerDestinationPerDay { get; init; } = new("sms_destination_day", 20, TimeSpan.FromDays(1));

    /// <summary>Emails per destination per hour (10).</summary>
    public RateLimitRule EmailPerDestinationPerHour { get; init; } = new("email_destination_hour", 10, TimeSpan.FromHours(1));

    /// <summary>Emails per destination per day (20).</summary>
    public RateLimitRule EmailPerDestinationPerDay { get; init; } = new("email_destination_day", 20, TimeSpan.FromDays(1));

    /// <summary>Flow starts per client IP per hour (150).</summary>
    public RateLimitRule FlowStartsPerIpPerHour { get; init; } = new("flow_start_ip_hour", 150, TimeSpan.FromHours(1));

    /// <summary>
    /// How long a phone or email bound to an existing account (bind, not sign-up or a proven change) cannot be used
    /// to recover it: a stolen session must not be enough to add a contact and take the account over with it (7 days).
    /// </summary>
    public TimeSpan NewContactRecoveryHold { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The per-destination rules that apply to a send on <paramref name="channel"/>.</summary>
    public IReadOnlyList<RateLimitRule> DestinationRules(Messaging.Channel channel) => channel == Messaging.Channel.Sms
        ? [SmsPerDestinationPerHour, SmsPerDestinationPerDay]
        : [EmailPerDestinationPerHour, EmailPerDestinationPerDay];

    /// <summary>Problems with these options; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (CodeDigits is < 6 or > 8)
        {
            problems.Add($"{nameof(CodeDigits)} must be 6–8.");
        }

        if (CodeLifetime < TimeSpan.FromMinutes(5) || CodeLifetime > TimeSpan.FromMinutes(15))
        {
            problems.Add($"{nameof(CodeLifetime)} must be 5–15 minutes.");
        }

        if (MaxFailedAttempts is < 1 or > 10)
        {
            problems.Add($"{nameof(MaxFailedAttempts)} must be 1–10.");
        }

        if (MaxSendsPerFlow is < 1 or > 10)
        {
            problems.Add($"{nameof(MaxSendsPerFlow)} must be 1–10.");
        }

        if (ResendCooldown < TimeSpan.FromSeconds(10) || ResendCooldown > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{nameof(ResendCooldown)} must be 10 s–10 min.");
        }

        if (FlowLifetime < CodeLifetime || FlowLifetime > TimeSpan.FromHours(24))
        {
            problems.Add($"{nameof(FlowLifetime)} must be at least {nameof(CodeLifetime)} and at most 24 hours.");
        }

        if (NewContactRecoveryHold < TimeSpan.Zero || NewContactRecoveryHold > TimeSpan.FromDays(30))
        {
            problems.Add($"{nameof(NewContactRecoveryHold)} must be 0–30 days.");
        }

        foreach (var rule in new[] { SmsPerDestinationPerHour, SmsPerDestinationPerDay, EmailPerDestinationPerHour, EmailPerDestinationPerDay, FlowStartsPerIpPerHour })
        {
            if (rule is null || rule.Limit < 1 || rule.Window <= TimeSpan.Zero || string.IsNullOrWhiteSpace(rule.Name))
            {
                problems.Add($"Rate limit rule '{rule?.Name}' needs a name, a limit ≥ 1 and a positive window.");
            }
        }

        return problems;
    }

    /// <summary>Throws when the options are invalid: a configuration bug, caught at startup.</summary>
    public FlowPolicy EnsureValid()
    {
        var problems = Validate();
        return problems.Count == 0 ? this : throw new ArgumentException("Invalid FlowPolicy: " + string.Join(" ", problems));
    }
}
