using Rebind.Core.Identity;

namespace Rebind.Core.Flows;

/// <summary>The new phone number the user wants bound (parsed and normalized by the HTTP layer).</summary>
public sealed record SubmitPhone(PhoneNumber Phone) : FlowInput
{
    public override string Name => "submit_phone";
}

/// <summary>The new email address the user wants bound (parsed and normalized by the HTTP layer).</summary>
public sealed record SubmitEmail(EmailAddress Email) : FlowInput
{
    public override string Name => "submit_email";
}

/// <summary>
/// Security question answers, already checked by the integrator against the account's stored hashes
/// (<paramref name="AnswersCorrect"/>: every answer matched). The flow counts wrong attempts; with
/// <paramref name="Reserved"/> the attempt was counted before hashing (<see cref="ReserveAnswerAttempt"/>).
/// </summary>
public sealed record SubmitAnswers(bool AnswersCorrect, bool Reserved = false) : FlowInput
{
    public override string Name => "submit_answers";
}

/// <summary>
/// Counts an answer attempt before its answers are hashed (a conditional write, like sign-in's): of parallel
/// attempts only as many as are left get to spend PBKDF2; the rest are refused without hashing.
/// </summary>
public sealed record ReserveAnswerAttempt : FlowInput
{
    public override string Name => "reserve_answer_attempt";
}

/// <summary>The account owner cancels a pending change with the cancel code from the notice (no sign-in needed).</summary>
public sealed record CancelWithCode(string CancelCode) : FlowInput
{
    public override string Name => "cancel_with_code";

    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("CancelCode = ***");
        return true;
    }
}

/// <summary>Effect outcome: the account change (bind, change, unbind, reset) is fully applied.</summary>
/// <param name="ReportUrl">
/// After a bind: the "this wasn't me" link (with its single-use code) for the notices to the existing contacts; null
/// when the bind holds nothing (no holding period). A secret: never printed.
/// </param>
public sealed record ChangeApplied(string? ReportUrl = null) : FlowInput
{
    public override string Name => "change_applied";

    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("ReportUrl = ").Append(ReportUrl is null ? "null" : "***");
        return true;
    }
}

/// <summary>
/// Effect outcome: the account no longer matches the flow's snapshot (e.g. its phone is no longer the old one,
/// or unbinding would leave no recovery channel); the handler applied nothing and released what it claimed.
/// </summary>
public sealed record AccountChanged : FlowInput
{
    public override string Name => "account_changed";
}
