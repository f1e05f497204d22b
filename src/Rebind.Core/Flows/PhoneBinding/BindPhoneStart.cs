using Rebind.Core.Identity;

namespace Rebind.Core.Flows.PhoneBinding;

/// <summary>Signed-in <paramref name="Account"/> (the caller's, read at start) binds <paramref name="Phone"/>.</summary>
public sealed record BindPhoneStart(AccountSnapshot Account, PhoneNumber Phone, string Culture) : FlowStart(Culture, Account.AccountId);
