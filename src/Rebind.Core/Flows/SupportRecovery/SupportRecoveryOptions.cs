namespace Rebind.Core.Flows.SupportRecovery;

/// <summary>Lifetimes of a support case.</summary>
public sealed record SupportRecoveryOptions
{
    public static SupportRecoveryOptions Default { get; } = new();

    /// <summary>A submitted case without a decision by then expires (7 days).</summary>
    public TimeSpan DecisionTimeout { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The waiting period after approval that the owner can cancel (48 h).</summary>
    public TimeSpan CoolOff { get; init; } = TimeSpan.FromHours(48);

    /// <summary>An approval of a case scoring below this needs a second agent with the supervisor role (60).</summary>
    public int RiskyBelowScore { get; init; } = 60;

    /// <summary>Optional link in the cool-off notice, <c>{code}</c> standing for the cancel code.</summary>
    public string? CancelUrlFormat { get; init; }

    public SupportRecoveryOptions EnsureValid()
    {
        if (DecisionTimeout < TimeSpan.FromMinutes(1) || DecisionTimeout > TimeSpan.FromDays(30))
        {
            throw new ArgumentException("Support: the decision timeout must be 1 minute to 30 days.");
        }
        if (CoolOff < TimeSpan.FromSeconds(1) || CoolOff > TimeSpan.FromDays(30))
        {
            throw new ArgumentException("Support: the cool-off must be 1 second to 30 days.");
        }
        if (RiskyBelowScore is < 0 or > 101)
        {
            throw new ArgumentException("Support: the risky score threshold must be 0–101.");
        }
        return this;
    }
}
