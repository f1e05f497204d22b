namespace Rebind.Core.Flows.PhoneRecoveryByQuestions;

/// <summary>
/// From the sign-in page: <paramref name="Identifier"/> is the old phone or the bound email as typed;
/// <paramref name="Account"/> is the account the integrator resolved it to, or null (also pass null when the
/// account has no security questions: the answers can then never be right).
/// </summary>
public sealed record RecoverPhoneByQuestionsStart(ContactIdentifier Identifier, AccountSnapshot? Account, string Culture) : FlowStart(Culture);
