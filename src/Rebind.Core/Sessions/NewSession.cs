namespace Rebind.Core.Sessions;

/// <summary>A session just created and the bearer token for it; the token exists only in this value and the response.</summary>
public sealed record NewSession(string Token, Session Session);
