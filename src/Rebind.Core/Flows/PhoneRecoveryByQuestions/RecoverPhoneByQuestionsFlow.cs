using System.Globalization;
using Rebind.Core.Messaging;
using Rebind.Core.Security;

namespace Rebind.Core.Flows.PhoneRecoveryByQuestions;

/// <summary>
/// <c>recover_phone_by_questions</c> (off by default, not signed in): security answers (checked by the integrator)
/// → new number → SMS code to it → a cool-off (72 h) announced to the old phone and the email with a cancel code
/// that works without signing in → at its end <see cref="ChangePhone"/> ending every session → completed with
/// notices. Unknown account: the same states and answers; the answers are never right. See <c>states.mermaid</c>.
/// </summary>
public sealed class RecoverPhoneByQuestionsFlow : AccountChangeFlow
{
    public const string KindName = "recover_phone_by_questions";

    public RecoverPhoneByQuestionsFlow(FlowPolicy policy, CodeKeyRing keys, QuestionRecoveryOptions? options = null, ICodeGenerator? codes = null)
        : base(policy, keys, codes)
    {
        Options = (options ?? QuestionRecoveryOptions.Default).EnsureValid();
    }

    public override string Kind => KindName;

    public QuestionRecoveryOptions Options { get; }

    public override Result<FlowStep> Start(FlowStart request, DateTimeOffset now)
    {
        var start = StartAs<RecoverPhoneByQuestionsStart>(request);
        var flow = NewFlow(RecoverPhoneByQuestionsStates.AwaitingAnswers, start, now);
        if (start.Identifier.Identifies(start.Account))
        {
            flow = ForAccount(flow, start.Account!);
        }

        if (start.Questions is { Count: > 0 } questions)
        {
            flow = flow.WithData(FlowDataKeys.Questions, System.Text.Json.JsonSerializer.Serialize(questions, FlowJson.Options));
        }

        return FlowStep.Of(flow);
    }

    protected override Result<FlowStep> Transition(Flow flow, FlowInput input, DateTimeOffset now)
    {
        switch (flow.State)
        {
            case RecoverPhoneByQuestionsStates.AwaitingAnswers:
                return input switch
                {
                    ReserveAnswerAttempt => Reserve(flow),
                    SubmitAnswers answers => Answer(flow, answers, now),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            case RecoverPhoneByQuestionsStates.AwaitingNewPhone:
                return OnAwaitingNewPhone(flow, input, RecoverPhoneByQuestionsStates.AwaitingNewPhoneCode, now);

            case RecoverPhoneByQuestionsStates.AwaitingNewPhoneCode:
                return OnAwaitingNewPhoneCode(flow, input, now, confirmed => BeginCoolOff(confirmed, now));

            case RecoverPhoneByQuestionsStates.CoolingOff:
                // Before the deadline only; at or after it DeadlinePassed matures the change.
                return input switch
                {
                    CancelWithCode cancel => CancelCodes.Matches(cancel.CancelCode, flow.Data[FlowDataKeys.CancelCodeHash])
                        ? FlowStep.Of(flow.WithoutData(FlowDataKeys.CancelCodeHash).Finish(FlowStates.Cancelled, now, FlowErrorCodes.FlowCancelled))
                        : FlowErrors.InvalidCancelCode(),
                    _ => FlowErrors.InvalidState(flow.State, input.Name),
                };

            case RecoverPhoneByQuestionsStates.ApplyingChange:
                return Applying(flow, input, now, Pending, f => Notices.PhoneChanged(f, now), FlowErrors.PhoneAlreadyBound());

            default:
                return FlowErrors.InvalidState(flow.State, input.Name);
        }
    }

    /// <summary>
    /// In <c>cooling_off</c> the deadline is the end of the cool-off: any input then (the cleanup's
    /// <see cref="Expire"/>, or a late cancel) matures the change into <c>applying_change</c> with the
    /// <see cref="ChangePhone"/> effect. Other inputs than <see cref="Expire"/> also get <c>invalid_state</c>.
    /// </summary>
    protected override Result<FlowStep> DeadlinePassed(Flow flow, FlowInput input, DateTimeOffset now)
    {
        if (flow.State != RecoverPhoneByQuestionsStates.CoolingOff)
        {
            return base.DeadlinePassed(flow, input, now);
        }

        var matured = BeginChange(flow.WithoutData(FlowDataKeys.CancelCodeHash), Pending);
        return input is Expire ? matured : matured with { Error = FlowErrors.InvalidState(matured.Flow.State, input.Name) };
    }

    /// <summary>Counts the attempt up front; none left (parallel attempts took them) is refused, the flow untouched.</summary>
    private Result<FlowStep> Reserve(Flow flow)
    {
        var used = WrongAnswers(flow);
        return used >= Options.MaxAnswerAttempts
            ? FlowErrors.TooManyAttempts()
            : FlowStep.Of(flow.WithData(FlowDataKeys.WrongAnswers, (used + 1).ToString(CultureInfo.InvariantCulture)));
    }

    private static int WrongAnswers(Flow flow) => int.Parse(flow.Data.GetValueOrDefault(FlowDataKeys.WrongAnswers, "0"), CultureInfo.InvariantCulture);

    private Result<FlowStep> Answer(Flow flow, SubmitAnswers answers, DateTimeOffset now)
    {
        // The pretend path (no account) can never be right, whatever the integrator passed.
        if (answers.AnswersCorrect && flow.Data.ContainsKey(FlowDataKeys.AccountId))
        {
            return FlowStep.Of(flow.WithoutData(FlowDataKeys.WrongAnswers) with { State = RecoverPhoneByQuestionsStates.AwaitingNewPhone });
        }

        // A reserved attempt is already counted.
        var wrong = WrongAnswers(flow) + (answers.Reserved ? 0 : 1);
        var left = Options.MaxAnswerAttempts - wrong;
        if (left <= 0)
        {
            return Fail(flow, FlowErrors.TooManyAttempts(), now);
        }

        return FlowStep.Failed(
            flow.WithData(FlowDataKeys.WrongAnswers, wrong.ToString(CultureInfo.InvariantCulture)),
            FlowErrors.SecurityAnswersIncorrect(left));
    }

    private FlowStep BeginCoolOff(Flow flow, DateTimeOffset now)
    {
        var (code, hash) = CancelCodes.New(flow.Id);
        var next = flow.WithData(FlowDataKeys.CancelCodeHash, hash) with
        {
            State = RecoverPhoneByQuestionsStates.CoolingOff,
            Deadline = now + Options.CoolOff,
        };

        return FlowStep.Of(next, [.. Notices.ChangePending(next, code, Options.CancelUrlFormat, now)]);
    }

    /// <summary>The questions shown for this flow (stored at start); empty when none were given.</summary>
    public static IReadOnlyList<ShownQuestion> ShownQuestions(Flow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return flow.Data.TryGetValue(FlowDataKeys.Questions, out var json)
            ? System.Text.Json.JsonSerializer.Deserialize<List<ShownQuestion>>(json, FlowJson.Options) ?? []
            : [];
    }

    // Answers prove no contact; a security change by the owner during the cool-off still stops the change.
    private static ChangePhone Pending(Flow flow) =>
        new(flow.Data[FlowDataKeys.AccountId], flow.Phone, flow.Data[FlowDataKeys.NewPhone], KeepSessionId: null, flow.Id, Guard(flow));
}
