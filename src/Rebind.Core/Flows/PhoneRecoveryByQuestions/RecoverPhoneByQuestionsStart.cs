namespace Rebind.Core.Flows.PhoneRecoveryByQuestions;

/// <summary>
/// From the sign-in page: <paramref name="Identifier"/> is the old phone or the bound email as typed;
/// <paramref name="Account"/> is the account the integrator resolved it to, or null (also pass null when the
/// account has no security questions: the answers can then never be right). <paramref name="Questions"/> are what
/// the user is shown: the account's questions, or decoys for an unknown identifier; the flow keeps them so every
/// read of the flow shows the same ones.
/// </summary>
public sealed record RecoverPhoneByQuestionsStart(
    ContactIdentifier Identifier,
    AccountSnapshot? Account,
    string Culture,
    IReadOnlyList<ShownQuestion>? Questions = null) : FlowStart(Culture);

/// <summary>A security question as shown to the user (never the answer): the id the answer is sent back with.</summary>
public sealed record ShownQuestion(string Id, string Question);
