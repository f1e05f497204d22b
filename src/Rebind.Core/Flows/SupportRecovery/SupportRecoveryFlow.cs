using System.Globalization;
using System.Text.Json;
using Rebind.Core.Messaging;
using Rebind.Core.Security;
using Rebind.Core.Support;
using S = Rebind.Core.Flows.SupportRecovery.SupportRecoveryStates;

namespace Rebind.Core.Flows.SupportRecovery;

/// <summary>
/// <c>support_recovery</c> (sign-in page, no session): a case filed with evidence → SMS code to the new phone (and a
/// code to a contact email when the decision goes there) → scored against the records (an effect) → in review until an
/// agent approves, rejects or asks for more information (the deadline: 7 days, then expired and the user told) → a
/// risky approval waits for a second agent with the supervisor role → a cool-off announced to the old phone and the
/// email with a cancel code → <see cref="RecoverBySupport"/> (new phone bound, every session ended, password reset
/// required) → completed with notices. Unknown accounts run the same states and score 0; they cannot be approved.
/// </summary>
public sealed class SupportRecoveryFlow : AccountChangeFlow
{
    public const string KindName = "support_recovery";

    /// <summary>The outcome of a rejected case.</summary>
    public const string RejectedOutcome = "support_case_rejected";

    public SupportRecoveryFlow(FlowPolicy policy, CodeKeyRing keys, SupportRecoveryOptions? options = null, ICodeGenerator? codes = null)
        : base(policy, keys, codes)
    {
        Options = (options ?? SupportRecoveryOptions.Default).EnsureValid();
    }

    public override string Kind => KindName;

    public SupportRecoveryOptions Options { get; }

    protected override bool IsAwaitingEffect(Flow flow) => flow.State is S.ApplyingChange or S.Scoring;

    public override Result<FlowStep> Start(FlowStart request, DateTimeOffset now)
    {
        var start = StartAs<SupportRecoveryStart>(request);
        if (!start.NewPhone.CanReceiveSms)
        {
            return FlowErrors.PhoneCannotReceiveSms();
        }

        var flow = NewFlow(S.AwaitingNewPhoneCode, start, now)
            .WithData(SupportDataKeys.Evidence, JsonSerializer.Serialize(start.Evidence, FlowJson.Options))
            .WithData(SupportDataKeys.Passwords, JsonSerializer.Serialize(start.Passwords, FlowJson.Options))
            .WithData(FlowDataKeys.NewPhone, start.NewPhone.E164);
        if (start.Account is { } account)
        {
            flow = ForAccount(flow, account);
        }
        if (start.OpenKey is { } key)
        {
            flow = flow.WithData(SupportDataKeys.OpenKey, key);
        }
        if (start.ContactEmail is { } email)
        {
            flow = flow.WithData(SupportDataKeys.ContactEmail, email);
        }
        return Challenges.Issue(flow, NewPhoneStep, Channel.Sms, start.NewPhone.E164, MessageKinds.BindPhoneCode, now);
    }

