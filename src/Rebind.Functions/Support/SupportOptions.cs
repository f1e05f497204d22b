using Rebind.Core.Flows.SupportRecovery;
using Rebind.Core.Security;

namespace Rebind.Functions.Support;

/// <summary>How agents sign in to the support console (<c>Support__Auth</c>).</summary>
public enum SupportAuthMode
{
    /// <summary>No console: every <c>/support</c> route answers 404. The default outside Development.</summary>
    Off,

    /// <summary>A development sign-in page (type a name, pick roles); Development only. The default there.</summary>
    Development,

    /// <summary>App Service Authentication (Easy Auth) with Entra ID: the <c>X-MS-CLIENT-PRINCIPAL</c> header it sets.</summary>
    EasyAuth,
}

/// <summary>The <c>Support</c> settings: the console's sign-in, the case's lifetimes and the filing limits.</summary>
public sealed class SupportOptions
{
    public const string SectionName = "Support";

    public SupportAuthMode? Auth { get; set; }

    /// <summary>Days a submitted case waits for a decision before it expires (7; 1–30).</summary>
    public int DecisionTimeoutDays { get; set; } = 7;

    /// <summary>Hours between approval and the change, which the owner can cancel (48; 1–720).</summary>
    public int CoolOffHours { get; set; } = 48;

    /// <summary>Approving a case that scores below this needs a second agent with the supervisor role (60).</summary>
    public int RiskyBelowScore { get; set; } = 60;

    /// <summary>Cases filed per account (or identifier typed, when no account has it) per day (2).</summary>
    public int CasesPerAccountPerDay { get; set; } = 2;

    /// <summary>Cases filed per client IP per day (10).</summary>
    public int CasesPerIpPerDay { get; set; } = 10;

    /// <summary>Cases naming one new phone, or one contact email, per day (3).</summary>
    public int CasesPerDestinationPerDay { get; set; } = 3;

    /// <summary>Optional link in the cool-off notice, <c>{code}</c> standing for the cancel code.</summary>
    public string? CancelUrlFormat { get; set; }

    /// <summary>The Entra ID app roles (or development roles) of agents and supervisors.</summary>
    public const string AgentRole = "agent";

    public const string SupervisorRole = "supervisor";

    public TimeSpan CoolOff => TimeSpan.FromHours(CoolOffHours);

    public TimeSpan DecisionTimeout => TimeSpan.FromDays(DecisionTimeoutDays);

    public RateLimitRule PerAccountRule => new("support_case_account_day", CasesPerAccountPerDay, TimeSpan.FromDays(1));

    public RateLimitRule PerIpRule => new("support_case_ip_day", CasesPerIpPerDay, TimeSpan.FromDays(1));

    public RateLimitRule PerDestinationRule => new("support_case_destination_day", CasesPerDestinationPerDay, TimeSpan.FromDays(1));

    public SupportRecoveryOptions Flow => new SupportRecoveryOptions
    {
        DecisionTimeout = DecisionTimeout,
        CoolOff = CoolOff,
        RiskyBelowScore = RiskyBelowScore,
        CancelUrlFormat = string.IsNullOrWhiteSpace(CancelUrlFormat) ? null : CancelUrlFormat,
    }.EnsureValid();

    /// <summary>Problems with these settings; empty when valid.</summary>
    public IEnumerable<string> Validate()
    {
        if (DecisionTimeoutDays is < 1 or > 30)
        {
            yield return "Support__DecisionTimeoutDays must be 1–30.";
        }
        if (CoolOffHours is < 1 or > 720)
        {
            yield return "Support__CoolOffHours must be 1–720.";
        }
        if (RiskyBelowScore is < 0 or > 101)
        {
            yield return "Support__RiskyBelowScore must be 0–101.";
        }
        if (CasesPerAccountPerDay < 1 || CasesPerIpPerDay < 1 || CasesPerDestinationPerDay < 1)
        {
            yield return "Support__CasesPer* must be at least 1.";
        }
    }
}
