using System.Diagnostics.Metrics;
using Rebind.Core.Accounts;
using Rebind.Core.Activity;
using Rebind.Core.Messaging;
using Rebind.Core.Sessions;
using Rebind.Core.Flows;
using Rebind.Core.Flows.PhoneRecoveryByQuestions;
using Rebind.Core.Security;

namespace Rebind.Functions.Recovery;

/// <summary>
/// Checks security answers for <c>recover_phone_by_questions</c> with the same work whether or not the flow has
/// a real account behind it: one account read and one PBKDF2 run per question shown (against a dummy hash for
/// decoys), every question checked even after a miss.
/// </summary>
public sealed class QuestionAnswers(
    IAccountStore accounts, PasswordHasher hasher, IMeterFactory meters, IActivityLog activity, IMessageSender sender,
    RecoveryOptions options, TimeProvider time)
{
    /// <summary>The PBKDF2 runs spent on security answers: the CPU an answer flood costs (metric <c>rebind.recovery.answer_hashes</c>).</summary>
    private readonly Counter<long> hashes = meters.Create("Rebind.Recovery").CreateCounter<long>("rebind.recovery.answer_hashes", "{hash}");

    public async Task<bool> CheckAsync(Flow flow, IReadOnlyDictionary<string, string> answers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(answers);
        var accountId = flow.Data.GetValueOrDefault(FlowDataKeys.AccountId);
        var account = await accounts.GetAsync(accountId ?? Guid.NewGuid().ToString("N"), cancellationToken);
        // A locked account (too many wrong answers since its owner last signed in) is checked like a decoy: never right.
        if (accountId is not null && account is not null && account.Value.SecurityAnswersLockedAt is null
            && SecurityAnswers.AreFromCatalogue(account.Value.SecurityQuestions))
        {
            hashes.Add(account.Value.SecurityQuestions.Count);
            return SecurityAnswers.VerifyAll(hasher, account.Value.SecurityQuestions, answers);
        }

        var shown = RecoverPhoneByQuestionsFlow.ShownQuestions(flow);
        hashes.Add(shown.Count);
        foreach (var question in shown)
        {
            SecurityAnswers.Verify(hasher, new SecurityQuestion(question.Id, question.Question, hasher.DummyHash), answers.GetValueOrDefault(question.Id));
        }

        return false;
    }

    /// <summary>
    /// Records an answer attempt on a real account (a decoy flow has none): in its history, success or failure, and, when
    /// wrong, on a counter across all its flows; the attempt that reaches <see cref="RecoveryOptions.MaxAnswerFailuresPerAccount"/>
    /// locks the method until the owner signs in, and the bound phone and email are told.
    /// </summary>
    public async Task RecordAsync(Flow flow, bool correct, SessionClient client, string culture, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(client);
        if (flow.Data.GetValueOrDefault(FlowDataKeys.AccountId) is not { } accountId)
        {
            return;
        }

        var now = time.GetUtcNow();
        var lockedNow = false;
        var updated = correct ? null : await accounts.UpdateAsync(accountId, a =>
        {
            var failures = a.FailedSecurityAnswers + 1;
            lockedNow = a.SecurityAnswersLockedAt is null && failures >= options.MaxAnswerFailuresPerAccount;
            return a with { FailedSecurityAnswers = failures, SecurityAnswersLockedAt = lockedNow ? now : a.SecurityAnswersLockedAt };
        }, cancellationToken);
        await activity.RecordAsync(accountId, new ActivityEvent(
            ActivityTypes.SecurityAnswers,
            correct ? ActivityOutcomes.Success : lockedNow ? ActivityOutcomes.Locked : ActivityOutcomes.Failure,
            now, IpAddress: client.IpAddress, DeviceName: client.DeviceName, UserAgent: client.UserAgent, Detail: FlowIds.Ref(flow.Id)), cancellationToken);
        if (lockedNow && updated is not null)
        {
            await SecurityNotices.SendAsync(sender, updated.Value,
                "recovery by security questions locked after repeated wrong answers; signing in unlocks it",
                "多次回答密保问题错误，密保问题找回已锁定，您登录后自动解除", culture, now, cancellationToken);
        }
    }
}
