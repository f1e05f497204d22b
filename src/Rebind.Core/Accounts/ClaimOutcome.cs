namespace Rebind.Core.Accounts;

public enum ClaimOutcome
{
    /// <summary>The identifier now belongs to the account (newly, or it already did: claims are idempotent).</summary>
    Claimed,

    /// <summary>Another account holds it.</summary>
    TakenByOther,
}