    protected override Result<FlowStep> Transition(Flow flow, FlowInput input, DateTimeOffset now)
    {
        switch (flow.State)
        {
            case S.AwaitingNewPhoneCode:
                return OnAwaitingNewPhoneCode(flow, input, now, confirmed => confirmed.Data.TryGetValue(SupportDataKeys.ContactEmail, out var email)
                    ? Challenges.Issue(confirmed with { State = S.AwaitingContactEmailCode }, NewEmailStep, Channel.Email, email, MessageKinds.EmailCode, now)
                    : Submit(confirmed, now));

            case S.AwaitingContactEmailCode:
                return input switch
                {
                    SubmitCode submit => Confirm(flow, NewEmailStep, submit.Code, now, confirmed => Submit(confirmed, now)),
                    Resend => Challenges.Resend(flow, NewEmailStep, MessageKinds.EmailCode, now),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            case S.Scoring:
                return input switch
                {
                    CaseScored scored => FlowStep.Of(flow
                        .WithData(SupportDataKeys.Score, scored.Score.Score.ToString(CultureInfo.InvariantCulture))
                        .WithData(SupportDataKeys.Report, JsonSerializer.Serialize(scored.Score, FlowJson.Options))
                        .WithData(SupportDataKeys.RecentSecurityChanges, scored.RecentSecurityChanges ? "true" : "false") with { State = S.InReview }),
                    Resume => FlowStep.Of(flow, new ScoreSupportCase(flow.Id, flow.Data.GetValueOrDefault(FlowDataKeys.AccountId))),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            case S.InReview:
                return input switch
                {
                    ApproveCase approve => Approve(flow, approve, now),
                    RejectCase reject => Reject(flow, reject, now),
                    RequestCaseInfo ask => AskForInfo(flow, ask, now),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            case S.AwaitingMoreInfo:
                return input switch
                {
                    AddCaseInfo info => AddInfo(flow, info),
                    RejectCase reject => Reject(flow, reject, now),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            case S.AwaitingSecondApproval:
                return input switch
                {
                    ApproveCase approve => SecondApproval(flow, approve, now),
                    RejectCase reject => Reject(flow, reject, now),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            case S.CoolingOff:
                return input switch
                {
                    CancelWithCode cancel => CancelCodes.Matches(cancel.CancelCode, flow.Data[FlowDataKeys.CancelCodeHash])
                        ? FlowStep.Of(flow.WithoutData(FlowDataKeys.CancelCodeHash).Finish(FlowStates.Cancelled, now, FlowErrorCodes.FlowCancelled))
                        : FlowErrors.InvalidCancelCode(),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            case S.ApplyingChange:
                return Applying(flow, input, now, Pending, f => [.. Notices.PhoneChanged(f, now), ToFiler(f, MessageKinds.SupportCaseCompleted, now)], FlowErrors.PhoneAlreadyBound());

            default:
                return FlowErrors.InvalidState(flow.State, input.Name);
        }
    }

    /// <summary>
    /// In <c>cooling_off</c> the deadline is the end of the cool-off: it matures the change. In review (or waiting for
    /// information or a second approval) it is the decision timeout: the case expires and its filer is told.
    /// </summary>
    protected override Result<FlowStep> DeadlinePassed(Flow flow, FlowInput input, DateTimeOffset now)
    {
        switch (flow.State)
        {
            case S.CoolingOff:
                var matured = BeginChange(flow.WithoutData(FlowDataKeys.CancelCodeHash), Pending);
                return input is Expire ? matured : matured with { Error = FlowErrors.InvalidState(matured.Flow.State, input.Name) };
            case S.InReview or S.AwaitingMoreInfo or S.AwaitingSecondApproval:
                var expired = FlowStep.Of(flow.Finish(FlowStates.Expired, now, FlowErrorCodes.FlowExpired), ToFiler(flow, MessageKinds.SupportCaseExpired, now));
                return input is Expire ? expired : expired with { Error = FlowErrors.FlowExpired() };
            default:
                return base.DeadlinePassed(flow, input, now);
        }
    }

    private FlowStep Submit(Flow flow, DateTimeOffset now)
    {
        var submitted = flow
            .WithData(SupportDataKeys.SubmittedAt, now.ToString("O", CultureInfo.InvariantCulture)) with
        {
            State = S.Scoring,
            Deadline = now + Options.DecisionTimeout,
        };
        return FlowStep.Of(submitted, new ScoreSupportCase(flow.Id, flow.Data.GetValueOrDefault(FlowDataKeys.AccountId)));
    }

    private Result<FlowStep> Approve(Flow flow, ApproveCase approve, DateTimeOffset now)
    {
        if (!flow.Data.ContainsKey(FlowDataKeys.AccountId))
        {
            return SupportErrors.NoAccount();
        }
        var risky = approve.Risky || Score(flow) < Options.RiskyBelowScore || flow.Data.GetValueOrDefault(SupportDataKeys.RecentSecurityChanges) == "true";
        if (risky)
        {
            return FlowStep.Of(flow.WithData(SupportDataKeys.FirstApprover, approve.Agent) with { State = S.AwaitingSecondApproval });
        }
        return BeginCoolOff(flow.WithData(SupportDataKeys.ApprovedBy, approve.Agent), now);
    }

    private Result<FlowStep> SecondApproval(Flow flow, ApproveCase approve, DateTimeOffset now)
    {
        if (string.Equals(approve.Agent, flow.Data.GetValueOrDefault(SupportDataKeys.FirstApprover), StringComparison.OrdinalIgnoreCase))
        {
            return SupportErrors.SecondApproverRequired();
        }
        if (!approve.Supervisor)
        {
            return SupportErrors.SupervisorRequired();
        }
        return BeginCoolOff(flow.WithData(SupportDataKeys.ApprovedBy, flow.Data[SupportDataKeys.FirstApprover] + ", " + approve.Agent), now);
    }

    private static FlowStep Reject(Flow flow, RejectCase reject, DateTimeOffset now)
    {
        var rejected = flow.WithData(SupportDataKeys.Reason, reject.Reason).WithData(SupportDataKeys.DecidedBy, reject.Agent)
            .WithoutData(FlowDataKeys.CancelCodeHash)
            .Finish(FlowStates.Failed, now, RejectedOutcome);
        return FlowStep.Of(rejected, ToFiler(rejected, MessageKinds.SupportCaseRejected, now, (MessageValues.ReasonValue, reject.Reason)));
    }

    private static FlowStep AskForInfo(Flow flow, RequestCaseInfo ask, DateTimeOffset now)
    {
        var asked = flow.WithData(SupportDataKeys.InfoRequest, ask.Question) with { State = S.AwaitingMoreInfo };
        return FlowStep.Of(asked, ToFiler(asked, MessageKinds.SupportCaseInfoRequested, now));
    }

    private static FlowStep AddInfo(Flow flow, AddCaseInfo info)
    {
        var evidence = Evidence(flow).Merge(info.More);
        var passwords = Passwords(flow).Concat(info.Passwords).ToList();
        var notes = flow.Data.GetValueOrDefault(SupportDataKeys.Notes);
        if (!string.IsNullOrWhiteSpace(info.Note))
        {
            notes = string.IsNullOrEmpty(notes) ? info.Note : notes + "\n---\n" + info.Note;
        }
        var next = flow
            .WithData(SupportDataKeys.Evidence, JsonSerializer.Serialize(evidence, FlowJson.Options))
            .WithData(SupportDataKeys.Passwords, JsonSerializer.Serialize(passwords, FlowJson.Options))
            .WithoutData(SupportDataKeys.InfoRequest) with { State = S.Scoring };
        if (notes is not null)
        {
            next = next.WithData(SupportDataKeys.Notes, notes);
        }
        return FlowStep.Of(next, new ScoreSupportCase(flow.Id, flow.Data.GetValueOrDefault(FlowDataKeys.AccountId)));
    }

    private FlowStep BeginCoolOff(Flow flow, DateTimeOffset now)
    {
        var (code, hash) = CancelCodes.New(flow.Id);
        var until = now + Options.CoolOff;
        var next = flow.WithData(FlowDataKeys.CancelCodeHash, hash) with { State = S.CoolingOff, Deadline = until };

        var notices = new List<FlowEffect>(Notices.ChangePending(next, code, Options.CancelUrlFormat, now));
        notices.Add(ToFiler(next, MessageKinds.SupportCaseApproved, now, (MessageValues.UntilValue, Notices.Time(until))));
        return FlowStep.Of(next, [.. notices]);
    }

    /// <summary>A notice to whoever filed the case: the contact email they proved, else the new phone.</summary>
    private static SendMessage ToFiler(Flow flow, string kind, DateTimeOffset now, params (string Key, string Value)[] values) =>
        flow.Data.TryGetValue(SupportDataKeys.ContactEmail, out var email)
            ? Notices.Create(flow, Channel.Email, email, kind, now, values)
            : Notices.Create(flow, Channel.Sms, flow.Data[FlowDataKeys.NewPhone], kind, now, values);

    private static RecoverBySupport Pending(Flow flow) =>
        new(flow.Data[FlowDataKeys.AccountId], flow.Phone, flow.Data[FlowDataKeys.NewPhone], flow.Id, Guard(flow));

    /// <summary>The case's evidence as filed (and added to).</summary>
    public static SupportEvidence Evidence(Flow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return flow.Data.TryGetValue(SupportDataKeys.Evidence, out var json)
            ? JsonSerializer.Deserialize<SupportEvidence>(json, FlowJson.Options) ?? new SupportEvidence()
            : new SupportEvidence();
    }

    /// <summary>The verdicts of the earlier passwords typed with the case.</summary>
    public static IReadOnlyList<PasswordVerdict> Passwords(Flow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return flow.Data.TryGetValue(SupportDataKeys.Passwords, out var json)
            ? JsonSerializer.Deserialize<List<PasswordVerdict>>(json, FlowJson.Options) ?? []
            : [];
    }

    /// <summary>The case's score report, once scored.</summary>
    public static EvidenceScore? Report(Flow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return flow.Data.TryGetValue(SupportDataKeys.Report, out var json) ? JsonSerializer.Deserialize<EvidenceScore>(json, FlowJson.Options) : null;
    }

    /// <summary>The case's score (0–100), −1 before scoring.</summary>
    public static int Score(Flow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return flow.Data.TryGetValue(SupportDataKeys.Score, out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : -1;
    }
}

/// <summary>The keys of a support case's <see cref="Flow.Data"/>.</summary>
public static class SupportDataKeys
{
    public const string Evidence = "evidence";
    public const string Passwords = "password_verdicts";
    public const string ContactEmail = "contact_email";
    public const string SubmittedAt = "submitted_at";
    public const string Score = "score";
    public const string Report = "score_report";
    public const string RecentSecurityChanges = "recent_security_changes";
    public const string InfoRequest = "info_request";
    public const string Notes = "notes";
    public const string FirstApprover = "first_approver";
    public const string ApprovedBy = "approved_by";
    public const string DecidedBy = "decided_by";
    public const string Reason = "reason";
    public const string OpenKey = "open_key";
}
