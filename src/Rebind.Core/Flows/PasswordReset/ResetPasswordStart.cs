namespace Rebind.Core.Flows.PasswordReset;

/// <summary>
/// From the sign-in page: <paramref name="Identifier"/> is the phone or email the user typed; <paramref name="Account"/>
/// is the account the integrator resolved it to through the identifier index, or null. The code goes to that
/// identifier only; using the other channel means starting over with the other identifier.
/// </summary>
public sealed record ResetPasswordStart(ContactIdentifier Identifier, AccountSnapshot? Account, string Culture) : FlowStart(Culture);
