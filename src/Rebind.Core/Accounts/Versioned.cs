namespace Rebind.Core.Accounts;

/// <summary>A stored value with the opaque version (ETag) a conditional write must send back.</summary>
public sealed record Versioned<T>(T Value, string Version);
