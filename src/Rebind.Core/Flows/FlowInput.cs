namespace Rebind.Core.Flows;

/// <summary>What a caller (HTTP request, cleanup job, effect runner) tells a flow.</summary>
public abstract record FlowInput
{
    /// <summary>Name used in <c>invalid_state</c> details and logs.</summary>
    public abstract string Name { get; }
}

/// <summary>
/// A code typed by the user. <paramref name="PhoneAlreadyBound"/> / <paramref name="EmailAlreadyBound"/>: the
/// integrator looked the flow's pending identifier up in the index before calling (the phone of
/// <c>signup_phone</c>, <see cref="FlowDataKeys.NewPhone"/> / <see cref="FlowDataKeys.NewEmail"/> of the others;
/// true only when <em>another</em> account holds it); flows that bind it fail with <c>phone_already_bound</c> /
/// <c>email_already_bound</c> only after the code is confirmed.
/// </summary>
public sealed record SubmitCode(string Code, bool PhoneAlreadyBound = false, bool EmailAlreadyBound = false) : FlowInput
{
    public override string Name => "submit_code";

    // The code must never reach logs through a record's generated ToString.
    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Code = ***, PhoneAlreadyBound = ").Append(PhoneAlreadyBound).Append(", EmailAlreadyBound = ").Append(EmailAlreadyBound);
        return true;
    }
}

/// <summary>Send a new code for the current step.</summary>
public sealed record Resend : FlowInput
{
    public override string Name => "resend";
}

/// <summary>
/// The new password. <paramref name="Password"/> is used only for the policy check inside the transition;
/// <paramref name="PasswordHash"/> is the integrator's <c>PasswordHasher.Hash(Password)</c> (hashing is random
/// and slow, so it stays outside the pure transition). Call <c>PasswordPolicy.Check</c> before hashing.
/// <paramref name="SameAsCurrent"/> (password reset): the integrator verified <paramref name="Password"/> against
/// the account's current hash.
/// </summary>
public sealed record SetPassword(string Password, string PasswordHash, bool SameAsCurrent = false) : FlowInput
{
    public override string Name => "set_password";

    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Password = ***, PasswordHash = ***, SameAsCurrent = ").Append(SameAsCurrent);
        return true;
    }
}

/// <summary>The user gives up.</summary>
public sealed record Cancel : FlowInput
{
    public override string Name => "cancel";
}

/// <summary>From the scheduled cleanup: expire the flow if its deadline has passed.</summary>
public sealed record Expire : FlowInput
{
    public override string Name => "expire";
}

/// <summary>Re-emit the pending domain effect of a flow waiting on one (after a crash, from the cleanup).</summary>
public sealed record Resume : FlowInput
{
    public override string Name => "resume";
}

/// <summary>Effect outcome: the account of a <see cref="CreateAccount"/> effect exists with the phone bound.</summary>
public sealed record AccountCreated : FlowInput
{
    public override string Name => "account_created";
}

/// <summary>Effect outcome: claiming the identifier's index row lost (another account holds it).</summary>
public sealed record ClaimFailed : FlowInput
{
    public override string Name => "claim_failed";
}
