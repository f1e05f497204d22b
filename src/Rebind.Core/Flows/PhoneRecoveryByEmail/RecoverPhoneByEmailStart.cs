namespace Rebind.Core.Flows.PhoneRecoveryByEmail;

/// <summary>
/// From the sign-in page: <paramref name="Identifier"/> is the old phone or the bound email as typed;
/// <paramref name="Account"/> is the account the integrator resolved it to through the identifier index, or null.
/// </summary>
public sealed record RecoverPhoneByEmailStart(ContactIdentifier Identifier, AccountSnapshot? Account, string Culture) : FlowStart(Culture);
