using Rebind.Core.Identity;
using Rebind.Core.Support;

namespace Rebind.Core.Flows.SupportRecovery;

/// <summary>
/// Files a case: the evidence, the verdicts of the earlier passwords typed (checked by the integrator, never the
/// passwords), the account the old phone or email resolved to (null: unknown, the case runs the same and scores 0),
/// the new phone (proven by SMS code) and, optionally, a contact email the decision goes to instead (proven by code).
/// <paramref name="OpenKey"/>: the integrator's key of the account's one open case, released when the case ends.
/// </summary>
public sealed record SupportRecoveryStart(
    SupportEvidence Evidence,
    IReadOnlyList<PasswordVerdict> Passwords,
    AccountSnapshot? Account,
    PhoneNumber NewPhone,
    string? ContactEmail,
    string Culture,
    string? OpenKey = null) : FlowStart(Culture);

/// <summary>The scorer's result, fed back by the <see cref="ScoreSupportCase"/> handler.</summary>
public sealed record CaseScored(EvidenceScore Score, bool RecentSecurityChanges) : FlowInput
{
    public override string Name => "case_scored";
}

/// <summary>The user adds information an agent asked for: more evidence (merged), earlier passwords' verdicts, a note.</summary>
public sealed record AddCaseInfo(SupportEvidence More, IReadOnlyList<PasswordVerdict> Passwords, string? Note) : FlowInput
{
    public override string Name => "add_case_info";
}

/// <summary>An agent approves. <paramref name="Risky"/>: a low score or security changes on the account in the last 7 days.</summary>
public sealed record ApproveCase(string Agent, bool Supervisor, bool Risky) : FlowInput
{
    public override string Name => "approve_case";
}

/// <summary>An agent rejects, with the reason the user is told.</summary>
public sealed record RejectCase(string Agent, string Reason) : FlowInput
{
    public override string Name => "reject_case";
}

/// <summary>An agent asks the user for more information.</summary>
public sealed record RequestCaseInfo(string Agent, string Question) : FlowInput
{
    public override string Name => "request_case_info";
}

/// <summary>Score the case's evidence against the records of <paramref name="AccountId"/> (null: none, nothing on record).</summary>
public sealed record ScoreSupportCase(string FlowId, string? AccountId) : FlowEffect;

/// <summary>
/// The approved recovery: as <see cref="ChangePhone"/> ending every session, and the account flagged so that the next
/// sign-in with the right password answers <c>password_reset_required</c> until the password is reset.
/// </summary>
public sealed record RecoverBySupport(string AccountId, string? OldPhone, string NewPhone, string FlowId, AccountGuard? Guard) : FlowEffect;
