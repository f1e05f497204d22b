using Rebind.Azure.Flows;
using System.Text.RegularExpressions;
using Rebind.Core;
using Rebind.Core.Flows;
using Rebind.Core.Flows.PhoneRecoveryByEmail;
using Rebind.Core.Flows.PhoneRecoveryByQuestions;
using Rebind.Core.Security;
using Rebind.Functions.Attestation;
using Rebind.Functions.Flows;
using Rebind.Functions.Http;
using Rebind.Functions.Recovery;

namespace Rebind.Functions.Apis;

/// <summary>
/// Lost-phone recovery from the sign-in page (issue 7, flows 3 and 4), the cool-off cancel link, and the pointer
/// to support-assisted recovery. The new number goes through the shared <c>POST /api/flows/{id}/phone</c> (<see cref="PhoneApi"/>). Recovery by security questions exists only when
/// <c>Recovery__SecurityQuestionsEnabled</c> is on (else <c>403 recovery_method_disabled</c>).
/// </summary>
public static partial class RecoveryApi
{
    public const string MethodDisabledCode = "recovery_method_disabled";

    public static IEndpointRouteBuilder MapRecoveryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/recovery").WithTags("Recovery");
        group.MapPost("/phone/email", StartByEmail)
            .RequireAttestation()
            .Idempotent().Fails(ProblemResponses.SignInPageStart)
            .WithName("StartPhoneRecoveryByEmail")
            .WithSummary("Lost phone: a code to the account's bound email (never an SMS). Same answer for unknown identifiers.");
        group.MapPost("/phone/questions", StartByQuestions)
            .RequireAttestation()
            .Idempotent().Fails(ProblemResponses.SignInPageStart).Fails(StatusCodes.Status403Forbidden, MethodDisabledCode)
            .WithName("StartPhoneRecoveryByQuestions")
            .WithSummary("Lost phone, by security questions (off unless enabled); the flow shows the questions.");
        group.MapPost("/cancel", CancelWithCode)
            .Fails(StatusCodes.Status400BadRequest, ProblemResponses.ValidationFailed, FlowErrorCodes.InvalidCancelCode)
            .Fails(StatusCodes.Status409Conflict, FlowErrorCodes.FlowCompleted, ProblemResponses.FlowConflict)
            .Fails(StatusCodes.Status410Gone, FlowErrorCodes.FlowExpired, FlowErrorCodes.FlowCancelled, FlowErrorCodes.FlowFailed)
            .WithName("CancelPendingRecovery")
            .WithSummary("Cancels a change waiting out its cool-off, with the code from the notice; no sign-in needed.");
        group.MapPost("/no-access", NoAccess)
            .Fails(StatusCodes.Status409Conflict, FlowErrorCodes.RecoveryRequiresSupport)
            .WithName("RecoveryNoAccess")
            .WithSummary("Neither the phone nor the email works: always 409 recovery_requires_support.");

