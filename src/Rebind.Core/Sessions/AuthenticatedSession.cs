using Rebind.Core.Accounts;

namespace Rebind.Core.Sessions;

/// <summary>
/// An alive session and the account it belongs to, as read to check it: the request can use the account (with
/// its version for a first conditional write) without reading it again.
/// </summary>
public sealed record AuthenticatedSession(Session Session, Versioned<Account> Account);
