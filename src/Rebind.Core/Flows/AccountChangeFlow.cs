using Rebind.Core.Identity;
using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Core.Flows;

/// <summary>
/// Shared machinery of the kinds that change an account (bind/change/unbind phone or email, recovery, password
/// reset): one <see cref="ChallengeService"/>, the <c>applying_change</c> state that waits on an account effect
/// (exempt from expiry and cancel, <see cref="Resume"/> re-emits the same effect), and the new-phone/new-email
/// steps. Each kind still spells out its own <c>switch</c> on state.
/// </summary>
public abstract class AccountChangeFlow : FlowDefinition
{
    /// <summary>Waiting for the account effect's outcome; never expires (the effect may be half done).</summary>
    public const string ApplyingChange = "applying_change";

    /// <summary>Challenge step of the code sent to a new phone.</summary>
    public const string NewPhoneStep = "new_phone";

    /// <summary>Challenge step of the code sent to a new email.</summary>
    public const string NewEmailStep = "new_email";

    protected AccountChangeFlow(FlowPolicy policy, CodeKeyRing keys, ICodeGenerator? codes)
        : base(policy)
    {
        Challenges = new ChallengeService(Policy, keys, codes);
    }

    protected ChallengeService Challenges { get; }

    protected override bool IsAwaitingEffect(Flow flow) => flow.State == ApplyingChange;

    /// <summary>The kind's start record, or an exception (a wiring bug).</summary>
    protected T StartAs<T>(FlowStart request)
        where T : FlowStart =>
        request as T ?? throw new ArgumentException($"'{Kind}' starts from a {typeof(T).Name}.", nameof(request));

    /// <summary>Verifies the code of <paramref name="step"/>; on success continues with the confirmed flow.</summary>
    protected Result<FlowStep> Confirm(Flow flow, string step, string code, DateTimeOffset now, Func<Flow, Result<FlowStep>> next)
    {
        var verified = Challenges.Verify(flow, step, code, now);
        if (!verified.IsSuccess || verified.Value.Error is not null)
        {
            return verified;
        }

        return next(verified.Value.Flow);
    }

    /// <summary>Records the new phone and sends its <c>bind_phone_code</c>; <c>phone_unchanged</c> for the current one.</summary>
    protected Result<FlowStep> AcceptNewPhone(Flow flow, PhoneNumber phone, string nextState, DateTimeOffset now)
    {
        if (phone.E164 == flow.Phone)
        {
            return FlowErrors.PhoneUnchanged();
        }
        if (!phone.CanReceiveSms)
        {
            return FlowErrors.PhoneCannotReceiveSms();
        }

        var next = flow.WithData(FlowDataKeys.NewPhone, phone.E164) with { State = nextState };
        return Challenges.Issue(next, NewPhoneStep, Channel.Sms, phone.E164, MessageKinds.BindPhoneCode, now);
    }

    /// <summary>The "awaiting new phone" state shared by every phone-changing kind: a number moves to <paramref name="codeState"/>.</summary>
    protected Result<FlowStep> OnAwaitingNewPhone(Flow flow, FlowInput input, string codeState, DateTimeOffset now) => input switch
    {
        SubmitPhone phone => AcceptNewPhone(flow, phone.Phone, codeState, now),
        _ => FlowErrors.InvalidState(flow.State, input.Name),
    };

    /// <summary>
    /// The "awaiting the new phone's code" state shared by every phone-changing kind: the right code for a number
    /// another account holds fails with <c>phone_already_bound</c> (only now, never earlier), else <paramref name="confirmed"/>.
    /// </summary>
    protected Result<FlowStep> OnAwaitingNewPhoneCode(Flow flow, FlowInput input, DateTimeOffset now, Func<Flow, Result<FlowStep>> confirmed) => input switch
    {
        SubmitCode submit => Confirm(flow, NewPhoneStep, submit.Code, now, done => submit.PhoneAlreadyBound
            ? Fail(done, FlowErrors.PhoneAlreadyBound(), now)
            : confirmed(done)),
        Resend => Challenges.Resend(flow, NewPhoneStep, MessageKinds.BindPhoneCode, now),
        _ => FlowErrors.InvalidState(flow.State, input.Name),
    };

