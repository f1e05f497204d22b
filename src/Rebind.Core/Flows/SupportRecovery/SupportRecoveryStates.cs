namespace Rebind.Core.Flows.SupportRecovery;

/// <summary>The states of <c>support_recovery</c> (see <c>states.mermaid</c>).</summary>
public static class SupportRecoveryStates
{
    /// <summary>Filed; the SMS code to the new phone is awaited.</summary>
    public const string AwaitingNewPhoneCode = "awaiting_new_phone_code";

    /// <summary>The new phone is proven; the code to the contact email the decision goes to is awaited.</summary>
    public const string AwaitingContactEmailCode = "awaiting_contact_email_code";

    /// <summary>Submitted: the evidence is being scored against the records (an effect).</summary>
    public const string Scoring = "scoring";

    /// <summary>Scored, in the agents' queue.</summary>
    public const string InReview = "in_review";

    /// <summary>An agent asked the user for more information.</summary>
    public const string AwaitingMoreInfo = "awaiting_more_info";

    /// <summary>A risky case approved once; a second agent with the supervisor role must approve too.</summary>
    public const string AwaitingSecondApproval = "awaiting_second_approval";

    /// <summary>Approved; the owner can cancel with the code sent to the old contacts until the deadline.</summary>
    public const string CoolingOff = "cooling_off";

    public const string ApplyingChange = AccountChangeFlow.ApplyingChange;
}
