using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using Rebind.Core.Flows.PhoneRecoveryByQuestions;

namespace Rebind.Functions.Flows;

/// <summary>
/// <c>recover_phone_by_questions</c> in the app: shows the questions stored at start (the account's, or decoys)
/// while answers are awaited; in <c>cooling_off</c> the client waits (<c>expiresAt</c> is the end of the cool-off).
/// </summary>
public sealed class RecoverPhoneByQuestionsKind(IAccountStore accounts) : IFlowKind
{
    public string Kind => RecoverPhoneByQuestionsFlow.KindName;

    public string Orchestrator => PhoneRecoveryByQuestions.RecoverPhoneByQuestionsOrchestrator.Name;

    public string? NextStep(Flow flow) => flow.State switch
    {
        RecoverPhoneByQuestionsStates.AwaitingAnswers => FlowNextSteps.Answers,
        RecoverPhoneByQuestionsStates.AwaitingNewPhone => FlowNextSteps.Phone,
        RecoverPhoneByQuestionsStates.AwaitingNewPhoneCode => FlowNextSteps.Code,
        RecoverPhoneByQuestionsStates.CoolingOff => FlowNextSteps.Wait,
        RecoverPhoneByQuestionsStates.ApplyingChange => FlowNextSteps.Wait,
        _ => null,
    };

    public Task<FlowInput> CodeInputAsync(Flow flow, string code, CancellationToken cancellationToken) =>
        PendingIdentifier.CodeInputAsync(accounts, flow, code, RecoverPhoneByQuestionsStates.AwaitingNewPhoneCode, cancellationToken);

    public IReadOnlyList<QuestionView>? Questions(Flow flow) =>
        flow.State == RecoverPhoneByQuestionsStates.AwaitingAnswers
            ? RecoverPhoneByQuestionsFlow.ShownQuestions(flow).Select(q => new QuestionView(q.Id, q.Question)).ToList()
            : null;
}