    /// <summary>The "awaiting the new email's code" state: as <see cref="OnAwaitingNewPhoneCode"/>, with <c>email_already_bound</c>.</summary>
    protected Result<FlowStep> OnAwaitingNewEmailCode(Flow flow, FlowInput input, DateTimeOffset now, Func<Flow, Result<FlowStep>> confirmed) => input switch
    {
        SubmitCode submit => Confirm(flow, NewEmailStep, submit.Code, now, done => submit.EmailAlreadyBound
            ? Fail(done, FlowErrors.EmailAlreadyBound(), now)
            : confirmed(done)),
        Resend => Challenges.Resend(flow, NewEmailStep, MessageKinds.EmailCode, now),
        _ => FlowErrors.InvalidState(flow.State, input.Name),
    };

    /// <summary>Records the new email and sends its <c>email_code</c>; <c>email_unchanged</c> for the current one.</summary>
    protected Result<FlowStep> AcceptNewEmail(Flow flow, EmailAddress email, string nextState, DateTimeOffset now)
    {
        if (email.Value == flow.Email)
        {
            return FlowErrors.EmailUnchanged();
        }

        var next = flow.WithData(FlowDataKeys.NewEmail, email.Value) with { State = nextState };
        return Challenges.Issue(next, NewEmailStep, Channel.Email, email.Value, MessageKinds.EmailCode, now);
    }

    /// <summary>Ends the flow as failed with <paramref name="error"/> (recorded; persist and answer the error).</summary>
    /// <summary>A sign-in-page flow acting on <paramref name="account"/>: its id, contacts (for notices) and stamp.</summary>
    protected static Flow ForAccount(Flow flow, AccountSnapshot account)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(account);
        var next = flow.WithData(FlowDataKeys.AccountId, account.AccountId) with { Phone = account.Phone, Email = account.Email };
        return account.StampRef is null ? next : next.WithData(FlowDataKeys.StampRef, account.StampRef);
    }

    /// <summary>The guard of a sign-in-page flow's change: the stamp seen at start, and the contact it proved.</summary>
    protected static AccountGuard Guard(Flow flow, string? provenPhone = null, string? provenEmail = null)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return new AccountGuard(flow.Data.GetValueOrDefault(FlowDataKeys.StampRef), provenPhone, provenEmail);
    }

    protected static FlowStep Fail(Flow flow, Error error, DateTimeOffset now) =>
        FlowStep.Failed(Clean(flow).Finish(FlowStates.Failed, now, error.Code), error);

    /// <summary>Moves to <c>applying_change</c> and emits the effect.</summary>
    protected static FlowStep BeginChange(Flow flow, Func<Flow, FlowEffect> effect)
    {
        var next = flow with { State = ApplyingChange };
        return FlowStep.Of(next, effect(next));
    }

    /// <summary>
    /// The <c>applying_change</c> state, identical for every kind: <see cref="ChangeApplied"/> completes and emits
    /// the notices (only now: they say the change happened); <see cref="ClaimFailed"/> fails with
    /// <paramref name="claimError"/>; <see cref="AccountChanged"/> fails with <c>account_changed</c>;
    /// <see cref="Resume"/> re-emits the same effect.
    /// </summary>
    protected static Result<FlowStep> Applying(
        Flow flow,
        FlowInput input,
        DateTimeOffset now,
        Func<Flow, FlowEffect> effect,
        Func<Flow, IEnumerable<FlowEffect>> notices,
        Error? claimError)
    {
        switch (input)
        {
            case ChangeApplied:
                return FlowStep.Of(Clean(flow).Finish(FlowStates.Completed, now), [.. notices(flow)]);
            case ClaimFailed when claimError is not null:
                return Fail(flow, claimError, now);
            case AccountChanged:
                return Fail(flow, FlowErrors.AccountChanged(), now);
            case Resume:
                return FlowStep.Of(flow, effect(flow));
            default:
                return FlowErrors.InvalidState(flow.State, input.Name);
        }
    }

    private static Flow Clean(Flow flow) => flow.WithoutData(FlowDataKeys.PasswordHash).WithoutData(FlowDataKeys.CancelCodeHash);
}