        var flows = app.MapGroup("/api/flows").WithTags("Flows");
        flows.MapPost("/{id}/answers", SubmitAnswers).WithName("SubmitAnswers").WithSummary("Submits the answers to the flow's security questions.")
            .Fails(ProblemResponses.FlowStep)
            .Fails(StatusCodes.Status400BadRequest, ProblemResponses.ValidationFailed, FlowErrorCodes.SecurityAnswersIncorrect)
            .Fails(StatusCodes.Status429TooManyRequests, FlowErrorCodes.TooManyAttempts);
        return app;
    }

    public static Error MethodDisabled() =>
        new(MethodDisabledCode, "This recovery method is not available. Recover your account by email, or with the help of support.", ErrorKind.Forbidden);

    public static Task<Results<Created<FlowView>, ProblemHttpResult>> StartByEmail(
        SignInPageRequest? body, HttpContext context, SignInPageAccounts accounts, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken) =>
        SignInPageStart.StartAsync(
            RecoverPhoneByEmailFlow.KindName,
            body,
            (identifier, account, culture) => Task.FromResult<FlowStart>(
                new RecoverPhoneByEmailStart(identifier, account is null ? null : AccountSnapshot.Of(account), culture)),
            precheck: null,
            context, accounts, inputs, kinds, policy, cancellationToken);

    public static async Task<Results<Created<FlowView>, ProblemHttpResult>> StartByQuestions(
        SignInPageRequest? body, HttpContext context, RecoveryOptions options, DecoyQuestions decoys, SignInPageAccounts accounts,
        FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken)
    {
        if (!options.SecurityQuestionsEnabled)
        {
            return ErrorResults.Problem(MethodDisabled(), context);
        }

        return await SignInPageStart.StartAsync(
            RecoverPhoneByQuestionsFlow.KindName,
            body,
            (identifier, account, culture) =>
            {
                // An account without catalogue questions is treated like an unknown one: decoys, never right. Either
                // way the same shape: catalogue ids in catalogue order, in the caller's language (docs/flows.md).
                // A locked account still shows its own questions (switching to decoys would show that it exists); its
                // answers are simply never right until the owner signs in (QuestionAnswers).
                var real = account is not null && SecurityAnswers.AreFromCatalogue(account.SecurityQuestions);
                var ids = real ? account!.SecurityQuestions.Select(q => q.Id) : decoys.For(identifier);
                var shown = ids.OrderBy(SecurityQuestionCatalogue.IndexOf)
                    .Select(id => new ShownQuestion(id, SecurityQuestionCatalogue.Text(id, culture)))
                    .ToList();
                return Task.FromResult<FlowStart>(new RecoverPhoneByQuestionsStart(identifier, real ? AccountSnapshot.Of(account!) : null, culture, shown));
            },
            precheck: null,
            context, accounts, inputs, kinds, policy, cancellationToken);
    }

    public static async Task<Results<Ok<FlowView>, Accepted<FlowView>, ProblemHttpResult>> SubmitAnswers(
        string id, AnswersRequest? body, HttpContext context, QuestionAnswers checker, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken)
    {
        if (AnswersProblem(body?.Answers) is { } malformed)
        {
            return ErrorResults.Problem(malformed, context);
        }
        var given = body!.Answers!;

        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var answer in given)
        {
            answers[answer!.QuestionId!] = answer.Answer!;
        }

        // Count the attempt first (a conditional write: of parallel attempts only those left get through), then hash
        // once, outside FlowInputs' retry loop, so a lost race never costs PBKDF2 again.
        var caller = context.CallerAccountId();
        var reserved = await inputs.ApplyAsync(id, caller, (_, _) => Task.FromResult(Result<FlowInput>.Success(new ReserveAnswerAttempt())), cancellationToken);
        if (!reserved.IsSuccess)
        {
            return FlowsApi.Answer(reserved, context, kinds, policy);
        }
        var correct = await checker.CheckAsync(reserved.Value, answers, cancellationToken);
        await checker.RecordAsync(reserved.Value, correct, ClientInfo.From(context), ErrorResults.CultureOf(context), cancellationToken);
        var result = await inputs.ApplyAsync(id, caller, (_, _) => Task.FromResult(Result<FlowInput>.Success(new Core.Flows.SubmitAnswers(correct, Reserved: true))), cancellationToken);
        return FlowsApi.Answer(result, context, kinds, policy);
    }

    public static async Task<Results<Ok<FlowView>, Accepted<FlowView>, ProblemHttpResult>> CancelWithCode(
        CancelRequest? body, HttpContext context, FlowInputs inputs, FlowKinds kinds, FlowPolicy policy, CancellationToken cancellationToken)
    {
        var code = body?.Code ?? body?.CancelCode;
        if (string.IsNullOrWhiteSpace(code))
        {
            return ErrorResults.Problem(RequestErrors.Missing("code"), context);
        }
        if (!CancelCodes.TryGetFlowId(code, out var flowId) || !TableFlowStore.IsValidId(flowId))
        {
            return ErrorResults.Problem(FlowErrors.InvalidCancelCode(), context);
        }

        // A finished flow (cancelled, the change applied, expired, failed) has nothing to cancel: the same answer as a
        // wrong code, so a second use of the link, or a guessed code for a known flow id, tells nothing about the flow.
        var result = await inputs.ApplyAsync(flowId, callerAccountId: null, (flow, _) => Task.FromResult(
            flow.Kind is RecoverPhoneByQuestionsFlow.KindName or Core.Flows.SupportRecovery.SupportRecoveryFlow.KindName && !flow.IsTerminal
                ? Result<FlowInput>.Success(new Core.Flows.CancelWithCode(code))
                : Result<FlowInput>.Failure(FlowErrors.InvalidCancelCode())), cancellationToken);

        // No such flow, another kind, or nothing pending (not cooling off, or already matured): all one answer.
        if (!result.IsSuccess && result.Error.Code is FlowErrorCodes.FlowNotFound or FlowErrorCodes.InvalidState)
        {
            return ErrorResults.Problem(FlowErrors.InvalidCancelCode(), context);
        }

        return FlowsApi.Answer(result, context, kinds, policy);
    }

    /// <summary>One answer per question shown, each with its question id and a non-blank answer; at most three.</summary>
    private static Error? AnswersProblem(IReadOnlyList<AnswerInput?>? answers)
    {
        if (answers is null || answers.Count == 0)
        {
            return RequestErrors.Missing("answers");
        }
        if (answers.Count > SecurityAnswers.MaxQuestions)
        {
            return RequestErrors.Malformed("answers", $"'answers' holds at most {SecurityAnswers.MaxQuestions} answers.");
        }
        for (var i = 0; i < answers.Count; i++)
        {
            var at = $"answers[{i}]";
            if (RequestFields.First(
                    answers[i] is null ? RequestErrors.Missing(at) : null,
                    RequestFields.Required(answers[i]?.QuestionId, at + ".questionId"),
                    RequestFields.Required(answers[i]?.Answer, at + ".answer")) is { } error)
            {
                return error;
            }
        }
        return null;
    }

    public static ProblemHttpResult NoAccess(HttpContext context, RecoveryOptions options)
    {
        var error = FlowErrors.RecoveryRequiresSupport();
        return ErrorResults.Problem(options.SupportUrl is { } url ? error.With("supportUrl", url) : error, context);
    }
}

public sealed record AnswerInput(string? QuestionId, string? Answer);

/// <param name="Answers">One per question shown by the flow, by question id.</param>
public sealed record AnswersRequest(IReadOnlyList<AnswerInput?>? Answers);

/// <param name="Code">The cancel code from the notice (<paramref name="CancelCode"/> is accepted as well).</param>
public sealed record CancelRequest(string? Code = null, string? CancelCode = null);
