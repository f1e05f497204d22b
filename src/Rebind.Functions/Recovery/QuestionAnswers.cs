using System.Diagnostics.Metrics;
using Rebind.Core.Accounts;
using Rebind.Core.Flows;
using Rebind.Core.Flows.PhoneRecoveryByQuestions;
using Rebind.Core.Security;

namespace Rebind.Functions.Recovery;

/// <summary>
/// Checks security answers for <c>recover_phone_by_questions</c> with the same work whether or not the flow has
/// a real account behind it: one account read and one PBKDF2 run per question shown (against a dummy hash for
/// decoys), every question checked even after a miss.
/// </summary>
public sealed class QuestionAnswers(IAccountStore accounts, PasswordHasher hasher, IMeterFactory meters)
{
    /// <summary>The PBKDF2 runs spent on security answers: the CPU an answer flood costs (metric <c>rebind.recovery.answer_hashes</c>).</summary>
    private readonly Counter<long> hashes = meters.Create("Rebind.Recovery").CreateCounter<long>("rebind.recovery.answer_hashes", "{hash}");

    public async Task<bool> CheckAsync(Flow flow, IReadOnlyDictionary<string, string> answers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(answers);
        var accountId = flow.Data.GetValueOrDefault(FlowDataKeys.AccountId);
        var account = await accounts.GetAsync(accountId ?? Guid.NewGuid().ToString("N"), cancellationToken);
        if (accountId is not null && account is not null && SecurityAnswers.AreFromCatalogue(account.Value.SecurityQuestions))
        {
            hashes.Add(account.Value.SecurityQuestions.Count);
            return SecurityAnswers.VerifyAll(hasher, account.Value.SecurityQuestions, answers);
        }

        hashes.Add(RecoverPhoneByQuestionsFlow.ShownQuestions(flow).Count);
        foreach (var question in RecoverPhoneByQuestionsFlow.ShownQuestions(flow))
        {
            SecurityAnswers.Verify(hasher, new SecurityQuestion(question.Id, question.Question, hasher.DummyHash), answers.GetValueOrDefault(question.Id));
        }

        return false;
    }
}
