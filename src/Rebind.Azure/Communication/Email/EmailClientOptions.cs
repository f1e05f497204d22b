using Azure.Core;

namespace Rebind.Azure.Communication.Email;

/// <summary>Options for <see cref="EmailClient"/>: retries, transport, diagnostics and the service version.</summary>
public class EmailClientOptions : ClientOptions
{
    /// <summary>The latest service version this client speaks.</summary>
    public const ServiceVersion LatestVersion = ServiceVersion.V2023_03_31;

    /// <summary>Creates options for <paramref name="version"/>.</summary>
    public EmailClientOptions(ServiceVersion version = LatestVersion)
    {
        ApiVersion = version switch
        {
            ServiceVersion.V2023_03_31 => "2023-03-31",
            _ => throw new ArgumentOutOfRangeException(nameof(version)),
        };
    }

    /// <summary>Email service versions.</summary>
    public enum ServiceVersion
    {
        /// <summary>2023-03-31 (GA).</summary>
        V2023_03_31 = 1,
    }

    internal string ApiVersion { get; }

    /// <summary>Clock for the HMAC <c>x-ms-date</c>; tests replace it.</summary>
    internal TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
