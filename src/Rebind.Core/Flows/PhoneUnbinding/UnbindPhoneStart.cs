namespace Rebind.Core.Flows.PhoneUnbinding;

/// <summary>
/// Signed-in <paramref name="Account"/> (the caller's, read at start; recent sign-in checked by the HTTP layer)
/// removes its phone. <paramref name="SessionId"/>: the caller's session, kept when the stamp rotates.
/// </summary>
public sealed record UnbindPhoneStart(AccountSnapshot Account, string? SessionId, string Culture) : FlowStart(Culture, Account.AccountId);
