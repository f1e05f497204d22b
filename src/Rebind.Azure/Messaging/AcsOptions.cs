namespace Rebind.Azure.Messaging;

/// <summary>
/// ACS settings, bound from the <c>Acs</c> section (<c>Acs__ConnectionString</c>, <c>Acs__Endpoint</c>,
/// <c>Acs__SmsFrom</c>, <c>Acs__EmailFrom</c>). A connection string signs with the access key; an endpoint
/// alone uses Entra ID (managed identity in Azure).
/// </summary>
public sealed class AcsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Acs";

    /// <summary><c>endpoint=https://x.communication.azure.com/;accesskey=...</c>; wins over <see cref="Endpoint"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary><c>https://x.communication.azure.com/</c>, used with a token credential when there is no connection string.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The sending number (E.164), short code or alphanumeric sender id.</summary>
    public string SmsFrom { get; set; } = string.Empty;

    /// <summary>The sending address, e.g. <c>DoNotReply@xxxx.azurecomm.net</c>.</summary>
    public string EmailFrom { get; set; } = string.Empty;

    /// <summary>How often a sent email's operation is polled.</summary>
    public TimeSpan EmailPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a send waits for the email operation to finish before leaving it to the outbox's next attempt.</summary>
    public TimeSpan EmailMaxWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Whether ACS is configured at all (otherwise the app uses its development inbox).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(Endpoint);
}
