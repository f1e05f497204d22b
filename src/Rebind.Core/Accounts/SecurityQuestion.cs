namespace Rebind.Core.Accounts;

/// <summary>A security question of the account; the answer is kept only as a hash of its normalized form.</summary>
/// <param name="Id">Stable id within the account (what a recovery form sends back with the answer).</param>
/// <param name="AnswerHash">PBKDF2 hash of <c>SecurityAnswers.Normalize(answer)</c>.</param>
public sealed record SecurityQuestion(string Id, string Question, string AnswerHash);
