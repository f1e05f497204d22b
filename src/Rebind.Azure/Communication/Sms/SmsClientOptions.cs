using Azure.Core;

namespace Rebind.Azure.Communication.Sms;

/// <summary>Options for <see cref="SmsClient"/>: retries, transport, diagnostics and the service version.</summary>
public class SmsClientOptions : ClientOptions
{
    /// <summary>The latest service version this client speaks.</summary>
    public const ServiceVersion LatestVersion = ServiceVersion.V2021_03_07;

    /// <summary>Creates options for <paramref name="version"/>.</summary>
    public SmsClientOptions(ServiceVersion version = LatestVersion)
    {
        ApiVersion = version switch
        {
            ServiceVersion.V2021_03_07 => "2021-03-07",
            _ => throw new ArgumentOutOfRangeException(nameof(version)),
        };
    }

    /// <summary>SMS service versions.</summary>
    public enum ServiceVersion
    {
        /// <summary>2021-03-07 (GA).</summary>
        V2021_03_07 = 1,
    }

    internal string ApiVersion { get; }

    /// <summary>Clock for the HMAC <c>x-ms-date</c> and default <c>repeatabilityFirstSent</c>; tests replace it.</summary>
    internal TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
