using Rebind.Core.Messaging;

namespace Rebind.Core.Flows.EmailChange;

/// <summary>
/// Signed-in <paramref name="Account"/> (the caller's, read at start; recent sign-in checked by the HTTP layer)
/// changes its email. <paramref name="VerifyBy"/>: <see cref="Channel.Email"/> when the old address still works,
/// <see cref="Channel.Sms"/> to verify with the bound phone instead. <paramref name="SessionId"/>: kept alive.
/// </summary>
public sealed record ChangeEmailStart(AccountSnapshot Account, Channel VerifyBy, string? SessionId, string Culture) : FlowStart(Culture, Account.AccountId);
