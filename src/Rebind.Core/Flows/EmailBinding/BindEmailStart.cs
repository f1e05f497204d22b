using Rebind.Core.Identity;

namespace Rebind.Core.Flows.EmailBinding;

/// <summary>Signed-in <paramref name="Account"/> (the caller's, read at start) binds <paramref name="Email"/>.</summary>
public sealed record BindEmailStart(AccountSnapshot Account, EmailAddress Email, string Culture) : FlowStart(Culture, Account.AccountId);
