namespace Rebind.Azure.Communication.Email;

/// <summary>An email address with an optional display name.</summary>
public class EmailAddress
{
    /// <summary>Creates an address.</summary>
    public EmailAddress(string address, string? displayName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        Address = address;
        DisplayName = displayName;
    }

    /// <summary>The address, e.g. <c>alice@example.com</c>.</summary>
    public string Address { get; }

    /// <summary>The name shown with the address.</summary>
    public string? DisplayName { get; }
}
