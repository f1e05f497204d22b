using Azure.Core;

namespace Rebind.Azure.Tables;

/// <summary>Options for <see cref="TableServiceClient"/> and <see cref="TableClient"/>: retries, timeouts,
/// transport and extra policies come from <see cref="ClientOptions"/>.</summary>
public class TableClientOptions : ClientOptions
{
    internal const ServiceVersion LatestVersion = ServiceVersion.V2020_12_06;

    /// <summary>Creates options that talk the given service version.</summary>
    public TableClientOptions(ServiceVersion serviceVersion = LatestVersion)
    {
        VersionString = serviceVersion switch
        {
            ServiceVersion.V2019_02_02 => "2019-02-02",
            ServiceVersion.V2020_12_06 => "2020-12-06",
            _ => throw new ArgumentOutOfRangeException(nameof(serviceVersion), serviceVersion, "Unknown Table service version."),
        };
    }

    /// <summary>The Table service REST versions this client can send as <c>x-ms-version</c>.</summary>
    public enum ServiceVersion
    {
        /// <summary>2019-02-02.</summary>
        V2019_02_02 = 1,

        /// <summary>2020-12-06 (the default).</summary>
        V2020_12_06 = 2,
    }

    internal string VersionString { get; }

    // The clock that dates (and so signs) requests; tests replace it to prove each retry is re-signed.
    internal TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
