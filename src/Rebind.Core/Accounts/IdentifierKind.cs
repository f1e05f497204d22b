namespace Rebind.Core.Accounts;

/// <summary>What an identifier index row is keyed by. Values are normalized (E.164, lower-cased email).</summary>
public enum IdentifierKind
{
    Phone,
    Email,
}
