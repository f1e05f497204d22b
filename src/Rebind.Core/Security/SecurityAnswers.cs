using System.Globalization;
using System.Text;
using Rebind.Core.Accounts;

namespace Rebind.Core.Security;

/// <summary>
/// Security answers: normalized (NFKC, which folds full-width forms; case folding; whitespace collapsed and
/// trimmed) and then hashed like passwords, so "Ｂｅｉｊｉｎｇ  " and "beijing" are the same answer.
/// </summary>
public static class SecurityAnswers
{
    /// <summary>Every account that sets questions sets exactly this many (so the count tells nothing either).</summary>
    public const int QuestionsPerAccount = 3;

    /// <summary>Most answers a request may carry.</summary>
    public const int MaxQuestions = QuestionsPerAccount;
    public const int MaxAnswerLength = 100;

    public static string Normalize(string? answer)
    {
        if (string.IsNullOrEmpty(answer))
        {
            return string.Empty;
        }

        // Upper then lower approximates Unicode case folding with what .NET offers invariantly.
        var folded = answer.Normalize(NormalizationForm.FormKC).ToUpperInvariant().ToLowerInvariant();
        var builder = new StringBuilder(folded.Length);
        var pendingSpace = false;
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    public static string Hash(PasswordHasher hasher, string answer)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        return hasher.Hash(Normalize(answer));
    }

    /// <summary>Constant-time check of <paramref name="answer"/> against the question's stored hash.</summary>
    public static bool Verify(PasswordHasher hasher, SecurityQuestion question, string? answer)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        ArgumentNullException.ThrowIfNull(question);
        return hasher.Verify(Normalize(answer), question.AnswerHash);
    }

    /// <summary>
    /// True when every question of <paramref name="questions"/> has a correct answer in <paramref name="answers"/>
    /// (keyed by question id). Every question is checked even after a miss, so the time says nothing about which failed.
    /// </summary>
    public static bool VerifyAll(PasswordHasher hasher, IReadOnlyList<SecurityQuestion> questions, IReadOnlyDictionary<string, string> answers)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(answers);
        if (questions.Count == 0)
        {
            return false;
        }

        var ok = true;
        foreach (var question in questions)
        {
            ok &= Verify(hasher, question, answers.GetValueOrDefault(question.Id));
        }

        return ok;
    }

    /// <summary>
    /// Validates a new set of questions: exactly <see cref="QuestionsPerAccount"/> distinct catalogue ids, each with
    /// an answer. Null when acceptable, else <c>invalid_security_questions</c> with the rule broken.
    /// </summary>
    public static Error? Check(IReadOnlyList<(string? QuestionId, string? Answer)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count != QuestionsPerAccount)
        {
            return AccountErrors.InvalidSecurityQuestions("count");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (questionId, answer) in items)
        {
            if (!SecurityQuestionCatalogue.Contains(questionId))
            {
                return AccountErrors.InvalidSecurityQuestions("question");
            }

            var a = Normalize(answer);
            if (a.Length is 0 or > MaxAnswerLength)
            {
                return AccountErrors.InvalidSecurityQuestions("answer");
            }

            if (!seen.Add(questionId!))
            {
                return AccountErrors.InvalidSecurityQuestions("duplicate");
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the account's questions can be used for recovery: exactly the catalogue's kind (set through the
    /// catalogue). Questions set as free text before the catalogue existed cannot: they would be told apart from decoys.
    /// </summary>
    public static bool AreFromCatalogue(IReadOnlyList<SecurityQuestion> questions)
    {
        ArgumentNullException.ThrowIfNull(questions);
        return questions.Count == QuestionsPerAccount && questions.All(q => SecurityQuestionCatalogue.Contains(q.Id) && q.Question == q.Id);
    }
}
